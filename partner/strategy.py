"""Oscar's pricing seam: `Selector` picks the strategy for each request (Oscar's `get_class` finds it here).

Members of a verified company get the wholesale strategy (tiers and MOQ, `wholesale.strategy`);
everyone else gets Oscar's default, with the products of pesantren that take no orders unavailable.
"""

from companies.access import verified_company_for_user
from sellers.availability import PesantrenStrategy
from wholesale.strategy import OfftakerStrategy


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        user = user or (request.user if request is not None else None)
        company = verified_company_for_user(user)
        if company is not None:
            return OfftakerStrategy(request, company=company)
        return PesantrenStrategy(request)

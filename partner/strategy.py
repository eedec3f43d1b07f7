"""Oscar's pricing seam: `Selector` picks the strategy for each request (Oscar's `get_class` finds it here).

Members of a verified company get the wholesale strategy (tiers and MOQ, `wholesale.strategy`);
everyone else gets Oscar's default, with the products of pesantren that take no orders unavailable.
"""

from companies.access import buying_company_and_membership
from sellers.availability import PesantrenStrategy
from wholesale.strategy import OfftakerStrategy


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        user = user or (request.user if request is not None else None)
        company, is_member = buying_company_and_membership(user)
        if request is not None:
            # For the header's "Bisnis" link (company_tags.is_company_member): no second query.
            request._is_company_member = is_member
        if company is not None:
            return OfftakerStrategy(request, company=company)
        return PesantrenStrategy(request)

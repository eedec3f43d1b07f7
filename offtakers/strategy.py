"""Pricing for verified off-takers: volume tiers on basket lines and a wholesale minimum order quantity.

Oscar picks the strategy through `partner.strategy.Selector`; `offtakers.loading.class_loader` serves our
`Selector` for that name so the partner app need not be forked.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from oscar.apps.partner import availability, strategy
from oscar.apps.partner.prices import FixedPrice

from offtakers.models import WholesaleTerms
from offtakers.selectors import tier_for_quantity, verified_company_for_user


class MinimumQuantity(availability.Base):
    """Wraps the stock policy and refuses purchases below the wholesale minimum order quantity."""

    def __init__(self, inner: availability.Base, moq: int):
        self.inner = inner
        self.moq = moq

    def __getattr__(self, name):
        # Oscar reads policy-specific attributes such as `num_available` from the policy it was given.
        return getattr(self.inner, name)

    @property
    def is_available_to_buy(self) -> bool:
        return self.inner.is_available_to_buy

    @property
    def code(self) -> str:
        return self.inner.code

    @property
    def short_message(self) -> str:
        return self.inner.short_message

    @property
    def message(self) -> str:
        return self.inner.message

    def is_purchase_permitted(self, quantity):
        if 0 < quantity < self.moq:
            return False, _("The minimum order for wholesale buyers is %(moq)d units.") % {"moq": self.moq}
        return self.inner.is_purchase_permitted(quantity)


class OfftakerStrategy(strategy.Default):
    """Default strategy plus tier prices per line quantity and the MOQ, for a member of a verified company."""

    def __init__(self, request=None, company=None):
        super().__init__(request)
        self.company = company

    def availability_policy(self, product, stockrecord):
        policy = super().availability_policy(product, stockrecord)
        if stockrecord is None:
            return policy
        terms = WholesaleTerms.objects.filter(stockrecord=stockrecord).first()
        if terms is None or terms.moq <= 1:
            return policy
        return MinimumQuantity(policy, terms.moq)

    def fetch_for_line(self, line, stockrecord=None):
        stockrecord = stockrecord or line.stockrecord
        info = self.fetch_for_product(line.product, stockrecord)
        # Oscar also asks a line's policy with quantity *differences* when a line is updated, which an MOQ
        # cannot tell from totals; the MOQ is therefore enforced on adding to the basket (product level),
        # and a line reduced below the smallest tier simply falls back to the retail price.
        line_availability = info.availability.inner if isinstance(info.availability, MinimumQuantity) else None
        tier = (
            tier_for_quantity(stockrecord=info.stockrecord, quantity=line.quantity or 0) if info.stockrecord else None
        )
        price = info.price
        if tier is not None:
            price = FixedPrice(
                currency=info.stockrecord.price_currency, excl_tax=Decimal(tier.unit_price), tax=Decimal("0.00")
            )
        return strategy.PurchaseInfo(
            price=price, availability=line_availability or info.availability, stockrecord=info.stockrecord
        )


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        user = user or (request.user if request is not None else None)
        company = verified_company_for_user(user)
        if company is not None:
            return OfftakerStrategy(request, company=company)
        return strategy.Default(request)

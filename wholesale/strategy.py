"""Pricing for verified off-takers: volume tiers on basket lines and a wholesale minimum order quantity.

Oscar picks the strategy through `partner.strategy.Selector` (the forked partner app), which hands
members of a verified company this strategy.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from oscar.apps.partner import availability, strategy
from oscar.apps.partner.prices import FixedPrice

from sellers.availability import PesantrenNotSelling, PesantrenSellingMixin
from wholesale.models import PriceTier, WholesaleTerms
from wholesale.selectors import moq_of, tier_for_quantity


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


class OfftakerStrategy(PesantrenSellingMixin, strategy.Default):
    """Default strategy plus tier prices per line quantity and the MOQ, for a member of a verified company.

    Like the consumers' PesantrenStrategy, nothing of a pesantren that takes no orders is available."""

    def __init__(self, request=None, company=None, fixed_unit_prices: dict[int, Decimal] | None = None):
        super().__init__(request)
        self.company = company
        # Stock record id -> unit price agreed elsewhere (an accepted quote); it beats the tiers and the MOQ.
        self.fixed_unit_prices = fixed_unit_prices or {}
        # Filled by prime(): stock record id -> MOQ, and -> its tiers by ascending min_quantity.
        self._moqs: dict[int, int] = {}
        self._tiers: dict[int, list] = {}

    def prime(self, stockrecord_ids) -> None:
        """Load the MOQs and tiers of these stock records in two queries, for pricing many lines at once.

        For one purchase being built (bulk orders); a strategy never primed queries per stock record.
        """
        ids = {pk for pk in stockrecord_ids if pk is not None and pk not in self._tiers}
        if not ids:
            return
        moqs = dict(WholesaleTerms.objects.filter(stockrecord_id__in=ids).values_list("stockrecord_id", "moq"))
        tiers = {pk: [] for pk in ids}
        for tier in PriceTier.objects.filter(stockrecord_id__in=ids).order_by("min_quantity", "pk"):
            tiers[tier.stockrecord_id].append(tier)
        for pk in ids:
            self._moqs[pk] = moqs.get(pk, 1)
        self._tiers.update(tiers)

    def _moq(self, stockrecord) -> int:
        if stockrecord.pk in self._moqs:
            return self._moqs[stockrecord.pk]
        return moq_of(stockrecord)

    def _tier(self, stockrecord, quantity: int):
        if stockrecord.pk not in self._tiers:
            return tier_for_quantity(stockrecord=stockrecord, quantity=quantity)
        reached = [tier for tier in self._tiers[stockrecord.pk] if tier.min_quantity <= quantity]
        return reached[-1] if reached else None

    def availability_policy(self, product, stockrecord):
        policy = super().availability_policy(product, stockrecord)
        if stockrecord is None or isinstance(policy, PesantrenNotSelling):
            return policy
        if stockrecord.pk in self.fixed_unit_prices:
            return policy
        moq = self._moq(stockrecord)
        if moq <= 1:
            return policy
        return MinimumQuantity(policy, moq)

    def fetch_for_line(self, line, stockrecord=None):
        stockrecord = stockrecord or line.stockrecord
        info = self.fetch_for_product(line.product, stockrecord)
        # Oscar also asks a line's policy with quantity *differences* when a line is updated, which an MOQ
        # cannot tell from totals; the MOQ is therefore enforced on adding to the basket (product level),
        # and a line reduced below the smallest tier simply falls back to the retail price.
        line_availability = info.availability.inner if isinstance(info.availability, MinimumQuantity) else None
        tier = self._tier(info.stockrecord, line.quantity or 0) if info.stockrecord else None
        price = info.price
        fixed = self.fixed_unit_prices.get(info.stockrecord.pk) if info.stockrecord else None
        if fixed is not None:
            tier = None
            price = FixedPrice(currency=info.stockrecord.price_currency, excl_tax=Decimal(fixed), tax=Decimal("0.00"))
        if tier is not None:
            price = FixedPrice(
                currency=info.stockrecord.price_currency, excl_tax=Decimal(tier.unit_price), tax=Decimal("0.00")
            )
        return strategy.PurchaseInfo(
            price=price, availability=line_availability or info.availability, stockrecord=info.stockrecord
        )

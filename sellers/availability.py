"""Whether a pesantren takes new orders: only a verified one does; a suspended one sells nothing.

Two guards, one rule (`Seller.is_live`):

- `PesantrenSellingMixin` is the availability policy of both pricing strategies (consumers' and verified
  companies'), so every way into a basket or an order built from one (product page, basket, checkout,
  business checkout, bulk orders, quotes, API) is refused with `PesantrenNotSelling`, whose message
  the basket shows beside each line of a pesantren suspended after it was added;
- `lock_sellers_taking_orders` re-checks, under a share lock on the pesantren rows, inside the one
  transaction that places an order (order.utils.OrderCreator), so a suspension that commits while a
  checkout is running either waits for the order or is seen by it.
"""

from django.db import connection
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.partner import availability, strategy

from sellers.models import Seller, SellerStatus


def not_selling_message(name: str) -> str:
    return _("%(pesantren)s is not taking orders at the moment.") % {"pesantren": name}


class PesantrenNotSelling(availability.Unavailable):
    """The product's pesantren is suspended (or no longer verified): nothing of it can be bought."""

    code = "pesantren-not-selling"

    def __init__(self, seller_name: str):
        self.seller_name = seller_name

    @property
    def message(self) -> str:
        return not_selling_message(self.seller_name)

    @property
    def short_message(self) -> str:
        return self.message

    def is_purchase_permitted(self, quantity):
        return False, self.message


def not_selling_partners() -> dict[int, str]:
    """Partner id -> pesantren name, of every pesantren with a shop that does not take orders now."""
    return dict(
        Seller.objects.filter(partner__isnull=False)
        .exclude(status=SellerStatus.VERIFIED)
        .values_list("partner_id", "name")
    )


class PesantrenSellingMixin:
    """Strategy mixin: a stock record of a pesantren that takes no orders is unavailable, whatever its stock.

    The pesantren not selling are read once per strategy (one small query, on first use), not per product.
    """

    _not_selling: dict[int, str] | None = None

    def not_selling(self) -> dict[int, str]:
        if self._not_selling is None:
            self._not_selling = not_selling_partners()
        return self._not_selling

    def _seller_not_selling(self, stockrecord) -> str | None:
        """The name of the record's pesantren when it takes no orders, else None.

        Read from the record's loaded partner and seller when the listing selected them (no query),
        else from not_selling().
        """
        partner_cached = type(stockrecord).partner.is_cached(stockrecord)
        if (
            partner_cached
            and stockrecord.partner is not None
            and type(stockrecord.partner).seller.is_cached(stockrecord.partner)
        ):
            seller = getattr(stockrecord.partner, "seller", None)
            return None if seller is None or seller.status == SellerStatus.VERIFIED else seller.name
        return self.not_selling().get(stockrecord.partner_id)

    def availability_policy(self, product, stockrecord):
        if stockrecord is not None:
            name = self._seller_not_selling(stockrecord)
            if name is not None:
                return PesantrenNotSelling(name)
        return super().availability_policy(product, stockrecord)


class PesantrenStrategy(PesantrenSellingMixin, strategy.Default):
    """Oscar's default strategy (first stock record, stock required, no tax) for pesantren that sell."""


def lock_sellers_taking_orders(*, partner_ids) -> None:
    """Share-lock the pesantren of these partners and refuse the order if one of them takes no orders.

    Call inside the transaction that places the order. The share lock lets concurrent orders through
    but makes a suspension (which locks the row for update) wait until the order is committed.
    """
    ids = sorted({pk for pk in partner_ids if pk is not None})
    if not ids:
        return
    if connection.vendor == "postgresql":
        rows = Seller.objects.raw(
            f"SELECT id, name, status FROM {Seller._meta.db_table} WHERE partner_id = ANY(%s) ORDER BY id FOR SHARE",
            [ids],
        )
    else:  # the SQLite demo has no row locks
        rows = Seller.objects.filter(partner_id__in=ids).only("name", "status").order_by("pk")
    for seller in rows:
        if seller.status != SellerStatus.VERIFIED:
            raise UnableToPlaceOrder(not_selling_message(seller.name))

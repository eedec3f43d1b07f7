"""Oscar shipping methods of the marketplace."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.methods import Base
from oscar.core import prices

from shipping.selectors import BasketGroup, basket_groups


class PerPesantrenShipping(Base):
    """One parcel per pesantren in the basket, each charged by weight and destination zone.

    The charge is the sum of `seller_shipping_charge` over the basket's pesantren groups. Until
    checkout has a shipping address (the basket page) it is zero and `destination_known` is
    False: templates say "calculated at checkout" instead of showing it. An address without a
    kabupaten is charged the "elsewhere" rate, as `fulfilment.services.split_order` does.
    """

    code = "per-pesantren"
    name = _("Shipping per pesantren")
    description = _("Each pesantren sends its own parcel, charged by weight and distance.")

    def __init__(
        self,
        destination_kabupaten=None,
        *,
        destination_known: bool | None = None,
        choices: dict | None = None,
        destination: str = "",
    ):
        self.destination_kabupaten = destination_kabupaten
        self.destination_known = destination_kabupaten is not None if destination_known is None else destination_known
        # {seller id: shipping.choices.Choice}: the courier services the buyer chose at checkout.
        self.choices = choices or {}
        self.destination = destination
        self._groups_key = None
        self._groups: list[BasketGroup] = []

    def groups(self, basket) -> list[BasketGroup]:
        # Oscar calls calculate() several times per request; the charge depends only on which
        # lines and quantities the basket holds, so reuse the groups while those are unchanged.
        key = (basket.pk, tuple((line.pk, line.quantity) for line in basket.all_lines()))
        if key != self._groups_key:
            self._groups = basket_groups(
                basket=basket,
                destination_kabupaten=self.destination_kabupaten,
                with_shipping=self.destination_known,
                choices=self.choices,
                destination=self.destination,
            )
            self._groups_key = key
        return self._groups

    def calculate(self, basket):
        charge = Decimal("0")
        if self.destination_known:
            charge = sum((group.shipping_charge or Decimal("0") for group in self.groups(basket)), Decimal("0"))
        return prices.Price(currency=basket.currency, excl_tax=charge, incl_tax=charge)

    def record_for_order(self, order, basket) -> list:
        """Write each pesantren's shipping (chosen courier service, else its rate table) for a placed order.

        Called by `order.utils.OrderCreator` inside the order's transaction, with the basket the
        order was charged for: the prices written are the ones in the order's shipping charge.
        """
        from shipping.choices import RATE_TABLE, rate_table_labels
        from shipping.models import ShippingChoice

        courier_name, service_name = rate_table_labels()

        if not self.destination_known:
            return []
        rows = []
        for group in self.groups(basket):
            if group.seller is None:
                continue
            choice = group.choice
            rows.append(
                ShippingChoice(
                    order=order,
                    seller=group.seller,
                    provider=choice.provider if choice else RATE_TABLE,
                    courier_code=choice.courier_code if choice else "pesantren",
                    courier_name=choice.courier_name if choice else courier_name,
                    service_code=choice.service_code if choice else "regular",
                    service_name=choice.service_name if choice else service_name,
                    etd=choice.etd if choice else "",
                    price=group.shipping_charge or Decimal("0"),
                    weight_grams=group.weight_grams,
                )
            )
        return ShippingChoice.objects.bulk_create(rows)

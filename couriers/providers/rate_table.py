"""The pesantren's own rate table as a provider: one "regular" service, priced by zone and weight."""

from couriers.providers.base import Quote
from shipping.calculator import seller_shipping_charge
from shipping.choices import RATE_TABLE, rate_table_labels


class RateTableProvider:
    code = RATE_TABLE

    def quotes(self, *, seller, weight_grams: int, destination_kabupaten) -> list[Quote]:
        courier_name, service_name = rate_table_labels()
        price = seller_shipping_charge(
            seller=seller, weight_grams=weight_grams, destination_kabupaten=destination_kabupaten
        )
        return [
            Quote(
                provider=self.code,
                courier_code="pesantren",
                courier_name=courier_name,
                service_code="regular",
                service_name=service_name,
                price=int(price),
            )
        ]

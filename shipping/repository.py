"""Oscar's shipping repository for the marketplace: one method, charged per pesantren."""

from oscar.apps.shipping import repository

from shipping.choices import choices_in, destination_key
from shipping.methods import PerPesantrenShipping


def destination_kabupaten_of(shipping_addr):
    """The destination kabupaten/kota of an address, or None when it has none (e.g. a user address)."""
    if shipping_addr is None or not getattr(shipping_addr, "kabupaten_id", None):
        return None
    return shipping_addr.kabupaten


def is_checkout_address(shipping_addr) -> bool:
    """Whether this is the checkout's shipping address (an order ShippingAddress, saved or not).

    The basket page passes the user's default address-book address instead: that is only a
    guess at the destination, and has no regions, so it does not fix the charge.
    """
    return shipping_addr is not None and hasattr(shipping_addr, "kabupaten_id")


class Repository(repository.Repository):
    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        request = kwargs.get("request")
        known = is_checkout_address(shipping_addr)
        # The courier services chosen at checkout's shipping step, when this is the checkout's address.
        choices = choices_in(getattr(request, "session", None)) if known else {}
        return [
            PerPesantrenShipping(
                destination_kabupaten=destination_kabupaten_of(shipping_addr),
                destination_known=known,
                choices=choices,
                destination=destination_key(shipping_addr),
            )
        ]

"""The courier service chosen for each pesantren's parcel during checkout, kept in the session.

Checkout's shipping step (`checkout.views.ShippingMethodView`) stores one choice per pesantren:
the quote the buyer picked, with its price, as the server computed it (the session lives on the
server, so the price is never the browser's word). A choice holds only for the parcel it was
quoted for: the same weight to the same destination. When the basket or the address changes, its
`fingerprint` no longer matches and the choice is ignored (checkout then asks again).
"""

from dataclasses import asdict, dataclass
from decimal import Decimal

SESSION_KEY = "marketplace_shipping_choices"
RATE_TABLE = "rate_table"


def rate_table_labels() -> tuple[str, str]:
    """How the pesantren's own rate table is named as a courier service: (courier, service)."""
    from django.utils.translation import gettext

    return gettext("Pesantren courier"), gettext("Regular")


@dataclass(frozen=True)
class Choice:
    provider: str
    courier_code: str
    courier_name: str
    service_code: str
    service_name: str
    price: int
    etd: str
    fingerprint: str

    @property
    def label(self) -> str:
        return f"{self.courier_name} {self.service_name}".strip()

    @property
    def charge(self) -> Decimal:
        return Decimal(self.price)


def fingerprint(*, seller_id: int, weight_grams: int, destination: str) -> str:
    """What a quote depends on: the pesantren, the parcel's weight and where it goes."""
    return f"{seller_id}:{weight_grams}:{destination}"


def destination_key(shipping_addr) -> str:
    """The destination a quote is for: postal code and kecamatan of the checkout address."""
    if shipping_addr is None:
        return ""
    return f"{getattr(shipping_addr, 'postcode', '') or ''}/{getattr(shipping_addr, 'kecamatan_id', '') or ''}/" + (
        f"{getattr(shipping_addr, 'kabupaten_id', '') or ''}"
    )


def choices_in(session) -> dict[int, Choice]:
    """The stored choices, {seller id: Choice}; rows that do not read back are dropped."""
    stored = session.get(SESSION_KEY) if session is not None else None
    choices = {}
    for seller_id, data in (stored or {}).items():
        try:
            choices[int(seller_id)] = Choice(**data)
        except (TypeError, ValueError):
            continue
    return choices


def store_choices(session, choices: dict[int, Choice]) -> None:
    session[SESSION_KEY] = {str(seller_id): asdict(choice) for seller_id, choice in choices.items()}
    session.modified = True


def clear_choices(session) -> None:
    if session is not None and SESSION_KEY in session:
        del session[SESSION_KEY]
        session.modified = True

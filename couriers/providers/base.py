"""What every shipping provider speaks: quotes in, errors out."""

from dataclasses import asdict, dataclass


class ProviderError(Exception):
    """The provider could not answer (timeout, unreachable, refused or unreadable). Safe to show staff."""


class ProviderTimeout(ProviderError):
    pass


class ProviderRejected(ProviderError):
    """The provider answered, and said no (bad request, unknown courier, cannot cancel...)."""


@dataclass(frozen=True)
class Quote:
    """One courier service for one parcel, at a whole-rupiah price. `etd` is a day range, e.g. "2 - 3"."""

    provider: str
    courier_code: str
    courier_name: str
    service_code: str
    service_name: str
    price: int
    etd: str = ""
    collection_methods: tuple = ()

    @property
    def key(self) -> str:
        return f"{self.provider}:{self.courier_code}:{self.service_code}"

    @property
    def label(self) -> str:
        return f"{self.courier_name} {self.service_name}".strip()

    def as_dict(self) -> dict:
        return {**asdict(self), "collection_methods": list(self.collection_methods)}

    @classmethod
    def from_dict(cls, data: dict) -> "Quote":
        return cls(**{**data, "collection_methods": tuple(data.get("collection_methods") or ())})


@dataclass(frozen=True)
class Booking:
    """A courier order the provider accepted."""

    provider_order_id: str
    tracking_id: str
    waybill_id: str
    status: str
    price: int | None


@dataclass(frozen=True)
class PickupSlot:
    """A window in which the courier picks the parcel up, in the pesantren's local time (WIB)."""

    date: object  # a datetime.date
    start_time: str  # "09:00"
    end_time: str

    @property
    def key(self) -> str:
        return f"{self.date.isoformat()}T{self.start_time}"


@dataclass(frozen=True)
class TrackingUpdate:
    status: str
    note: str
    occurred_at: object  # an aware datetime


@dataclass(frozen=True)
class Tracking:
    status: str
    waybill_id: str
    history: list  # of TrackingUpdate, oldest first

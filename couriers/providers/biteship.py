"""Biteship's API: courier rates, courier orders and tracking (https://biteship.com/id/docs/api).

Endpoints used: `GET /v1/maps/areas` (a postal code's area id), `POST /v1/rates/couriers` (rates
by area ids, else postal codes, and items),
`POST /v1/orders` (book; `reference_id` is our part number, `origin_collection_method` pickup or
drop_off; `delivery_type` scheduled with `delivery_date` and `delivery_time` for a pickup slot from
`GET /v1/pickup/timeslots`), `DELETE /v1/orders/{id}` (cancel before pickup),
`GET /v1/trackings/{id}`. Weights are grams, prices whole rupiah. Every call goes
through `couriers.http.ApiClient`, with timeouts; nothing here is called inside a transaction.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from couriers.http import ApiClient
from couriers.providers.base import Booking, PickupSlot, ProviderError, Quote, Tracking, TrackingUpdate

CODE = "biteship"


def _aware(value) -> datetime.datetime:
    parsed = parse_datetime(str(value or "")) if value else None
    if parsed is None:
        return timezone.now()
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.UTC)
    return parsed


class BiteshipProvider:
    code = CODE

    def __init__(self, client: ApiClient):
        self.client = client

    @classmethod
    def from_settings(cls) -> "BiteshipProvider":
        return cls(
            ApiClient(
                base_url=settings.BITESHIP_API_URL,
                api_key=settings.BITESHIP_API_KEY,
                connect_timeout=settings.MARKETPLACE_COURIER_CONNECT_TIMEOUT,
                read_timeout=settings.MARKETPLACE_COURIER_READ_TIMEOUT,
                service="Biteship",
            )
        )

    @property
    def key(self) -> str:
        return self.client.base_url

    def area_id(self, postal_code: str) -> str:
        """Biteship's area id of a postal code (`GET /v1/maps/areas`), or "" when it knows none."""
        body = self.client.request("GET", f"/v1/maps/areas?countries=ID&input={int(postal_code)}&type=single")
        areas = [area for area in body.get("areas") or [] if isinstance(area, dict) and area.get("id")]
        exact = [area for area in areas if str(area.get("postal_code") or "") == str(int(postal_code))]
        return str((exact or areas or [{"id": ""}])[0]["id"])[:64]

    def quotes(
        self,
        *,
        origin_postal_code: str,
        destination_postal_code: str,
        couriers: list[str],
        items: list[dict],
        origin_area_id: str = "",
        destination_area_id: str = "",
        coordinates: dict | None = None,
    ) -> list[Quote]:
        """Rates by area ids when known (more precise than postal codes), with the postal codes too.

        `coordinates` (origin_latitude, origin_longitude, destination_latitude, destination_longitude)
        let instant and same-day couriers quote; their durations are hours, so no day range is kept."""
        request = {
            "origin_postal_code": int(origin_postal_code),
            "destination_postal_code": int(destination_postal_code),
            "couriers": ",".join(couriers),
            "items": items,
        }
        if origin_area_id and destination_area_id:
            request.update(origin_area_id=origin_area_id, destination_area_id=destination_area_id)
        request.update(coordinates or {})
        body = self.client.request("POST", "/v1/rates/couriers", json=request)
        quotes = []
        for row in body.get("pricing") or []:
            try:
                price = int(row["price"])
                quote = Quote(
                    provider=CODE,
                    courier_code=str(row["courier_code"]),
                    courier_name=str(row.get("courier_name") or row["courier_code"]),
                    service_code=str(row["courier_service_code"]),
                    service_name=str(row.get("courier_service_name") or row["courier_service_code"]),
                    price=price,
                    etd=str(row.get("shipment_duration_range") or "")
                    if (row.get("shipment_duration_unit") or "days") == "days"
                    else "",
                    collection_methods=tuple(row.get("available_collection_method") or ("pickup", "drop_off")),
                )
            except (KeyError, TypeError, ValueError):
                continue  # a row we cannot read is not offered
            if price > 0 and quote.courier_code in couriers:
                quotes.append(quote)
        return sorted(quotes, key=lambda quote: (quote.price, quote.courier_code, quote.service_code))

    def book(self, payload: dict) -> Booking:
        body = self.client.request("POST", "/v1/orders", json=payload)
        courier = body.get("courier") or {}
        if not body.get("id") or not courier.get("waybill_id"):
            raise ProviderError("Biteship accepted the order without an airway bill")
        return Booking(
            provider_order_id=str(body["id"]),
            tracking_id=str(courier.get("tracking_id") or ""),
            waybill_id=str(courier["waybill_id"]),
            status=str(body.get("status") or "confirmed"),
            price=int(body["price"]) if body.get("price") is not None else None,
        )

    def pickup_slots(self, courier_code: str) -> list[PickupSlot]:
        """The pickup windows the courier offers (`GET /v1/pickup/timeslots`), earliest first."""
        body = self.client.request("GET", f"/v1/pickup/timeslots?courier_company={courier_code}")
        slots = []
        for row in body.get("timeslots") or []:
            try:
                slot = PickupSlot(
                    date=datetime.date.fromisoformat(str(row["date"])),
                    start_time=str(row["start_time"])[:5],
                    end_time=str(row["end_time"])[:5],
                )
            except (KeyError, TypeError, ValueError):
                continue
            slots.append(slot)
        return sorted(slots, key=lambda slot: slot.key)

    def cancel(self, provider_order_id: str, reason: str) -> str:
        """Cancel a courier order before pickup (`DELETE /v1/orders/{id}`); returns its new status.

        Raises ProviderRejected when the aggregator refuses (e.g. the parcel is already picked up)."""
        body = self.client.request("DELETE", f"/v1/orders/{provider_order_id}", json={"cancellation_reason": reason})
        return str(body.get("status") or "cancelled")

    def tracking(self, tracking_id: str) -> Tracking:
        body = self.client.request("GET", f"/v1/trackings/{tracking_id}")
        history = [
            TrackingUpdate(
                status=str(row.get("status") or ""),
                note=str(row.get("note") or "")[:255],
                occurred_at=_aware(row.get("updated_at")),
            )
            for row in body.get("history") or []
            if row.get("status")
        ]
        return Tracking(
            status=str(body.get("status") or ""), waybill_id=str(body.get("waybill_id") or ""), history=history
        )

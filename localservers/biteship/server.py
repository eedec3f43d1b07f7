"""The local Biteship-compatible server: standard library only, state in memory.

Shapes follow Biteship's API reference for the parts the marketplace uses (see README.md):
rates (`POST /v1/rates/couriers`), orders (`POST /v1/orders`, `GET`/`DELETE /v1/orders/{id}`),
tracking (`GET /v1/trackings/{id}`) and `order.status` webhooks. Prices are deterministic: a
courier service's base price by how far apart the two postal codes are, plus a price per further
kilogram. `/_control/...` endpoints, which Biteship does not have, let a test or the demo play an
order's tracking forward, make the API slow or failing, and wipe the state.
"""

import json
import math
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# courier code → (name, [(service code, service name, (min days, max days), base price per distance band,
# price per further kilogram)]). Distance bands: 0 same area (first three postal digits), 1 same region
# (first two), 2 same island group (first digit), 3 further.
COURIERS = {
    "jne": (
        "JNE",
        [
            ("reg", "Reguler", (2, 3), (9000, 11000, 18000, 32000), 8000),
            ("yes", "YES", (1, 1), (18000, 22000, 32000, 55000), 15000),
            ("oke", "OKE", (3, 5), (7000, 9000, 15000, 26000), 6000),
        ],
    ),
    "jnt": ("J&T", [("ez", "EZ", (2, 3), (8500, 10500, 17500, 31000), 7500)]),
    "sicepat": (
        "SiCepat",
        [
            ("reg", "SIUNTUNG", (2, 3), (8000, 10000, 17000, 30000), 7000),
            ("best", "BEST", (1, 1), (17000, 21000, 30000, 52000), 14000),
        ],
    ),
    "anteraja": (
        "AnterAja",
        [
            ("reg", "Regular", (2, 4), (8000, 10500, 17000, 30500), 7500),
            ("next_day", "Next Day", (1, 1), (16000, 20000, 29000, 50000), 13000),
        ],
    ),
}
# Instant and same-day couriers price by the distance between two coordinates, not postal codes:
# courier code → (name, [(service code, service name, (min hours, max hours), base price, price per
# started kilometre, farthest kilometres)]).
INSTANT_COURIERS = {
    "gojek": (
        "GoSend",
        [("instant", "Instant", (1, 3), 12000, 2500, 40), ("same_day", "Same Day", (6, 8), 9000, 1800, 40)],
    ),
    "grab": (
        "Grab",
        [("instant", "Instant", (1, 3), 12500, 2400, 40), ("same_day", "Same Day", (6, 8), 9500, 1700, 40)],
    ),
}
WAYBILL_PREFIX = {"jne": "CGK", "jnt": "JP", "sicepat": "00", "anteraja": "10", "gojek": "GK", "grab": "GB"}


def courier_name(code: str) -> str:
    return (COURIERS.get(code) or INSTANT_COURIERS.get(code) or (code,))[0]


def kilometres(origin: tuple, destination: tuple) -> float:
    """Great-circle distance between two (latitude, longitude) pairs."""
    lat1, lng1, lat2, lng2 = (math.radians(float(value)) for value in (*origin, *destination))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def instant_price(courier: str, service: str, origin: tuple | None, destination: tuple | None) -> int | None:
    if origin is None or destination is None:
        return None
    distance = kilometres(origin, destination)
    for code, _name, _hours, base, per_km, farthest in INSTANT_COURIERS.get(courier, ("", []))[1]:
        if code == service and distance <= farthest:
            return base + max(1, math.ceil(distance)) * per_km
    return None


def coordinates(body: dict, end: str) -> tuple | None:
    """(latitude, longitude) of `end` from rates fields (origin_latitude...) or an order's *_coordinate."""
    nested = body.get(f"{end}_coordinate") or {}
    lat = body.get(f"{end}_latitude", nested.get("latitude"))
    lng = body.get(f"{end}_longitude", nested.get("longitude"))
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        return None
    return (lat, lng) if -90 <= lat <= 90 and -180 <= lng <= 180 else None


# The tracking statuses an order goes through, in order, as Biteship names them.
STATUS_FLOW = ["confirmed", "allocated", "picking_up", "picked", "dropping_off", "delivered"]
FINAL_STATUSES = {"delivered", "cancelled", "rejected", "returned", "disposed"}
STATUS_NOTES = {
    "confirmed": "Order has been confirmed. Locating nearest driver to pick up.",
    "allocated": "Courier has been allocated. Waiting to pick up.",
    "picking_up": "Courier is on the way to pick up item.",
    "picked": "Item has been picked and ready to be shipped.",
    "dropping_off": "Item is on the way to customer.",
    "delivered": "Item has been delivered.",
    "cancelled": "Order is cancelled.",
    "rejected": "Package rejected by the recipient.",
    "returned": "Package returned to the sender.",
    "on_hold": "Delivery is on hold.",
    "courier_not_found": "No courier was found for this order.",
}


WIB = timezone(timedelta(hours=7))
# Pickup windows each day, local time (WIB), for the next PICKUP_DAYS days; a window starting
# within the next hour is no longer offered.
PICKUP_WINDOWS = [("09:00", "12:00"), ("13:00", "16:00")]
PICKUP_DAYS = 3


def pickup_timeslots(now: datetime | None = None) -> list[dict]:
    now = (now or datetime.now(UTC)).astimezone(WIB)
    slots = []
    for day in range(PICKUP_DAYS):
        date = (now + timedelta(days=day)).date()
        for start, end in PICKUP_WINDOWS:
            begins = datetime.fromisoformat(f"{date.isoformat()}T{start}").replace(tzinfo=WIB)
            if begins - now < timedelta(hours=1):
                continue
            slots.append(
                {
                    "id": f"{date.isoformat()}T{start}",
                    "date": date.isoformat(),
                    "start_time": start,
                    "end_time": end,
                    "timezone": "Asia/Jakarta",
                }
            )
    return slots


def area_of(postal_code: str) -> dict | None:
    """The one area of a five-digit postal code, shaped as Biteship's maps API answers it."""
    code = str(postal_code or "").strip()
    if not (code.isdigit() and len(code) == 5 and code[0] != "0"):
        return None
    return {
        "id": f"IDNP{code[0]}IDNC{code[:3]}IDZ{code}",
        "name": f"Kode pos {code}",
        "country_name": "Indonesia",
        "country_code": "ID",
        "administrative_division_level_1_name": "Jawa Barat" if code[:1] == "4" else "",
        "administrative_division_level_1_type": "province",
        "postal_code": int(code),
    }


def postal_code_of_area(area_id: str) -> str:
    code = str(area_id or "").rpartition("IDZ")[2]
    if not (code.isdigit() and area_of(code) and area_of(code)["id"] == area_id):
        raise ApiError(400, f"Unknown area id {area_id}", 40001004)
    return code


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def distance_band(origin: str, destination: str) -> int:
    origin, destination = str(origin or "").strip(), str(destination or "").strip()
    if origin[:3] and origin[:3] == destination[:3]:
        return 0
    if origin[:2] and origin[:2] == destination[:2]:
        return 1
    if origin[:1] and origin[:1] == destination[:1]:
        return 2
    return 3


def total_grams(items) -> int:
    grams = 0
    for item in items or []:
        grams += int(item.get("weight") or 0) * max(int(item.get("quantity") or 1), 1)
    return grams


def price_of(courier: str, service: str, origin: str, destination: str, grams: int) -> int | None:
    for code, _name, _days, bases, per_kg in COURIERS.get(courier, ("", []))[1]:
        if code == service:
            kilograms = max(1, math.ceil(max(grams, 1) / 1000))
            return bases[distance_band(origin, destination)] + (kilograms - 1) * per_kg
    return None


def instant_pricing(couriers: list[str], origin: tuple | None, destination: tuple | None) -> list[dict]:
    """Instant and same-day services, only when both coordinates are given and close enough."""
    rows = []
    for courier in couriers:
        if courier not in INSTANT_COURIERS or origin is None or destination is None:
            continue
        name, services = INSTANT_COURIERS[courier]
        for code, service_name, (min_hours, max_hours), *_prices in services:
            price = instant_price(courier, code, origin, destination)
            if price is None:
                continue
            rows.append(
                {
                    "available_collection_method": ["pickup"],
                    "company": courier,
                    "courier_name": name,
                    "courier_code": courier,
                    "courier_service_name": service_name,
                    "courier_service_code": code,
                    "currency": "IDR",
                    "description": f"{name} {service_name}",
                    "duration": f"{min_hours} - {max_hours} hours",
                    "shipment_duration_range": f"{min_hours} - {max_hours}",
                    "shipment_duration_unit": "hours",
                    "service_type": code,
                    "shipping_type": "parcel",
                    "price": price,
                    "type": code,
                }
            )
    return rows


def pricing(couriers: list[str], origin: str, destination: str, grams: int) -> list[dict]:
    rows = []
    for courier in couriers:
        if courier not in COURIERS:
            continue
        courier_name, services = COURIERS[courier]
        for code, name, (min_days, max_days), _bases, _per_kg in services:
            days = f"{min_days}" if min_days == max_days else f"{min_days} - {max_days}"
            rows.append(
                {
                    "available_collection_method": ["pickup", "drop_off"],
                    "available_for_cash_on_delivery": False,
                    "available_for_proof_of_delivery": False,
                    "available_for_instant_waybill_id": True,
                    "available_for_insurance": True,
                    "company": courier,
                    "courier_name": courier_name,
                    "courier_code": courier,
                    "courier_service_name": name,
                    "courier_service_code": code,
                    "currency": "IDR",
                    "description": f"{courier_name} {name}",
                    "duration": f"{days} days",
                    "shipment_duration_range": days,
                    "shipment_duration_unit": "days",
                    "service_type": "overnight" if max_days == 1 else "standard",
                    "shipping_type": "parcel",
                    "price": price_of(courier, code, origin, destination, grams),
                    "type": code,
                }
            )
    return rows


@dataclass
class Order:
    id: str
    reference_id: str
    courier: str
    service: str
    waybill_id: str
    tracking_id: str
    price: int
    collection_method: str
    body: dict
    status: str = "confirmed"
    history: list = field(default_factory=list)
    webhooks: list = field(default_factory=list)

    def as_order(self) -> dict:
        body = self.body
        return {
            "success": True,
            "message": "Order successfully created",
            "object": "order",
            "id": self.id,
            "shipper": {
                "name": body.get("shipper_contact_name", ""),
                "phone": body.get("shipper_contact_phone", ""),
                "organization": body.get("shipper_organization", ""),
            },
            "origin": {
                "contact_name": body.get("origin_contact_name", ""),
                "contact_phone": body.get("origin_contact_phone", ""),
                "address": body.get("origin_address", ""),
                "postal_code": body.get("origin_postal_code"),
                "collection_method": self.collection_method,
            },
            "destination": {
                "contact_name": body.get("destination_contact_name", ""),
                "contact_phone": body.get("destination_contact_phone", ""),
                "address": body.get("destination_address", ""),
                "postal_code": body.get("destination_postal_code"),
            },
            "courier": {
                "tracking_id": self.tracking_id,
                "waybill_id": self.waybill_id,
                "company": self.courier,
                "name": courier_name(self.courier),
                "type": self.service,
                "link": f"https://track.biteship.local/{self.waybill_id}",
                "history": self.history,
            },
            "delivery": {
                "type": body.get("delivery_type", "now"),
                "datetime": (
                    f"{body['delivery_date']}T{body['delivery_time']}:00+07:00"
                    if body.get("delivery_type") == "scheduled"
                    else self.history[0]["updated_at"]
                ),
            },
            "reference_id": self.reference_id,
            "items": body.get("items", []),
            "price": self.price,
            "status": self.status,
        }

    def as_tracking(self) -> dict:
        return {
            "success": True,
            "messsage": "Successfully get tracking info",
            "object": "tracking",
            "id": self.tracking_id,
            "waybill_id": self.waybill_id,
            "courier": {"company": self.courier, "name": courier_name(self.courier)},
            "origin": {"postal_code": self.body.get("origin_postal_code")},
            "destination": {"postal_code": self.body.get("destination_postal_code")},
            "history": self.history,
            "link": f"https://track.biteship.local/{self.waybill_id}",
            "order_id": self.id,
            "status": self.status,
        }

    def webhook_payload(self) -> dict:
        return {
            "event": "order.status",
            "courier_tracking_id": self.tracking_id,
            "courier_waybill_id": self.waybill_id,
            "courier_company": self.courier,
            "courier_type": self.service,
            "courier_driver_name": "",
            "courier_driver_phone": "",
            "courier_link": f"https://track.biteship.local/{self.waybill_id}",
            "order_id": self.id,
            "order_price": self.price,
            "status": self.status,
            "updated_at": self.history[-1]["updated_at"],
        }


class State:
    def __init__(self, *, api_key: str, webhook_url: str, webhook_token: str, webhook_header: str):
        self.lock = threading.Lock()
        self.api_key = api_key
        self.webhook_url = webhook_url
        self.webhook_token = webhook_token
        self.webhook_header = webhook_header
        self.reset()

    def reset(self) -> None:
        self.orders: dict[str, Order] = {}
        self.by_reference: dict[str, str] = {}
        self.by_tracking: dict[str, str] = {}
        self.counter = 0
        self.delay_seconds = 0.0
        self.fail_status = 0
        self.maps_fail_status = 0
        self.requests: list[dict] = []


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: int):
        self.status, self.message, self.code = status, message, code


def _send_webhook(state: State, payload: dict) -> int:
    """POST one webhook, as Biteship does, with the configured token header.

    Returns the HTTP status (0: unreachable)."""
    if not state.webhook_url:
        return 0
    request = urllib.request.Request(
        state.webhook_url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", state.webhook_header: state.webhook_token},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0


def make_handler(state: State):
    class Handler(BaseHTTPRequestHandler):
        server_version = "localbiteship/1"
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

        # Plumbing

        def _body(self) -> dict:
            length = int(self.headers.get("Content-Length") or 0)
            if not length:
                return {}
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw or b"{}")
            except ValueError as error:
                raise ApiError(400, "Invalid JSON body", 40000001) from error
            if not isinstance(body, dict):
                raise ApiError(400, "The body must be a JSON object", 40000001)
            return body

        def _reply(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> None:
            given = (self.headers.get("Authorization") or "").strip()
            if given.lower().startswith("bearer "):
                given = given[7:].strip()
            if given != state.api_key:
                raise ApiError(401, "Authentication failed: invalid API key", 40101001)

        def _slow_or_failing(self) -> None:
            # Read without the lock: a slow endpoint must not block the control endpoints.
            if state.delay_seconds:
                time.sleep(state.delay_seconds)
            if state.fail_status:
                raise ApiError(state.fail_status, "Service temporarily unavailable", 50000001)

        def _dispatch(self, method: str) -> None:
            path, _sep, query = self.path.partition("?")
            path = path.rstrip("/")
            self.query = {key: values[-1] for key, values in urllib.parse.parse_qs(query).items()}
            parts = [part for part in path.split("/") if part]
            try:
                if parts[:1] == ["_control"]:
                    status, payload = self._control(method, parts[1:])
                else:
                    self._authorised()
                    self._slow_or_failing()
                    status, payload = self._api(method, parts)
            except ApiError as error:
                status, payload = error.status, {"success": False, "error": error.message, "code": error.code}
            self._reply(status, payload)

        def do_GET(self):
            self._dispatch("GET")

        def do_POST(self):
            self._dispatch("POST")

        def do_DELETE(self):
            self._dispatch("DELETE")

        # The Biteship API

        def _api(self, method: str, parts: list[str]):
            if method == "POST" and parts == ["v1", "rates", "couriers"]:
                return 200, self._rates(self._body())
            if method == "POST" and parts == ["v1", "orders"]:
                return 200, self._create_order(self._body())
            if method == "GET" and parts == ["v1", "maps", "areas"]:
                return 200, self._areas()
            if method == "GET" and parts == ["v1", "pickup", "timeslots"]:
                return 200, self._timeslots()
            if len(parts) == 3 and parts[:2] == ["v1", "orders"]:
                order = self._order(parts[2])
                if method == "GET":
                    return 200, order.as_order()
                if method == "DELETE":
                    return 200, self._cancel(order, self._body())
            if method == "POST" and len(parts) == 4 and parts[:2] == ["v1", "orders"] and parts[3] == "cancel":
                return 200, self._cancel(self._order(parts[2]), self._body())
            if method == "GET" and len(parts) == 3 and parts[:2] == ["v1", "trackings"]:
                with state.lock:
                    order_id = state.by_tracking.get(parts[2])
                if order_id is None:
                    raise ApiError(404, "Tracking not found", 40400002)
                return 200, self._order(order_id).as_tracking()
            raise ApiError(404, "Not found", 40400000)

        def _areas(self) -> dict:
            if state.maps_fail_status:
                raise ApiError(state.maps_fail_status, "Maps temporarily unavailable", 50000002)
            text = self.query.get("input", "")
            with state.lock:
                state.requests.append({"endpoint": "areas", "body": dict(self.query)})
            area = area_of(text)
            return {"success": True, "object": "area", "areas": [area] if area else []}

        def _rates(self, body: dict) -> dict:
            # An area id, when given, says where: its postal code prices the route.
            for end in ("origin", "destination"):
                if body.get(f"{end}_area_id"):
                    body = {**body, f"{end}_postal_code": int(postal_code_of_area(body[f"{end}_area_id"]))}
            origin, destination = body.get("origin_postal_code"), body.get("destination_postal_code")
            if not origin or not destination:
                raise ApiError(400, "origin_postal_code and destination_postal_code are required", 40001001)
            items = body.get("items")
            if not isinstance(items, list) or not items:
                raise ApiError(400, "items are required", 40001002)
            couriers = [code.strip() for code in str(body.get("couriers") or "").split(",") if code.strip()]
            if not couriers:
                raise ApiError(400, "couriers are required", 40001003)
            with state.lock:
                state.requests.append({"endpoint": "rates", "body": body})
            return {
                "success": True,
                "object": "courier_pricing",
                "message": "Success to retrieve courier pricing",
                "code": 20001003,
                "origin": {"postal_code": int(origin) if str(origin).isdigit() else origin},
                "destination": {"postal_code": int(destination) if str(destination).isdigit() else destination},
                "pricing": pricing(couriers, str(origin), str(destination), total_grams(items))
                + instant_pricing(couriers, coordinates(body, "origin"), coordinates(body, "destination")),
            }

        def _create_order(self, body: dict) -> dict:
            for end in ("origin", "destination"):
                if body.get(f"{end}_area_id"):
                    body = {**body, f"{end}_postal_code": int(postal_code_of_area(body[f"{end}_area_id"]))}
            required = (
                "origin_contact_name",
                "origin_contact_phone",
                "origin_address",
                "origin_postal_code",
                "destination_contact_name",
                "destination_contact_phone",
                "destination_address",
                "destination_postal_code",
                "courier_company",
                "courier_type",
                "delivery_type",
                "items",
            )
            missing = [name for name in required if not body.get(name)]
            if missing:
                raise ApiError(400, f"Missing fields: {', '.join(missing)}", 40002001)
            courier, service = str(body["courier_company"]), str(body["courier_type"])
            grams = total_grams(body["items"])
            if courier in INSTANT_COURIERS:
                price = instant_price(courier, service, coordinates(body, "origin"), coordinates(body, "destination"))
            else:
                price = price_of(courier, service, body["origin_postal_code"], body["destination_postal_code"], grams)
            if price is None:
                raise ApiError(400, f"Courier {courier} {service} is not available", 40002002)
            method = body.get("origin_collection_method") or "pickup"
            if method not in ("pickup", "drop_off"):
                raise ApiError(400, "origin_collection_method must be pickup or drop_off", 40002003)
            if body["delivery_type"] not in ("now", "scheduled"):
                raise ApiError(400, "delivery_type must be now or scheduled", 40002005)
            if body["delivery_type"] == "scheduled":
                slot = f"{body.get('delivery_date')}T{body.get('delivery_time')}"
                if method != "pickup" or slot not in {row["id"] for row in pickup_timeslots()}:
                    raise ApiError(400, "The pickup time is not available", 40002006)
            reference = str(body.get("reference_id") or "")
            with state.lock:
                state.requests.append({"endpoint": "orders", "body": body})
                # The same reference books once: a retried request gets the order it already made.
                if reference and reference in state.by_reference:
                    return state.orders[state.by_reference[reference]].as_order()
                state.counter += 1
                order = Order(
                    id=uuid.uuid4().hex[:24],
                    reference_id=reference,
                    courier=courier,
                    service=service,
                    waybill_id=f"{WAYBILL_PREFIX.get(courier, 'WB')}{state.counter:010d}",
                    tracking_id=uuid.uuid4().hex[:24],
                    price=price,
                    collection_method=method,
                    body=body,
                )
                order.history.append(
                    {"note": STATUS_NOTES["confirmed"], "updated_at": now_iso(), "status": "confirmed"}
                )
                state.orders[order.id] = order
                state.by_tracking[order.tracking_id] = order.id
                if reference:
                    state.by_reference[reference] = order.id
                return order.as_order()

        def _timeslots(self) -> dict:
            courier = self.query.get("courier_company", "")
            if courier and courier not in COURIERS:
                raise ApiError(400, f"Courier {courier} is not available", 40003001)
            return {"success": True, "object": "pickup_timeslot", "timeslots": pickup_timeslots()}

        def _order(self, order_id: str) -> Order:
            with state.lock:
                order = state.orders.get(order_id)
            if order is None:
                raise ApiError(404, "Order not found", 40400001)
            return order

        def _cancel(self, order: Order, body: dict) -> dict:
            with state.lock:
                picked = order.status in STATUS_FLOW and STATUS_FLOW.index(order.status) >= STATUS_FLOW.index("picked")
                if order.status in FINAL_STATUSES or picked:
                    raise ApiError(400, "The order can no longer be cancelled", 40002004)
                self._move(order, "cancelled", body.get("cancellation_reason") or STATUS_NOTES["cancelled"])
            return {
                "success": True,
                "message": "Order successfully deleted",
                "object": "order",
                "id": order.id,
                "status": "cancelled",
            }

        @staticmethod
        def _move(order: Order, status: str, note: str = "") -> None:
            order.status = status
            order.history.append(
                {"note": note or STATUS_NOTES.get(status, status), "updated_at": now_iso(), "status": status}
            )

        # Control endpoints (not Biteship's)

        def _control(self, method: str, parts: list[str]):
            if method == "GET" and parts == ["health"]:
                return 200, {"ok": True}
            if method == "POST" and parts == ["reset"]:
                with state.lock:
                    state.reset()
                return 200, {"ok": True}
            if method == "POST" and parts == ["config"]:
                body = self._body()
                with state.lock:
                    if "delay_seconds" in body:
                        state.delay_seconds = float(body["delay_seconds"] or 0)
                    if "fail_status" in body:
                        state.fail_status = int(body["fail_status"] or 0)
                    if "maps_fail_status" in body:
                        state.maps_fail_status = int(body["maps_fail_status"] or 0)
                    for name in ("webhook_url", "webhook_token", "webhook_header"):
                        if name in body:
                            setattr(state, name, str(body[name] or ""))
                return 200, {"ok": True}
            if method == "GET" and parts == ["orders"]:
                with state.lock:
                    return 200, {"orders": [order.as_order() for order in state.orders.values()]}
            if method == "GET" and parts == ["requests"]:
                with state.lock:
                    return 200, {"requests": list(state.requests)}
            if method == "POST" and len(parts) == 3 and parts[0] == "orders" and parts[2] == "advance":
                return 200, self._advance(self._order(parts[1]), self._body())
            if method == "POST" and len(parts) == 3 and parts[0] == "orders" and parts[2] == "replay":
                return 200, self._replay(self._order(parts[1]), self._body())
            raise ApiError(404, "Unknown control endpoint", 40400009)

        def _advance(self, order: Order, body: dict) -> dict:
            """Move the order to `status` (default: the next in STATUS_FLOW) and send its webhook."""
            with state.lock:
                target = body.get("status")
                if target is None:
                    if order.status in FINAL_STATUSES or order.status not in STATUS_FLOW:
                        raise ApiError(400, f"The order is {order.status}: nothing follows", 40009001)
                    target = STATUS_FLOW[STATUS_FLOW.index(order.status) + 1]
                if target not in STATUS_NOTES:
                    raise ApiError(400, f"Unknown status {target}", 40009002)
                self._move(order, target, body.get("note", ""))
                payload = order.webhook_payload()
                order.webhooks.append(payload)
            delivered = _send_webhook(state, payload) if body.get("webhook", True) else None
            return {"order": order.as_order(), "webhook": payload, "webhook_status": delivered}

        def _replay(self, order: Order, body: dict) -> dict:
            """Send an earlier webhook of the order again (`index`, default the last), as a redelivery would."""
            with state.lock:
                if not order.webhooks:
                    raise ApiError(400, "The order sent no webhook yet", 40009003)
                payload = order.webhooks[int(body.get("index", -1))]
            return {"webhook": payload, "webhook_status": _send_webhook(state, payload)}

    return Handler


def make_server(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    api_key: str,
    webhook_url: str = "",
    webhook_token: str = "",
    webhook_header: str = "X-Biteship-Signature",
) -> ThreadingHTTPServer:
    state = State(api_key=api_key, webhook_url=webhook_url, webhook_token=webhook_token, webhook_header=webhook_header)
    server = ThreadingHTTPServer((host, port), make_handler(state))
    server.daemon_threads = True
    server.state = state
    return server


def serve(**kwargs) -> None:
    server = make_server(**kwargs)
    host, port = server.server_address[:2]
    print(f"localbiteship listening on http://{host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

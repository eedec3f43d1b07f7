"""The HTTP side of localmidtrans: Midtrans's API paths, the control API and the simulator pages."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
import socket
import sys
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from . import qris, simulator
from .engine import MSG_UNAUTHORIZED, Config, ControlError, Engine, MidtransError

MAX_BODY = 1024 * 1024
DEFAULT_WAIT_TIMEOUT = 15.0


class LocalMidtransServer(ThreadingHTTPServer):
    """A threading HTTP server holding one Engine, with a timer that expires charges on time."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], engine: Engine, *, quiet: bool = False):
        super().__init__(address, Handler)
        self.engine = engine
        self.quiet = quiet
        self._stop = threading.Event()
        self._timer = threading.Thread(target=self._expire_on_time, name="localmidtrans-expiry", daemon=True)
        self._timer.start()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def _expire_on_time(self) -> None:
        while not self._stop.is_set():
            due_in = self.engine.next_expiry_in()
            self._stop.wait(0.5 if due_in is None else min(0.5, max(0.02, due_in)))
            try:
                self.engine.expire_due()
            except Exception as error:  # the timer must outlive a bad state file or a full disk
                print(f"localmidtrans: expiry check failed: {error!r}", file=sys.stderr)

    def start(self) -> LocalMidtransServer:
        """Serve in a background thread (for tests in the same process)."""
        self._thread = threading.Thread(target=self.serve_forever, name="localmidtrans-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.engine.notifier.stop()
        self.shutdown()
        self.server_close()


def make_server(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    server_key: str,
    notification_url: str | None = None,
    public_url: str | None = None,
    state_file: str | None = None,
    retry_delays: list[float] | None = None,
    workers: int = 4,
    merchant_id: str = "G000000001",
    quiet: bool = False,
) -> LocalMidtransServer:
    config = Config(server_key=server_key, notification_url=notification_url, public_url="", merchant_id=merchant_id)
    if retry_delays is not None:
        config.retry_delays = list(retry_delays)
    engine = Engine(config, state_file=state_file, workers=workers)
    server = LocalMidtransServer((host, port), engine, quiet=quiet)
    config.public_url = public_url or server.url
    return server


class Handler(BaseHTTPRequestHandler):
    server: LocalMidtransServer
    protocol_version = "HTTP/1.1"
    server_version = "localmidtrans/1.0"

    # -- plumbing --------------------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, a keep-alive client's delayed ACK
        # holds every answer back by ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    @property
    def engine(self) -> Engine:
        return self.server.engine

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _html(self, status: int, text: str) -> None:
        self._send(status, text.encode(), "text/html; charset=utf-8")

    def _redirect(self, location: str) -> None:
        self._send(HTTPStatus.SEE_OTHER, b"", "text/plain", {"Location": location})

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise MidtransError(413, "The request cannot be processed due to malformed syntax in the request body")
        return self.rfile.read(length) if length else b""

    def _read_json(self) -> Any:
        raw = self._read_body()
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise MidtransError(
                413, "The request cannot be processed due to malformed syntax in the request body"
            ) from None

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic" or not encoded:
            return False
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return False
        username, _, password = decoded.partition(":")
        return hmac.compare_digest(username.encode(), self.engine.config.server_key.encode()) and password == ""

    def _split(self) -> tuple[list[str], dict[str, str]]:
        parsed = urllib.parse.urlsplit(self.path)
        parts = [urllib.parse.unquote(p) for p in parsed.path.split("/") if p]
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(parsed.query).items()}
        return parts, query

    def _lower_headers(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.headers.items()}

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        parts, query = self._split()
        try:
            if parts[:1] == ["v2"]:
                self._api(method, parts[1:])
            elif parts[:1] == ["_control"]:
                self._control(method, parts[1:], query)
            elif parts[:1] == ["simulator"]:
                self._simulator(method, parts[1:], query)
            elif not parts and method == "GET":
                self._redirect("/simulator/")
            else:
                raise MidtransError(404, "The requested resource is not found")
        except MidtransError as error:
            self._json(error.status_code, error.body())
        except ControlError as error:
            self._json(error.http_status, {"error": error.message})
        except Exception as error:  # report it like Midtrans's 500, and keep serving
            print(f"localmidtrans: {method} {self.path} failed: {error!r}", file=sys.stderr)
            self._json(500, MidtransError(500, "Sorry, an unexpected error occurred. Please try again later.").body())

    # -- Midtrans API ----------------------------------------------------------------------
    def _api(self, method: str, parts: list[str]) -> None:
        # The QR image URL of a charge is public: the shop's page shows it in an <img>.
        if method == "GET" and len(parts) == 3 and parts[0] in ("qris", "gopay") and parts[2] == "qr-code":
            transaction = self.engine.get(parts[1])
            if transaction.payment_type != parts[0]:
                raise MidtransError(404, "The requested resource is not found")
            content = transaction.qr_string or self.engine.actions(transaction)[1]["url"]
            self._send(200, qris.qr_png(content), "image/png")
            return
        if not self._authorized():
            self._read_body()
            raise MidtransError(401, MSG_UNAUTHORIZED)
        if parts == ["charge"]:
            self._require(method, "POST")
            self._json(200, self.engine.charge(self._read_json(), self._lower_headers()))
            return
        if len(parts) >= 2:
            reference, action = parts[0], "/".join(parts[1:])
            if action == "status":
                self._require(method, "GET")
                self._json(200, self.engine.status_body(self.engine.get(reference)))
                return
            if action in ("cancel", "expire", "refund", "refund/online/direct"):
                self._require(method, "POST")
                payload = self._read_json()
                if action == "cancel":
                    body = self.engine.cancel(reference)
                elif action == "expire":
                    body = self.engine.expire(reference)
                else:
                    body = self.engine.refund(reference, payload)
                self._json(200, body)
                return
        raise MidtransError(404, "The requested resource is not found")

    def _require(self, method: str, expected: str) -> None:
        if method != expected:
            raise MidtransError(405, "HTTP method is not allowed")

    # -- control API -----------------------------------------------------------------------
    def _control(self, method: str, parts: list[str], query: dict[str, str]) -> None:
        engine = self.engine
        wait = query.get("wait", "0").lower() in ("1", "true", "yes")
        timeout = float(query.get("timeout", DEFAULT_WAIT_TIMEOUT))
        if parts == ["config"]:
            if method == "POST":
                payload = self._read_json() or {}
                if not isinstance(payload, dict):
                    raise ControlError("send a JSON object", 400)
                self._json(200, engine.configure(payload))
            else:
                self._json(200, engine.describe())
            return
        if parts == ["reset"] and method == "POST":
            self._read_body()
            engine.reset()
            self._json(200, {"reset": True})
            return
        if parts == ["transactions"] and method == "GET":
            self._json(200, {"transactions": [engine.status_body(t) for t in engine.all()]})
            return
        if parts == ["notifications"] and method == "GET":
            deliveries = engine.notifier.log(query.get("order_id"))
            self._json(200, {"notifications": [d.summary() for d in deliveries]})
            return
        if parts == ["wait"] and method == "POST":
            self._read_body()
            idle = engine.notifier.wait_idle(timeout)
            self._json(200 if idle else 504, {"idle": idle})
            return
        if len(parts) == 2 and method == "POST":
            reference, action = parts
            self._read_body()
            force = query.get("force", "0").lower() in ("1", "true", "yes")
            if action == "notify":
                try:
                    times = int(query.get("times", "1"))
                except ValueError:
                    raise ControlError("times must be a whole number", 400) from None
                if not 1 <= times <= 1000:
                    raise ControlError("times must be between 1 and 1000", 400)
                deliveries = engine.renotify(
                    reference,
                    times=times,
                    transaction_status=query.get("transaction_status") or None,
                    bad_signature=query.get("bad_signature", "0").lower() in ("1", "true", "yes"),
                )
                transaction = engine.get(reference)
            elif action in ("settle", "expire", "deny", "cancel"):
                if action == "settle":
                    transaction, deliveries = engine.settle(reference, force=force)
                elif action == "deny":
                    transaction, deliveries = engine.deny(reference, force=force)
                elif action == "expire":
                    transaction, deliveries = engine.control_expire(reference)
                else:
                    transaction, deliveries = engine.control_cancel(reference)
            else:
                raise MidtransError(404, "The requested resource is not found")
            finished = engine.notifier.wait(deliveries, timeout) if wait else None
            self._json(
                200,
                {
                    "transaction": engine.status_body(transaction),
                    "notifications": [d.summary() for d in deliveries],
                    "all_finished": finished,
                },
            )
            return
        raise MidtransError(404, "The requested resource is not found")

    # -- simulator -------------------------------------------------------------------------
    def _simulator(self, method: str, parts: list[str], query: dict[str, str]) -> None:
        engine = self.engine
        if not parts and method == "GET":
            self._html(200, simulator.index(engine, query.get("notice")))
            return
        if parts == ["va"] and method == "GET":
            bank = query.get("bank", "")
            transaction = engine.find_by_va(bank, query.get("va_number", ""))
            if transaction is None:
                self._html(404, simulator.index(engine, "not-found"))
            else:
                self._redirect(f"/simulator/{transaction.transaction_id}")
            return
        if parts == ["qris"] and method == "POST":
            form = urllib.parse.parse_qs(self._read_body().decode("utf-8", "replace"))
            try:
                transaction = engine.find_by_qr_string(form.get("qr_string", [""])[0])
            except ValueError:
                transaction = None
            if transaction is None:
                self._html(404, simulator.index(engine, "bad-qr"))
            else:
                self._redirect(f"/simulator/{transaction.transaction_id}")
            return
        if len(parts) == 1 and method == "GET":
            try:
                transaction = engine.get(parts[0])
            except MidtransError:
                self._html(404, simulator.index(engine, "not-found"))
                return
            self._html(200, simulator.transaction_page(engine, transaction, query.get("notice")))
            return
        if len(parts) == 2 and parts[1] in ("pay", "deny") and method == "POST":
            self._read_body()
            reference = parts[0]
            try:
                if parts[1] == "pay":
                    transaction, _ = engine.settle(reference)
                else:
                    transaction, _ = engine.deny(reference)
            except ControlError:
                transaction = engine.get(reference)
                self._html(409, simulator.transaction_page(engine, transaction, "not-pending"))
                return
            except MidtransError:
                self._html(404, simulator.index(engine, "not-found"))
                return
            callback = transaction.callback_url
            if callback.startswith(("http://", "https://")):
                separator = "&" if "?" in callback else "?"
                result = "success" if parts[1] == "pay" else "failure"
                params = urllib.parse.urlencode(
                    {
                        "order_id": transaction.order_id,
                        "result": result,
                        "transaction_status": transaction.transaction_status,
                    }
                )
                self._redirect(f"{callback}{separator}{params}")
                return
            notice = "paid" if parts[1] == "pay" else "denied"
            self._redirect(f"/simulator/{transaction.transaction_id}?notice={notice}")
            return
        raise MidtransError(404, "The requested resource is not found")


def parse_delays(text: str) -> list[float]:
    if not text.strip():
        return []
    delays = [float(part) for part in re.split(r"[,\s]+", text.strip()) if part]
    if any(d < 0 for d in delays):
        raise ValueError("retry delays must not be negative")
    return delays

"""localmidtrans: a local server speaking the parts of Midtrans's Core API that the marketplace uses.

Run it with `python -m localservers.midtrans --port 8421 --server-key KEY --notification-url URL`.
It answers charge, status, cancel, expire and refund calls with Midtrans's documented shapes,
POSTs signed HTTP notifications, and serves a simulator page where a demo user pays a virtual
account or approves a QRIS / GoPay / ShopeePay payment. README.md beside this file says what it
covers. It uses the standard library (plus reportlab's QR encoder for the QR images and the project's
rupiah formatter, core.money), not Django.
"""

from .engine import Engine, MidtransError, signature_key
from .server import LocalMidtransServer, make_server

__all__ = ["Engine", "LocalMidtransServer", "MidtransError", "make_server", "signature_key"]

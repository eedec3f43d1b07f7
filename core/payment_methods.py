"""The registry of ways to pay: what checkout and invoices offer, and what each does once chosen.

Every provider registers its methods from its own `AppConfig.ready` (payments: card; bank_transfers:
manual bank transfer; midtrans: virtual accounts, QRIS and e-wallets). Checkout and invoices only
read this registry, so a new provider (Xendit, DOKU) is one app that registers itself, with no edit
to checkout. The registry lives in `core` because every layer may import it; it imports nothing above.

A method's `start_order_payment(order=, request=)` runs right after an order paid that way is placed
(outside any transaction) and returns the URL the buyer goes to next. `start_invoice_payment`, when
set, does the same for an off-taker paying an invoice's balance and makes the method appear on the
invoice page.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    label: str
    provider: str
    start_order_payment: Callable[..., str]
    # Shown grouped on the choice page, groups in this order.
    group: str = "other"
    sort: int = 100
    help_text: str = ""
    enabled: Callable[[], bool] = field(default=lambda: True)
    start_invoice_payment: Callable[..., str] | None = None

    def __str__(self) -> str:
        return str(self.label)


GROUP_ORDER = ["card", "virtual_account", "qris", "ewallet", "bank_transfer", "other"]

_methods: dict[str, PaymentMethod] = {}


def register(method: PaymentMethod) -> PaymentMethod:
    """Add (or replace, when a provider's ready() runs again) a method under its code."""
    _methods[method.code] = method
    return method


def unregister(code: str) -> None:
    _methods.pop(code, None)


def _order_key(method: PaymentMethod):
    group = GROUP_ORDER.index(method.group) if method.group in GROUP_ORDER else len(GROUP_ORDER)
    return (group, method.sort, method.code)


def all_methods() -> list[PaymentMethod]:
    return sorted(_methods.values(), key=_order_key)


def available_methods(*, for_invoices: bool = False) -> list[PaymentMethod]:
    """The methods on offer now, in display order; for invoices only those that can pay one."""
    return [
        method
        for method in all_methods()
        if method.enabled() and (not for_invoices or method.start_invoice_payment is not None)
    ]


def get(code: str | None) -> PaymentMethod | None:
    """The registered method with this code, or None (also for a method registered but switched off)."""
    method = _methods.get(code or "")
    if method is None or not method.enabled():
        return None
    return method


def is_registered(code: str | None) -> bool:
    """Whether a provider registered this code, switched on or not (an order placed before it was switched off)."""
    return (code or "") in _methods


def label_of(code: str | None) -> str:
    """The method's label even when switched off since (an order placed before), else the code."""
    method = _methods.get(code or "")
    return str(method.label) if method is not None else (code or "")

"""How fulfilment asks for a part's money back without knowing how it was paid.

Money is returned by the app that took it, which sits above fulfilment: `payments` plugs its
refunds in at start-up (`PaymentsConfig.ready`). Fulfilment calls `refund_provider()`; a refund
that cannot be made raises `RefundFailed`, whose message is safe to show the pesantren.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class RefundFailed(Exception):
    """The refund could not be made (e.g. the card payment service refused it)."""


@dataclass(frozen=True)
class RefundProvider:
    """`begin(seller_order=, amount=, actor=, reason=)` records a refund inside the caller's
    transaction with the part locked; `finish(refunded)` completes it after the commit (a card
    refund calls Stripe only then); `refund_part(...)` does both for a part that stays as it is.
    Each returns an outcome with `method` and `amount`."""

    begin: Callable[..., Any]
    finish: Callable[[Any], Any]
    refund_part: Callable[..., Any]


_provider: RefundProvider | None = None


def register_refund_provider(provider: RefundProvider) -> None:
    global _provider
    _provider = provider


def refund_provider() -> RefundProvider:
    if _provider is None:
        raise ImproperlyConfigured("No refund provider is registered: is the payments app installed?")
    return _provider

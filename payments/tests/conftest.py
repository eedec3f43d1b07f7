import hashlib
import hmac
import json
import time
from decimal import Decimal

import pytest
from django.conf import settings
from oscar.apps.shipping.methods import FixedPrice
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from fulfilment.services import shipping_breakdown
from tests.factories import make_region_tree, make_seller, make_seller_product

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")


def make_card_order(*, prices: tuple[str, ...] = ("150000", "80000"), user=None):
    """An order placed through Oscar with one product per pesantren: split into SellerOrders.

    The order total includes each pesantren's shipping charge, as the checkout charges it.
    """
    regions = make_region_tree()
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    for price in prices:
        seller = make_seller(regions=regions)
        basket.add_product(make_seller_product(seller, price=price))
    shipping = sum(
        (charge for _, charge in shipping_breakdown(lines=basket.all_lines(), destination_kabupaten=None).values()),
        Decimal(0),
    )
    method = FixedPrice(charge_excl_tax=shipping, charge_incl_tax=shipping)
    return create_order(basket=basket, user=user, shipping_method=method)


def signed_webhook(payload: dict, secret: str | None = None) -> tuple[bytes, str]:
    """A webhook body and Stripe-Signature header, signed the way Stripe signs them."""
    body = json.dumps(payload).encode()
    timestamp = int(time.time())
    signature = hmac.new(
        (secret or settings.STRIPE_WEBHOOK_SECRET).encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return body, f"t={timestamp},v1={signature}"


def payment_intent_event(event_id: str, event_type: str, payment_intent_id: str) -> dict:
    return {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "data": {"object": {"id": payment_intent_id, "object": "payment_intent"}},
    }


@pytest.fixture
def card_order(db):
    return make_card_order()

"""order.access: a placed order is shown to its signed-in owner, or to the session that placed a guest order."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from order.access import order_for_visitor
from tests.factories import (
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)

pytestmark = pytest.mark.django_db


def visitor(*, user=None, placed_order_id=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    if placed_order_id is not None:
        request.session["checkout_order_id"] = placed_order_id
    return request


@pytest.fixture
def orders():
    regions = make_region_tree()
    product = make_seller_product(make_seller(regions=regions))
    owner = make_user()
    owned = place_order(items=[(product, 1)], shipping_address=make_shipping_address(regions=regions), user=owner)
    guest = place_order(items=[(product, 1)], shipping_address=make_shipping_address(regions=regions))
    return {"owner": owner, "owned": owned, "guest": guest}


def test_the_owner_sees_its_order_and_nobody_else_does(orders):
    owned = orders["owned"]

    assert order_for_visitor(request=visitor(user=orders["owner"]), number=owned.number) == owned
    assert order_for_visitor(request=visitor(user=make_user()), number=owned.number) is None
    assert order_for_visitor(request=visitor(), number=owned.number) is None
    # the session that placed it, signed out, no longer sees an order that has an owner
    assert order_for_visitor(request=visitor(placed_order_id=owned.pk), number=owned.number) is None


def test_a_guest_order_is_seen_by_the_session_that_placed_it_only(orders):
    guest = orders["guest"]

    assert order_for_visitor(request=visitor(placed_order_id=guest.pk), number=guest.number) == guest
    assert order_for_visitor(request=visitor(placed_order_id=str(guest.pk)), number=guest.number) == guest
    assert order_for_visitor(request=visitor(placed_order_id=orders["owned"].pk), number=guest.number) is None
    assert order_for_visitor(request=visitor(user=orders["owner"]), number=guest.number) is None
    assert order_for_visitor(request=visitor(placed_order_id=guest.pk), number="no-such-order") is None

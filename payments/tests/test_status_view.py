from django.urls import reverse

from payments.services import start_card_payment
from payments.tests.conftest import make_card_order
from tests.factories import make_user


def test_owner_sees_3ds_state_with_client_secret(client, localstripe, db):
    # given a signed-in customer whose card needs 3-D Secure
    user = make_user()
    order = make_card_order(user=user)
    payment = start_card_payment(order=order, payment_method_id=localstripe.create_payment_method("4000002500003155"))
    client.force_login(user)

    # when
    response = client.get(reverse("payments:status", args=[order.number]))

    # then
    assert response.status_code == 200
    assert response.json() == {
        "order_status": "Pending payment",
        "payment_status": "requires_action",
        "requires_action": True,
        "client_secret": payment.client_secret,
        "last_error": "",
    }
    assert "no-cache" in response["Cache-Control"]


def test_guest_sees_the_order_placed_in_this_session(client, localstripe, db):
    order = make_card_order()
    start_card_payment(order=order, payment_method_id=localstripe.create_payment_method())
    session = client.session
    session["checkout_order_id"] = order.pk
    session.save()

    data = client.get(reverse("payments:status", args=[order.number])).json()

    assert (data["payment_status"], data["requires_action"], data["client_secret"]) == ("succeeded", False, None)


def test_anyone_else_gets_404(client, db):
    order = make_card_order(user=make_user())
    client.force_login(make_user())

    assert client.get(reverse("payments:status", args=[order.number])).status_code == 404
    client.logout()
    assert client.get(reverse("payments:status", args=[order.number])).status_code == 404
    assert client.get(reverse("payments:status", args=["nope"])).status_code == 404


def test_order_without_card_attempt_reports_no_payment(client, db):
    order = make_card_order()
    session = client.session
    session["checkout_order_id"] = order.pk
    session.save()

    assert client.get(reverse("payments:status", args=[order.number])).json() == {
        "order_status": "Pending payment",
        "payment_status": None,
        "requires_action": False,
        "client_secret": None,
        "last_error": "",
    }

"""A guest checks out with only an email address and reaches the card page of their order."""

import pytest
from django.urls import reverse

from fulfilment.models import SellerOrder
from tests.factories import make_region_tree, make_seller, make_seller_product

pytestmark = pytest.mark.django_db


def test_guest_checkout_places_a_pending_order_and_opens_its_payment_page(client):
    regions = make_region_tree()
    product = make_seller_product(make_seller(regions=regions), title="Madu Hutan", price="85000")
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})

    client.post(reverse("checkout:index"), {"username": "tamu@example.com", "options": "anonymous"})
    response = client.post(
        reverse("checkout:shipping-address"),
        {
            "first_name": "Tamu",
            "phone_number": "081234567890",
            "line1": "Jl. Asia Afrika 1",
            "province": "32",
            "kabupaten": regions["kabupaten"].code,
            "kecamatan": regions["kecamatan"][0].code,
            "postcode": "40111",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.get(reverse("checkout:shipping-method"))
    client.post(reverse("checkout:payment-method"), {"method": "card"})
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})

    assert response.status_code == 302
    seller_order = SellerOrder.objects.select_related("order").get()
    assert seller_order.order.guest_email == "tamu@example.com"
    assert seller_order.order.user is None
    assert response["Location"] == reverse("checkout:pay", kwargs={"order_number": seller_order.order.number})
    assert client.get(response["Location"]).status_code == 200
    # another visitor cannot open the guest's payment page
    client.cookies.clear()
    assert client.get(response["Location"]).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_preview_before_a_payment_method_is_chosen_sends_the_buyer_back_to_choose_one(client, method):
    # given a basket with a shipping address but no payment method chosen yet
    regions = make_region_tree()
    product = make_seller_product(make_seller(regions=regions), title="Madu Hutan", price="85000")
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    client.post(reverse("checkout:index"), {"username": "tamu@example.com", "options": "anonymous"})
    client.post(
        reverse("checkout:shipping-address"),
        {
            "first_name": "Tamu",
            "phone_number": "081234567890",
            "line1": "Jl. Asia Afrika 1",
            "province": "32",
            "kabupaten": regions["kabupaten"].code,
            "kecamatan": regions["kecamatan"][0].code,
            "postcode": "40111",
        },
    )
    client.get(reverse("checkout:shipping-method"))

    # when the buyer opens the preview, or tries to place the order from it
    data = {"action": "place_order"} if method == "post" else {}
    response = getattr(client, method)(reverse("checkout:preview"), data)

    # then they are sent to the payment method step with a message, and no order is placed
    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:payment-method")
    messages = [str(message).strip() for message in response.wsgi_request._messages]
    assert messages[-1] in ("Pilih cara pembayaran.", "Choose how you want to pay.")
    assert not SellerOrder.objects.exists()

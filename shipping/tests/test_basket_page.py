import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from oscar.templatetags.currency_filters import currency

from shipping.tests.conftest import make_basket
from tests.factories import make_seller, make_seller_product, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper_basket(bandung, jakarta):
    user = make_user()
    ikhlas = make_seller(name="Pondok Al-Ikhlas", regions=bandung)
    baitul = make_seller(name="Pesantren Baitul Hikmah", regions=jakarta)
    keripik = make_seller_product(ikhlas, title="Keripik Singkong", price="25000", weight_grams=600)
    kopi = make_seller_product(baitul, title="Kopi Arabika", price="30000", weight_grams=None)
    basket = make_basket((keripik, 2), (kopi, 3), owner=user)
    return user, basket, ikhlas, baitul


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_basket_page_groups_lines_under_each_pesantren_with_subtotals(client, shopper_basket):
    # given
    user, basket, ikhlas, baitul = shopper_basket
    client.force_login(user)

    # when
    response = client.get(reverse("basket:summary"))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    sections = re.findall(r'<section class="basket-group.*?</section>', html, flags=re.S)
    assert len(sections) == 2
    # Ordered by name: Baitul Hikmah, then Al-Ikhlas.
    assert f'data-seller="{baitul.slug}"' in sections[0] and "Kopi Arabika" in sections[0]
    assert f'data-seller="{ikhlas.slug}"' in sections[1] and "Keripik Singkong" in sections[1]
    assert "Keripik Singkong" not in sections[0]
    assert currency(Decimal("90000"), "IDR") in _text(sections[0])
    assert currency(Decimal("50000"), "IDR") in _text(sections[1])
    # No address yet: shipping is left to checkout.
    assert "basket-group-shipping" in sections[0]
    assert response.context["shipping_method"].code == "per-pesantren"
    assert not response.context["shipping_method"].destination_known


def test_basket_formset_still_updates_and_removes_lines_by_their_index(client, shopper_basket):
    user, basket, ikhlas, baitul = shopper_basket
    client.force_login(user)
    response = client.get(reverse("basket:summary"))
    html = response.content.decode()
    formset = response.context["formset"]
    forms = {form.instance.product.title: index for index, form in enumerate(formset)}
    # The remove link of each line carries that line's formset index, whatever the grouping.
    for title, index in forms.items():
        assert re.search(rf'{title}.*?data-id="{index}" data-behaviours="remove"', html, flags=re.S)

    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, form in enumerate(formset):
        data[f"form-{index}-id"] = form.instance.pk
        data[f"form-{index}-quantity"] = "1" if form.instance.product.title == "Keripik Singkong" else "3"
        if form.instance.product.title == "Kopi Arabika":
            data[f"form-{index}-DELETE"] = "on"

    response = client.post(reverse("basket:summary"), data)

    assert response.status_code == 302
    lines = {line.product.title: line.quantity for line in basket.lines.all()}
    assert lines == {"Keripik Singkong": 1}


def test_checkout_shipping_address_step_stores_the_regions_and_charges_per_pesantren(client, shopper_basket, bandung):
    # given
    user, basket, ikhlas, baitul = shopper_basket
    client.force_login(user)
    data = {
        "first_name": "Siti Aminah",
        "phone_number": "081234567890",
        "line1": "Jl. Raya Soreang No. 12",
        "province": "32",
        "kabupaten": bandung["kabupaten"].code,
        "kecamatan": bandung["kecamatan"][0].code,
        "desa": bandung["desa"][0].code,
        "postcode": "",
    }

    # when: the no-JS refresh, then the real submit
    refresh = client.post(reverse("checkout:shipping-address"), {**data, "refresh_regions": "1"})
    response = client.post(reverse("checkout:shipping-address"), data)

    # then
    assert refresh.status_code == 200
    assert refresh.context["form"].errors == {}
    assert response.status_code == 302
    stored = client.session["checkout_data"]["shipping"]["new_address_fields"]
    assert stored["kabupaten_id"] == "32.04"
    assert stored["line4"] == "Kabupaten Bandung"
    assert stored["postcode"] == "40377"

    page = client.get(reverse("checkout:shipping-address"))
    assert page.context["form"]["kabupaten"].value() == "32.04"


def test_checkout_totals_break_shipping_down_per_pesantren_once_the_address_is_known(shopper_basket, bandung, rf):
    from oscar.core.loading import get_class, get_model

    from shipping.repository import Repository

    ShippingAddress = get_model("order", "ShippingAddress")
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    user, basket, ikhlas, baitul = shopper_basket
    address = ShippingAddress(kabupaten_id=bandung["kabupaten"].code)
    method = Repository().get_default_shipping_method(basket, shipping_addr=address)
    charge = method.calculate(basket)
    request = rf.get("/")
    request.user = user

    html = render_to_string(
        "oscar/basket/partials/basket_totals.html",
        {
            "basket": basket,
            "shipping_method": method,
            "shipping_charge": charge,
            "shipping_address": address,
            "order_total": OrderTotalCalculator().calculate(basket, charge),
        },
        request=request,
    )

    rows = _text(" ".join(re.findall(r'<tr class="shipping-group">.*?</tr>', html, flags=re.S)))
    # Al-Ikhlas, same kabupaten, 1.200 g: 10.000 + 5.000. Baitul Hikmah, from Jakarta, 1.500 g: 25.000 + 15.000.
    assert f"Pondok Al-Ikhlas (1.200 g) {currency(Decimal('15000'), 'IDR')}" in rows
    assert f"Pesantren Baitul Hikmah (1.500 g) {currency(Decimal('40000'), 'IDR')}" in rows
    assert charge.incl_tax == Decimal("55000")
    assert currency(Decimal("140000") + Decimal("55000"), "IDR") in _text(html)

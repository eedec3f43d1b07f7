import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from shipping.models import SellerShippingRate
from shipping.services import seller_shipping_rates_update
from tests.factories import make_seller, make_user

pytestmark = pytest.mark.django_db

URL = "/dashboard/ongkir/"


@pytest.fixture
def seller_user(bandung):
    seller = make_seller(name="Pondok Al-Ikhlas", regions=bandung)
    user = make_user()
    seller.partner.users.add(user)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="partner", codename="dashboard_access"))
    return seller, user


def valid_data(**overrides):
    data = {
        "same_kabupaten_first_kg": "8000",
        "same_kabupaten_next_kg": "4000",
        "same_province_first_kg": "",
        "same_province_next_kg": "",
        "elsewhere_first_kg": "30000",
        "elsewhere_next_kg": "0",
    }
    return {**data, **overrides}


def test_url_is_mounted_under_the_dashboard():
    assert reverse("shipping-dashboard:rates") == URL


def test_anonymous_user_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_user_without_a_pesantren_gets_404(client):
    client.force_login(make_user())

    assert client.get(URL).status_code == 404


def test_page_shows_the_defaults_as_placeholders_and_own_rates_as_values(client, seller_user, settings):
    seller, user = seller_user
    settings.MARKETPLACE_DEFAULT_SHIPPING_RATES = {
        "same_kabupaten": {"first_kg": 10000, "next_kg": 5000},
        "same_province": {"first_kg": 15000, "next_kg": 8000},
        "elsewhere": {"first_kg": 25000, "next_kg": 15000},
    }
    seller_shipping_rates_update(seller=seller, rates={"elsewhere": (27000, 13000)})
    client.force_login(user)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Pondok Al-Ikhlas" in html
    assert 'name="same_province_first_kg"' in html and 'placeholder="15000"' in html
    assert 'placeholder="5000"' in html
    assert 'value="27000"' in html and 'value="13000"' in html


def test_saving_sets_the_sellers_own_rates_and_clears_blank_zones(client, seller_user):
    # given
    seller, user = seller_user
    seller_shipping_rates_update(seller=seller, rates={"same_province": (12000, 6000)})
    client.force_login(user)

    # when
    response = client.post(URL, valid_data())

    # then
    assert response.status_code == 302
    rows = {row.zone: (row.first_kg, row.next_kg) for row in SellerShippingRate.objects.filter(seller=seller)}
    assert rows == {"same_kabupaten": (8000, 4000), "elsewhere": (30000, 0)}


def test_saving_touches_only_the_users_own_pesantren(client, seller_user, bandung):
    seller, user = seller_user
    other = make_seller(regions=bandung)
    seller_shipping_rates_update(seller=other, rates={"elsewhere": (22000, 11000)})
    client.force_login(user)

    client.post(URL, valid_data())

    assert [(r.zone, r.first_kg) for r in other.shipping_rates.all()] == [("elsewhere", 22000)]
    assert seller.shipping_rates.count() == 2


def test_rupiah_may_be_written_with_thousand_dots_and_rp(client, seller_user):
    seller, user = seller_user
    client.force_login(user)

    client.post(URL, valid_data(same_kabupaten_first_kg="Rp 8.500", same_kabupaten_next_kg="4.000"))

    assert seller.shipping_rates.get(zone="same_kabupaten").first_kg == 8500
    assert seller.shipping_rates.get(zone="same_kabupaten").next_kg == 4000


@pytest.mark.parametrize(
    ("overrides", "field", "code", "message"),
    [
        ({"elsewhere_first_kg": "-1"}, "elsewhere_first_kg", "min_value", "The rate cannot be negative."),
        ({"same_kabupaten_next_kg": "5,5"}, "same_kabupaten_next_kg", "invalid", "Enter a whole number of rupiah"),
        ({"same_kabupaten_next_kg": "5.00"}, "same_kabupaten_next_kg", "invalid", "Enter a whole number of rupiah"),
        ({"same_kabupaten_first_kg": "lima ribu"}, "same_kabupaten_first_kg", "invalid", "Enter a whole number"),
        ({"same_kabupaten_first_kg": "99999999"}, "same_kabupaten_first_kg", "max_value", "tidak boleh lebih dari"),
        ({"same_province_first_kg": "9000"}, "same_province_next_kg", "incomplete", "Enter both amounts"),
    ],
)
def test_invalid_rates_are_refused_with_a_clear_error_and_nothing_is_saved(
    client, seller_user, overrides, field, code, message
):
    seller, user = seller_user
    seller_shipping_rates_update(seller=seller, rates={"same_province": (12000, 6000)})
    client.force_login(user)

    response = client.post(URL, valid_data(**overrides))

    assert response.status_code == 200
    form = response.context["form"]
    assert [error.code for error in form.errors.as_data()[field]] == [code]
    assert form.errors[field][0] in response.content.decode()
    with translation.override("en"):
        assert message in " ".join(form.errors[field])
    rows = {row.zone: (row.first_kg, row.next_kg) for row in SellerShippingRate.objects.filter(seller=seller)}
    assert rows == {"same_province": (12000, 6000)}

import pytest
from django.template.loader import render_to_string
from oscar.core.loading import get_class, get_model

from checkout.forms import ShippingAddressForm

ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")

pytestmark = pytest.mark.django_db


def address_data(regions, **overrides):
    data = {
        "first_name": "Siti Aminah",
        "phone_number": "0812 3456 7890",
        "line1": "Jl. Raya Soreang No. 12, RT 02/RW 05",
        "line2": "",
        "province": regions["province"].code,
        "kabupaten": regions["kabupaten"].code,
        "kecamatan": regions["kecamatan"][0].code,
        "desa": regions["desa"][0].code,
        "postcode": "",
        "notes": "",
    }
    return {**data, **overrides}


def test_oscar_loads_our_form_for_its_checkout():
    assert get_class("checkout.forms", "ShippingAddressForm") is ShippingAddressForm


def test_indonesia_is_a_shipping_country_created_by_migration():
    country = Country.objects.get(iso_3166_1_a2="ID")

    assert country.is_shipping_country
    assert country.printable_name == "Indonesia"


def test_fields_are_the_indonesian_address_with_regions_in_chain_order():
    form = ShippingAddressForm()

    assert list(form.fields) == [
        "first_name",
        "phone_number",
        "line1",
        "line2",
        "province",
        "kabupaten",
        "kecamatan",
        "desa",
        "postcode",
        "notes",
        "latitude",
        "longitude",
    ]
    assert form.fields["phone_number"].required and form.fields["first_name"].required
    assert not form.fields["desa"].required and form.fields["kecamatan"].required


def test_valid_address_saves_regions_and_fills_city_province_postcode_and_country(bandung):
    # given
    form = ShippingAddressForm(data=address_data(bandung))

    # when
    assert form.is_valid(), form.errors
    address = form.save()

    # then
    address = ShippingAddress.objects.get(pk=address.pk)
    assert address.kabupaten == bandung["kabupaten"]
    assert address.kecamatan == bandung["kecamatan"][0]
    assert address.desa == bandung["desa"][0]
    assert address.line4 == "Kabupaten Bandung"
    assert address.state == "Jawa Barat"
    assert address.postcode == "40377"
    assert address.country_id == "ID"
    assert address.phone_number.as_e164 == "+6281234567890"
    assert address.name == "Siti Aminah"


def test_any_province_can_be_the_destination(jakarta):
    form = ShippingAddressForm(data=address_data(jakarta, desa="", postcode="12810"))

    assert form.is_valid(), form.errors
    assert form.instance.line4 == "Kota Jakarta Selatan"
    assert form.instance.state == "DKI Jakarta"
    assert form.instance.desa is None


def test_kecamatan_outside_the_kabupaten_is_refused(bandung, kota_bandung):
    data = address_data(bandung, kecamatan=kota_bandung["kecamatan"][0].code, desa="")

    form = ShippingAddressForm(data=data)

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["kecamatan"]] == ["not_in_kabupaten"]
    assert not ShippingAddress.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone_number": ""}, "phone_number"),
        ({"phone_number": "12345"}, "phone_number"),
        ({"first_name": ""}, "first_name"),
        ({"line1": ""}, "line1"),
        ({"kabupaten": "", "kecamatan": "", "desa": ""}, "kabupaten"),
        ({"kecamatan": "", "desa": ""}, "kecamatan"),
        ({"desa": "", "postcode": ""}, "postcode"),
        ({"postcode": "4037"}, "postcode"),
    ],
)
def test_incomplete_or_wrong_address_is_refused(bandung, overrides, field):
    form = ShippingAddressForm(data=address_data(bandung, **overrides))

    assert not form.is_valid()
    assert field in form.errors


def test_refresh_re_renders_without_errors_and_offers_the_next_level(bandung):
    # The no-JavaScript "Update choices" button, pressed after choosing only a kabupaten.
    data = address_data(bandung, kecamatan="", desa="", phone_number="", refresh_regions="1")

    form = ShippingAddressForm(data=data)

    assert form.is_region_refresh()
    assert not form.is_valid()
    assert form.errors == {}
    offered = [str(value) for value, _ in form.fields["kecamatan"].choices if value != ""]
    assert offered == [district.code for district in bandung["kecamatan"]]
    html = render_to_string("oscar/checkout/shipping_address.html", {"form": form})
    assert 'name="kecamatan"' in html and "is-invalid" not in html


def test_initial_from_the_checkout_session_preselects_the_regions(bandung):
    # Oscar's ShippingAddressView passes back the instance fields it stored in the session.
    session_fields = {"first_name": "Siti", "kabupaten_id": "32.04", "kecamatan_id": "32.04.01", "desa_id": None}

    form = ShippingAddressForm(initial=session_fields)

    assert form["province"].value() == "32"
    assert form["kabupaten"].value() == "32.04"
    assert form["kecamatan"].value() == "32.04.01"
    offered = [str(value) for value, _ in form.fields["desa"].choices if value != ""]
    assert offered == ["32.04.01.2001"]

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from regions.forms import RegionChainMixin
from regions.models import Region
from sellers.models import Seller


class AddressForm(RegionChainMixin, forms.Form):
    name = forms.CharField()
    postal_code = forms.CharField(max_length=5)


class NationalForm(RegionChainMixin, forms.Form):
    region_all_provinces = True
    region_desa_required = True


class SellerRegionForm(RegionChainMixin, forms.ModelForm):
    class Meta:
        model = Seller
        fields = ["name", "province", "kabupaten", "kecamatan", "desa", "postal_code"]


def _offered(form, name: str) -> list[str]:
    return [str(value) for value, _label in form.fields[name].choices if value != ""]


def _data(**values) -> dict:
    return {"name": "Pesantren Al-Ikhlas", "postal_code": "", **values}


@pytest.mark.django_db
def test_unbound_form_offers_the_programme_province_kabupaten_only(region_tree):
    form = AddressForm()

    assert list(form.fields) == ["name", "postal_code", "kabupaten", "kecamatan", "desa"]
    assert _offered(form, "kabupaten") == ["32.04", "32.73"]
    assert _offered(form, "kecamatan") == []
    assert _offered(form, "desa") == []
    assert not form.fields["desa"].required


@pytest.mark.django_db
def test_refresh_after_choosing_a_kabupaten_lists_its_kecamatan_without_errors(region_tree):
    # given: no JavaScript, so the user pressed "Update choices" after picking a kabupaten
    form = AddressForm(data={"kabupaten": "32.04", "refresh_regions": "1"})

    # then
    assert form.is_region_refresh()
    assert not form.is_valid(), "a refresh must never save"
    assert form.errors == {}
    assert _offered(form, "kecamatan") == ["32.04.13", "32.04.05"]
    assert _offered(form, "desa") == []


@pytest.mark.django_db
def test_refresh_after_changing_the_kabupaten_drops_the_stale_kecamatan_levels(region_tree):
    form = AddressForm(
        data={"kabupaten": "32.73", "kecamatan": "32.04.05", "desa": "32.04.05.2001", "refresh_regions": "1"}
    )

    assert _offered(form, "kecamatan") == ["32.73.01"]
    assert _offered(form, "desa") == [], "the old kecamatan is not in the new kabupaten"
    assert 'value="32.04.05" selected' not in str(form["kecamatan"])


@pytest.mark.django_db
def test_a_normal_submit_is_not_a_refresh(region_tree):
    form = AddressForm(data=_data(kabupaten="32.04"))

    assert not form.is_region_refresh()
    assert not form.is_valid()
    assert form.has_error("kecamatan", "required")


@pytest.mark.django_db
def test_initial_values_narrow_the_choices(region_tree):
    form = AddressForm(initial={"kabupaten": region_tree["32.04"], "kecamatan": "32.04.05"})

    assert _offered(form, "kecamatan") == ["32.04.13", "32.04.05"]
    assert _offered(form, "desa") == ["32.04.05.2001", "32.04.05.2002"]


@pytest.mark.django_db
def test_valid_chain_derives_the_province_and_fills_a_blank_postal_code(region_tree):
    form = AddressForm(data=_data(kabupaten="32.04", kecamatan="32.04.05", desa="32.04.05.2002"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["province"] == region_tree["32"]
    assert form.cleaned_data["kecamatan"] == region_tree["32.04.05"]
    assert form.cleaned_data["postal_code"] == "40622"


@pytest.mark.django_db
def test_a_postal_code_typed_by_the_user_is_kept(region_tree):
    form = AddressForm(data=_data(kabupaten="32.04", kecamatan="32.04.05", desa="32.04.05.2002", postal_code="40999"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["postal_code"] == "40999"


@pytest.mark.django_db
def test_a_required_postal_code_is_still_required_without_a_desa(region_tree):
    form = AddressForm(data=_data(kabupaten="32.04", kecamatan="32.04.05"))

    assert not form.is_valid()
    assert form.has_error("postal_code", "required")
    assert set(form.errors) == {"postal_code"}


@pytest.mark.django_db
def test_a_kecamatan_of_another_kabupaten_is_rejected(region_tree):
    with translation.override("en"):
        form = AddressForm(data=_data(kabupaten="32.04", kecamatan="32.73.01", postal_code="40152"))

        assert not form.is_valid()
        assert form.errors["kecamatan"] == ["This kecamatan is not in the chosen kabupaten/kota."]
    assert form.has_error("kecamatan", "not_in_kabupaten")
    assert set(form.errors) == {"kecamatan"}


@pytest.mark.django_db
def test_a_desa_of_another_kecamatan_is_rejected(region_tree):
    with translation.override("en"):
        form = AddressForm(data=_data(kabupaten="32.04", kecamatan="32.04.05", desa="32.04.13.2001"))

        assert not form.is_valid()
        assert form.errors["desa"] == ["This desa/kelurahan is not in the chosen kecamatan."]
    assert form.has_error("desa", "not_in_kecamatan")


@pytest.mark.django_db
def test_a_kabupaten_outside_the_programme_province_is_rejected(region_tree):
    form = AddressForm(data=_data(kabupaten="33.01", kecamatan="33.01.01", desa="33.01.01.2001"))

    assert not form.is_valid()
    assert form.has_error("kabupaten", "invalid_choice")
    assert "province" not in form.cleaned_data


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["kabupaten", "kecamatan", "desa"])
def test_codes_that_do_not_exist_are_rejected(region_tree, field):
    data = _data(kabupaten="32.04", kecamatan="32.04.05", desa="32.04.05.2001")
    data[field] = "32.99"

    form = AddressForm(data=data)

    assert not form.is_valid()
    assert form.has_error(field, "invalid_choice")


@pytest.mark.django_db
def test_national_form_starts_with_a_province_and_checks_the_kabupaten_against_it(region_tree):
    with translation.override("en"):
        form = NationalForm(data={"province": "32", "kabupaten": "33.01", "kecamatan": "33.01.01"})

        assert list(form.fields) == ["province", "kabupaten", "kecamatan", "desa"]
        assert _offered(form, "province") == ["32", "33"]
        assert _offered(form, "kabupaten") == ["32.04", "32.73"]
        assert not form.is_valid()
        assert form.errors["kabupaten"] == ["This kabupaten/kota is not in the chosen province."]
        assert form.has_error("desa", "required")


@pytest.mark.django_db
def test_national_form_accepts_any_province(region_tree):
    form = NationalForm(data={"province": "33", "kabupaten": "33.01", "kecamatan": "33.01.01", "desa": "33.01.01.2001"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["province"] == region_tree["33"]


@pytest.mark.django_db
def test_model_form_gets_region_fields_and_the_derived_province(region_tree):
    # given
    form = SellerRegionForm(data=_data(kabupaten="32.73", kecamatan="32.73.01", desa="32.73.01.1001"))

    # when
    form.is_valid()
    seller = form.instance

    # then
    assert list(form.fields) == ["name", "kabupaten", "kecamatan", "desa", "postal_code"]
    assert not {"kabupaten", "kecamatan", "desa", "postal_code"} & set(form.errors)
    assert seller.province_id == "32"
    assert (seller.kabupaten_id, seller.kecamatan_id, seller.desa_id) == ("32.73", "32.73.01", "32.73.01.1001")
    assert seller.postal_code == "40152"


@pytest.mark.django_db
def test_model_form_narrows_from_its_instance(region_tree):
    seller = Seller(kabupaten=region_tree["32.04"], kecamatan=region_tree["32.04.13"], province=region_tree["32"])

    form = SellerRegionForm(instance=seller)

    assert _offered(form, "kecamatan") == ["32.04.13", "32.04.05"]
    assert _offered(form, "desa") == ["32.04.13.2001"]


@pytest.mark.django_db
def test_widgets_tell_the_script_where_to_fetch_and_what_to_fill(region_tree):
    form = AddressForm(prefix="pesantren", initial={"kabupaten": "32.04", "kecamatan": "32.04.05"})
    url = reverse("regions:children")

    kabupaten_attrs = form.fields["kabupaten"].widget.attrs
    desa_html = str(form["desa"])

    assert kabupaten_attrs["data-region-child"] == "pesantren-kecamatan"
    assert kabupaten_attrs["data-region-url"] == url
    assert form.fields["kecamatan"].widget.attrs["data-region-child"] == "pesantren-desa"
    assert "data-region-child" not in form.fields["desa"].widget.attrs
    assert 'data-region-postal-target="pesantren-postal_code"' in desa_html
    assert 'value="32.04.05.2001" data-postal-code="40621"' in desa_html
    assert form.region_refresh_html_name == "pesantren-refresh_regions"


@pytest.mark.django_db
def test_region_fields_include_renders_selects_and_the_no_js_refresh_button(region_tree):
    form = AddressForm(data={"kabupaten": "32.04", "refresh_regions": "1"})

    with translation.override("en"):
        html = render_to_string("regions/includes/region_fields.html", {"form": form})

    assert html.count("<select") == 3
    assert 'name="refresh_regions"' in html
    assert "Update choices" in html
    assert "formnovalidate" in html
    assert "js/region-select.js" in html
    assert '<option value="32.04" selected>Kabupaten Bandung</option>' in html
    assert '<option value="32.04.05">Cileunyi</option>' in html
    assert "is-invalid" not in html, "a refresh shows no errors"


@pytest.mark.django_db
def test_region_fields_include_marks_invalid_fields(region_tree):
    form = AddressForm(data=_data(kabupaten="32.04", kecamatan="32.73.01", postal_code="40152"))
    form.is_valid()

    html = render_to_string("regions/includes/region_fields.html", {"form": form})

    assert html.count("is-invalid") == 1
    assert 'class="invalid-feedback d-block"' in html


@pytest.mark.django_db
def test_form_setup_and_validation_query_counts(region_tree, django_assert_num_queries):
    data = _data(kabupaten="32.04", kecamatan="32.04.05", desa="32.04.05.2001")

    # one lookup per chosen level; the province comes with the kabupaten
    with django_assert_num_queries(3):
        form = AddressForm(data=data)
        assert form.is_valid()
    assert Region.objects.get(code="32.04").name == form.cleaned_data["kabupaten"].name

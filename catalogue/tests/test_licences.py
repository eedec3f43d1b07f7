import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalogue.models import Product, ProductClass
from catalogue.validators import validate_bpom_number, validate_halal_number, validate_pirt_number


@pytest.mark.parametrize("number", ["ID32110000123450124", "id 3211 0000 1234 5012 4", "ID-32110000123"])
def test_halal_accepts_bpjph_numbers(number):
    validate_halal_number(number)


def test_halal_rejects_legacy_kh_numbers_with_a_specific_message():
    with pytest.raises(ValidationError) as error:
        validate_halal_number("KH 01010012345678")
    assert error.value.code == "legacy_halal"


@pytest.mark.parametrize("number", ["", "ID12", "XY32110000123450124", "32110000123450124"])
def test_halal_rejects_malformed_numbers(number):
    with pytest.raises(ValidationError):
        validate_halal_number(number)


@pytest.mark.parametrize("number", ["206320401234521", "2063204-01-2345-21", "20632040123452101"])
def test_pirt_accepts_fifteen_or_more_digits(number):
    validate_pirt_number(number)


@pytest.mark.parametrize("number", ["20632040123452", "PIRT206320401234521", ""])
def test_pirt_rejects_short_or_lettered_numbers(number):
    with pytest.raises(ValidationError):
        validate_pirt_number(number)


@pytest.mark.parametrize("number", ["MD 224510001234", "md224510001234"])
def test_bpom_accepts_domestic_md_numbers(number):
    validate_bpom_number(number)


@pytest.mark.parametrize("number", ["ML 224510001234", "MD12", "224510001234"])
def test_bpom_rejects_other_numbers(number):
    with pytest.raises(ValidationError):
        validate_bpom_number(number)


@pytest.mark.django_db
def test_product_clean_normalises_numbers_and_requires_expiry_dates():
    product = Product(
        title="Keripik",
        product_class=ProductClass.objects.create(name="Makanan"),
        pirt_number="2063204-01-2345-21",
        halal_number="id 32110000123450124",
    )

    with pytest.raises(ValidationError) as error:
        product.clean()

    assert set(error.value.message_dict) == {"pirt_expiry", "halal_expiry"}
    assert product.pirt_number == "206320401234521"
    assert product.halal_number == "ID32110000123450124"


@pytest.mark.django_db
def test_pirt_is_valid_for_at_most_five_years():
    today = timezone.localdate()
    product = Product(
        title="Keripik",
        product_class=ProductClass.objects.create(name="Makanan"),
        pirt_number="206320401234521",
        pirt_expiry=today + datetime.timedelta(days=6 * 365),
    )

    with pytest.raises(ValidationError) as error:
        product.clean()

    assert "pirt_expiry" in error.value.message_dict


@pytest.mark.django_db
def test_licences_lists_only_present_numbers_and_flags_expired_ones():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    product = Product(title="Sambal", halal_number="ID32110000123450124", halal_expiry=yesterday)

    licences = product.licences()

    assert [(number, expired) for _label, number, _expiry, expired in licences] == [("ID32110000123450124", True)]
    assert product.is_halal_certified is False

import pytest
from django.core.exceptions import ValidationError

from core.identifiers import (
    compact_nib,
    compact_npwp,
    compact_nspp,
    format_npwp,
    is_valid_npwp,
    validate_nib,
    validate_npwp,
    validate_nspp,
)
from marketplace.demo import data as demo_data
from marketplace.demo.business import _pesantren_npwp
from tests.factories import make_npwp


def _error_code(validator, value) -> str:
    with pytest.raises(ValidationError) as error:
        validator(value)
    return error.value.code


# --- NPWP -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01.312.166.0-091.000", "013121660091000"),  # python-stdnum's own example
        ("013121660091000", "013121660091000"),
        (" 01 312 166 0 091 000 ", "013121660091000"),
        ("01.312.166.0 - 091.000", "013121660091000"),
        ("01\u00a0312\u00a0166\u00a00-091.000", "013121660091000"),  # no-break spaces pasted from a PDF
        ("0013121660091000", "0013121660091000"),  # 16-digit form since 2024: 0 + the old number
        ("3273 0145 0590 0001", "3273014505900001"),  # 16-digit NIK-based form
    ],
)
def test_npwp_in_any_spelling_is_valid_and_stored_as_digits(typed, stored):
    validate_npwp(typed)
    assert compact_npwp(typed) == stored


@pytest.mark.parametrize(
    "typo",
    [
        "01.312.166.1-091.000",  # check digit off by one
        "01.321.166.0-091.000",  # two digits swapped
        "0013121661091000",  # 16-digit form, wrong check digit
        "111111111111111",
    ],
)
def test_npwp_with_a_wrong_check_digit_is_refused(typo):
    assert _error_code(validate_npwp, typo) == "invalid_npwp_checksum"
    assert not is_valid_npwp(typo)


def test_nik_based_npwp_with_an_impossible_birth_date_or_region_is_refused():
    assert _error_code(validate_npwp, "3273012345670001") == "invalid_npwp_checksum"  # month 23
    assert _error_code(validate_npwp, "9973014505900001") == "invalid_npwp_checksum"  # no province 99


@pytest.mark.parametrize(
    "value",
    [
        "",
        None,
        "01312166009100",  # 14 digits
        "01312166009100000",  # 17 digits
        "0" * 1000,
        "01312166009100A",
        "01312166\x000091000",  # NUL inside
        "013121660091000\x00",
        "٠١٣١٢١٦٦٠٠٩١٠٠٠",  # Arabic-Indic digits: str.isdigit() says yes, no tax office does
        "01/312/166/0/091/000",
    ],
)
def test_npwp_of_the_wrong_shape_is_refused_before_the_check_digit(value):
    assert _error_code(validate_npwp, value) == "invalid_npwp"


def test_format_npwp_prints_the_15_digit_form_like_tax_documents():
    assert format_npwp("013121660091000") == "01.312.166.0-091.000"
    assert format_npwp("01 312 166 0 091 000") == "01.312.166.0-091.000"


def test_format_npwp_leaves_16_digit_numbers_blank_and_junk_as_they_are():
    assert format_npwp("3273014505900001") == "3273014505900001"
    assert format_npwp("0013121660091000") == "0013121660091000"
    assert format_npwp("") == ""
    assert format_npwp(None) == ""
    assert format_npwp("12345") == "12345"


def test_the_npwp_template_filters_are_format_npwp():
    from companies.templatetags.company_tags import register as company_tags
    from invoices.templatetags.invoice_tags import register as invoice_tags

    assert invoice_tags.filters["npwp"] is format_npwp
    assert company_tags.filters["npwp"] is format_npwp


def test_migrations_still_import_the_old_validator_paths():
    import offtakers.account_models
    import offtakers.validators
    import sellers.team_models
    import sellers.validators
    from core.invitations import new_invitation_token

    assert offtakers.validators.validate_npwp is validate_npwp
    assert offtakers.account_models._new_token is new_invitation_token
    assert sellers.team_models._new_token is new_invitation_token
    assert sellers.validators.validate_nspp is validate_nspp


def test_demo_and_test_npwps_pass_the_check_digit():
    for company in (demo_data.KATERING_COMPANY, demo_data.OLEH_OLEH_COMPANY, demo_data.APPLIED_COMPANY):
        validate_npwp(company["npwp"])
    for nspp in ("510032730001", "510032049999", "510032140420"):
        validate_npwp(_pesantren_npwp(nspp))
    for serial in (1, 42, 99_000_123):
        validate_npwp(make_npwp(serial))


# --- NSPP -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["510032040001", "5100 3204 0001", "51.0032.04.0001", "51-0032-04-0001"])
def test_nspp_in_any_spelling_is_valid_and_stored_as_digits(typed):
    validate_nspp(typed)
    assert compact_nspp(typed) == "510032040001"


@pytest.mark.parametrize(
    "value",
    ["", None, "410032040001", "51003204000", "5100320400011", "51003204000A", "510032040001\x00", "٥١٠٠٣٢٠٤٠٠٠١"],
)
def test_nspp_of_the_wrong_shape_is_refused(value):
    assert _error_code(validate_nspp, value) == "invalid_nspp"


# --- NIB --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["9120001234567", "9120 0012 34567", "912.000.123.4567"])
def test_nib_in_any_spelling_is_valid_and_stored_as_digits(typed):
    validate_nib(typed)
    assert compact_nib(typed) == "9120001234567"


@pytest.mark.parametrize("value", ["", None, "912000123456", "91200012345678", "912000123456X", "9120001234567\x00"])
def test_nib_of_the_wrong_shape_is_refused(value):
    assert _error_code(validate_nib, value) == "invalid_nib"

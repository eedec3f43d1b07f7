import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from companies.access import verified_company_for_user
from companies.models import Company, CompanyMembership, CompanyStatus, MembershipRole
from companies.services import CompanyTransitionError, company_register, company_reject, company_verify
from core.identifiers import compact_npwp, is_valid_npwp, validate_npwp
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def company_data(**overrides) -> dict:
    data = {
        "legal_name": "PT Sumber Berkah Niaga",
        "npwp": "01.234.567.4-901.000",
        "business_type": "wholesaler",
        "address": "Jl. Asia Afrika No. 8, Bandung",
        "contact_name": "Budi Santoso",
        "contact_phone": "081234567890",
        "contact_email": "budi@sumberberkah.co.id",
    }
    data.update(overrides)
    return data


def make_staff():
    staff = make_user()
    staff.user_permissions.add(Permission.objects.get(codename="verify_company", content_type__app_label="companies"))
    return type(staff).objects.get(pk=staff.pk)  # fresh instance: permissions are cached per object


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01.234.567.4-901.000", "012345674901000"),
        ("012345674901000", "012345674901000"),
        ("3273 0145 0590 0001", "3273014505900001"),
    ],
)
def test_npwp_accepts_15_and_16_digits_and_normalises_formatting(raw, expected):
    validate_npwp(raw)
    assert compact_npwp(raw) == expected


@pytest.mark.parametrize("raw", ["01.234.567.4-901.00", "12345678901234567", "01234567890100A", ""])
def test_npwp_refuses_wrong_lengths_and_letters(raw):
    with pytest.raises(ValidationError):
        validate_npwp(raw)


def test_register_stores_normalised_npwp_and_makes_the_user_an_approver():
    user = make_user()

    company = company_register(user=user, data=company_data())

    assert company.status == CompanyStatus.APPLIED
    assert company.npwp == "012345674901000"
    membership = CompanyMembership.objects.get(company=company)
    assert (membership.user, membership.role) == (user, MembershipRole.APPROVER)
    assert verified_company_for_user(user) is None


def test_register_refuses_bad_npwp_and_saves_nothing():
    with pytest.raises(ValidationError) as error:
        company_register(user=make_user(), data=company_data(npwp="12345"))

    assert "npwp" in error.value.message_dict
    assert not Company.objects.exists()
    assert not CompanyMembership.objects.exists()


def test_register_refuses_an_npwp_already_registered_in_another_spelling():
    company_register(user=make_user(), data=company_data(npwp="012345674901000"))

    with pytest.raises(ValidationError):
        company_register(user=make_user(), data=company_data(legal_name="CV Lain", npwp="01.234.567.4-901.000"))
    assert Company.objects.count() == 1


def test_staff_verify_records_who_and_when_and_unlocks_the_selector():
    # given
    buyer = make_user()
    company = company_register(user=buyer, data=company_data())
    staff = make_staff()

    # when
    company = company_verify(company=company, verified_by=staff)

    # then
    assert company.status == CompanyStatus.VERIFIED
    assert company.status_changed_by == staff
    assert company.status_changed_at is not None
    assert verified_company_for_user(buyer) == company


def test_verify_requires_the_permission():
    company = company_register(user=make_user(), data=company_data())

    with pytest.raises(PermissionDenied):
        company_verify(company=company, verified_by=make_user())
    company.refresh_from_db()
    assert company.status == CompanyStatus.APPLIED


def test_reject_needs_a_reason_and_a_reviewed_company_cannot_be_reviewed_again():
    buyer = make_user()
    company = company_register(user=buyer, data=company_data())
    staff = make_staff()

    with pytest.raises(ValidationError):
        company_reject(company=company, rejected_by=staff, reason="  ")
    company = company_reject(company=company, rejected_by=staff, reason="NPWP does not match the deed.")

    assert company.status == CompanyStatus.REJECTED
    assert company.status_reason == "NPWP does not match the deed."
    assert verified_company_for_user(buyer) is None
    with pytest.raises(CompanyTransitionError):
        company_verify(company=company, verified_by=staff)


def test_register_refuses_an_npwp_with_a_typo_in_its_check_digit():
    with pytest.raises(ValidationError) as error:
        company_register(user=make_user(), data=company_data(npwp="01.234.567.8-901.000"))

    assert [e.code for e in error.value.error_dict["npwp"]] == ["invalid_npwp_checksum"]
    assert not Company.objects.exists()


def test_the_npwp_help_text_example_is_a_valid_npwp():
    example = re.search(r"\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}", str(Company._meta.get_field("npwp").help_text))

    assert is_valid_npwp(example.group())


def test_buying_company_and_membership_answers_both_in_one_query(django_assert_num_queries):
    from companies.access import buying_company_and_membership
    from tests.factories import make_company

    consumer, pending_member, buyer = make_user(), make_user(), make_user()
    make_company(status=CompanyStatus.APPLIED, members=[(pending_member, MembershipRole.BUYER)])
    older = make_company(members=[(buyer, MembershipRole.BUYER)])
    make_company(members=[(buyer, MembershipRole.APPROVER)])
    make_company(status=CompanyStatus.APPLIED, members=[(buyer, MembershipRole.APPROVER)])

    with django_assert_num_queries(1):
        assert buying_company_and_membership(buyer) == (older, True)
    assert buying_company_and_membership(buyer)[0] == verified_company_for_user(buyer)
    assert buying_company_and_membership(pending_member) == (None, True)
    assert buying_company_and_membership(consumer) == (None, False)

"""The programme office's queue of off-taker companies: access, decisions, credit terms, history, emails."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from companies.account_models import CompanyEvent, CompanyEventKind
from companies.models import Company, CompanyStatus
from tests.factories import make_company, make_user

pytestmark = pytest.mark.django_db


def make_verifier():
    """Programme staff: not a superuser, not even is_staff; only the verify_company permission."""
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="verify_company", content_type__app_label="companies"))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def staff_client(english):
    staff = make_verifier()
    english.force_login(staff)
    english.staff = staff
    return english


def detail_url(company):
    return reverse("companies-dashboard:company-detail", kwargs={"pk": company.pk})


def test_queue_is_refused_to_a_normal_user_and_sends_anonymous_users_to_log_in(english):
    company = make_company(status=CompanyStatus.APPLIED)

    anonymous = english.get(reverse("companies-dashboard:company-list"))
    english.force_login(make_user())
    refused_list = english.get(reverse("companies-dashboard:company-list"))
    refused_post = english.post(detail_url(company), {"action": "verify"})

    assert anonymous.status_code == 302 and settings.LOGIN_URL in anonymous["Location"]
    assert (refused_list.status_code, refused_post.status_code) == (403, 403)
    assert Company.objects.get(pk=company.pk).status == CompanyStatus.APPLIED


def test_queue_lists_companies_by_status_with_counts_for_a_user_with_only_the_permission(
    staff_client, django_assert_max_num_queries
):
    for index in range(3):
        make_company(status=CompanyStatus.APPLIED, legal_name=f"CV Antri {index}")
    make_company(status=CompanyStatus.VERIFIED, legal_name="PT Sudah Terverifikasi")

    with django_assert_max_num_queries(15):
        response = staff_client.get(reverse("companies-dashboard:company-list"))
    verified = staff_client.get(reverse("companies-dashboard:company-list"), {"status": "verified"})

    assert response.status_code == 200
    assert [c.legal_name for c in response.context["companies"]] == ["CV Antri 0", "CV Antri 1", "CV Antri 2"]
    assert ("applied", "Applied", 3) in response.context["tabs"]
    assert ("verified", "Verified", 1) in response.context["tabs"]
    assert ("", "All", 4) in response.context["tabs"]
    assert [c.legal_name for c in verified.context["companies"]] == ["PT Sudah Terverifikasi"]
    # The menu shows the page to programme staff.
    assert reverse("companies-dashboard:company-list") in response.content.decode()


def test_queue_query_count_does_not_grow_with_the_number_of_companies(staff_client, django_assert_max_num_queries):
    for _index in range(2):
        make_company(status=CompanyStatus.APPLIED, members=[(make_user(), "approver")])
    with django_assert_max_num_queries(15) as few:
        staff_client.get(reverse("companies-dashboard:company-list"))
    for _index in range(10):
        make_company(status=CompanyStatus.APPLIED, members=[(make_user(), "approver")])

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(reverse("companies-dashboard:company-list"))

    assert len(response.context["companies"]) == 12


def test_detail_shows_registration_fields_formatted_npwp_and_members(staff_client):
    approver = make_user("dewi@amanah.id")
    company = make_company(
        status=CompanyStatus.APPLIED,
        npwp="012345674901000",
        legal_name="CV Toko Amanah",
        members=[(approver, "approver")],
    )

    response = staff_client.get(detail_url(company))

    html = response.content.decode()
    assert response.status_code == 200
    assert "01.234.567.4-901.000" in html
    assert "CV Toko Amanah" in html and "dewi@amanah.id" in html and "Jl. Asia Afrika 8" in html
    assert 'id="verify-form"' in html


def test_staff_verify_through_the_page_logs_the_event_and_emails_the_contact(
    staff_client, django_capture_on_commit_callbacks
):
    company = make_company(status=CompanyStatus.APPLIED, contact_email="pengadaan@amanah.id")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(detail_url(company), {"action": "verify"}, follow=True)

    company.refresh_from_db()
    assert company.status == CompanyStatus.VERIFIED
    assert company.status_changed_by == staff_client.staff
    event = CompanyEvent.objects.get(company=company)
    assert (event.kind, event.actor) == (CompanyEventKind.VERIFIED, staff_client.staff)
    assert [m.to for m in mail.outbox] == [["pengadaan@amanah.id"]]
    assert company.legal_name in mail.outbox[0].subject
    assert 'data-kind="verified"' in response.content.decode()


def test_reject_needs_a_reason_and_then_emails_it(staff_client, django_capture_on_commit_callbacks):
    company = make_company(status=CompanyStatus.APPLIED, contact_email="pengadaan@amanah.id")

    empty = staff_client.post(detail_url(company), {"action": "reject", "reason": "  "})
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(detail_url(company), {"action": "reject", "reason": "NPWP does not match the deed."})

    assert empty.status_code == 400
    company.refresh_from_db()
    assert (company.status, company.status_reason) == (CompanyStatus.REJECTED, "NPWP does not match the deed.")
    assert len(mail.outbox) == 1 and "NPWP does not match the deed." in mail.outbox[0].body


def test_a_second_decision_shows_the_transition_error_and_changes_nothing(staff_client):
    company = make_company(status=CompanyStatus.VERIFIED)

    response = staff_client.post(detail_url(company), {"action": "reject", "reason": "Too late"}, follow=True)

    assert "Only an applied company can be reviewed" in response.content.decode()
    company.refresh_from_db()
    assert company.status == CompanyStatus.VERIFIED
    assert not CompanyEvent.objects.exists()


def test_verification_email_is_sent_once_even_if_the_task_runs_twice(staff_client):
    from companies.tasks import send_company_event_email

    company = make_company(status=CompanyStatus.APPLIED)
    staff_client.post(detail_url(company), {"action": "verify"})
    event = CompanyEvent.objects.get(company=company)

    send_company_event_email(event.pk)
    send_company_event_email(event.pk)

    assert len(mail.outbox) == 1


def test_staff_set_credit_terms_and_the_change_is_in_the_history(staff_client):
    company = make_company(status=CompanyStatus.VERIFIED)

    response = staff_client.post(
        detail_url(company),
        {"action": "credit", "credit_limit": "Rp 25.000.000", "payment_terms_days": "14"},
        follow=True,
    )

    company.refresh_from_db()
    assert (company.credit_limit, company.payment_terms_days) == (25_000_000, 14)
    event = CompanyEvent.objects.get(company=company, kind=CompanyEventKind.CREDIT_TERMS_SET)
    assert event.actor == staff_client.staff
    assert event.data == {"credit_limit": [0, 25_000_000], "payment_terms_days": [30, 14]}
    html = response.content.decode()
    assert 'data-kind="credit_terms_set"' in html and "Rp 25.000.000" in html


def test_bad_credit_terms_are_refused_and_change_nothing(staff_client):
    company = make_company(status=CompanyStatus.VERIFIED, credit_limit=1_000_000)

    negative = staff_client.post(
        detail_url(company), {"action": "credit", "credit_limit": "-5", "payment_terms_days": "30"}
    )
    odd_terms = staff_client.post(
        detail_url(company), {"action": "credit", "credit_limit": "5000000", "payment_terms_days": "45"}
    )

    assert (negative.status_code, odd_terms.status_code) == (400, 400)
    company.refresh_from_db()
    assert (company.credit_limit, company.payment_terms_days) == (1_000_000, 30)
    assert not CompanyEvent.objects.exists()


def test_credit_terms_service_refuses_a_user_without_the_permission():
    from django.core.exceptions import PermissionDenied

    from companies.services import company_set_credit_terms

    company = make_company()
    approver = make_user()

    with pytest.raises(PermissionDenied):
        company_set_credit_terms(company=company, credit_limit=9_000_000, payment_terms_days=30, set_by=approver)
    company.refresh_from_db()
    assert company.credit_limit == 0

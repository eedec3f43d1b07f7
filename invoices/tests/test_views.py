from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from invoices.models import Invoice, InvoicePayment
from invoices.services import invoice_record_payment
from invoices.tests.conftest import place_on_invoice
from marketplace.dashboard import access_fn
from tests.factories import make_company, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(invoice_order):
    return Invoice.objects.get(order=invoice_order)


@pytest.fixture
def foreign_invoice(world):
    """Another company's invoice for the same products."""
    user = make_user()
    company = make_company(credit_limit=1_000_000, members=[(user, "approver")], legal_name="CV Toko Lain")
    order = place_on_invoice(company=company, user=user, regions=world["regions"], items=[(world["kopi"], 1)])
    return Invoice.objects.get(order=order)


def test_members_see_their_companys_invoices_only(client, world, invoice, foreign_invoice):
    client.force_login(world["buyer"])

    page = client.get(reverse("invoices:list")).content.decode()

    assert invoice.number in page and foreign_invoice.number not in page
    assert "Rp 1.260.000" in page


def test_the_list_marks_overdue_invoices(client, world, invoice):
    Invoice.objects.filter(pk=invoice.pk).update(due_date=timezone.localdate() - timezone.timedelta(days=3))
    client.force_login(world["buyer"])

    page = client.get(reverse("invoices:list")).content.decode()

    assert "data-overdue" in page


def test_the_detail_shows_sections_ppn_and_how_to_pay(client, world, invoice):
    client.force_login(world["approver"])

    response = client.get(reverse("invoices:detail", kwargs={"pk": invoice.pk}))

    page = response.content.decode()
    assert response.status_code == 200
    assert "01.234.567.4-901.000" in page and "99.887.766.6-544.000" in page
    assert "Rp 110.000" in page and "Rp 1.260.000" in page
    assert reverse("invoices:pdf", kwargs={"pk": invoice.pk}) in page
    assert reverse("invoices:pay", kwargs={"pk": invoice.pk}) in page
    assert "7000000000" in page


def test_other_users_and_visitors_cannot_see_an_invoice(client, world, invoice, foreign_invoice):
    client.force_login(world["outsider"])
    for name in ("invoices:detail", "invoices:pdf", "invoices:pay", "invoices:status"):
        assert client.get(reverse(name, kwargs={"pk": invoice.pk})).status_code == 404
    client.force_login(world["buyer"])
    assert client.get(reverse("invoices:detail", kwargs={"pk": foreign_invoice.pk})).status_code == 404
    client.logout()
    assert client.get(reverse("invoices:detail", kwargs={"pk": invoice.pk})).status_code == 302
    assert client.get(reverse("invoices:list")).status_code == 302


# Finance dashboard


def test_the_dashboard_needs_the_invoice_permission_not_just_staff(client, invoice, finance_user):
    staff = make_user(is_staff=True)
    urls = [
        reverse("invoices-dashboard:list"),
        reverse("invoices-dashboard:detail", kwargs={"pk": invoice.pk}),
        reverse("invoices-dashboard:pdf", kwargs={"pk": invoice.pk}),
        reverse("invoices-dashboard:credit"),
    ]

    client.force_login(staff)
    assert [client.get(url).status_code for url in urls] == [403] * 4
    client.force_login(finance_user)
    assert [client.get(url).status_code for url in urls] == [200] * 4
    assert access_fn(finance_user, "invoices-dashboard:list") is True
    assert access_fn(staff, "invoices-dashboard:list") is False


def test_finance_filters_invoices_by_state_and_company(client, finance_user, invoice, foreign_invoice):
    Invoice.objects.filter(pk=invoice.pk).update(due_date=timezone.localdate() - timezone.timedelta(days=1))
    invoice_record_payment(
        invoice=foreign_invoice, amount=150_000, reference="BSI-F", paid_on=timezone.localdate(), recorded_by=None
    )
    client.force_login(finance_user)
    url = reverse("invoices-dashboard:list")

    def listed(**params):
        page = client.get(url, params).content.decode()
        return {number for number in (invoice.number, foreign_invoice.number) if number in page}

    assert listed() == {invoice.number}  # open by default
    assert listed(state="overdue") == {invoice.number}
    assert listed(state="paid") == {foreign_invoice.number}
    assert listed(state="all") == {invoice.number, foreign_invoice.number}
    assert listed(state="all", company=foreign_invoice.company_id) == {foreign_invoice.number}


def test_finance_records_a_bank_transfer_and_an_overpayment_is_refused(client, finance_user, invoice):
    client.force_login(finance_user)
    url = reverse("invoices-dashboard:detail", kwargs={"pk": invoice.pk})
    today = timezone.localdate().isoformat()

    too_much = client.post(url, {"amount": "1260001", "reference": "BSI-9", "paid_on": today})
    assert too_much.status_code == 400
    assert "Rp 1.260.000" in too_much.content.decode()
    assert not InvoicePayment.objects.exists()

    response = client.post(url, {"amount": "1260000", "reference": "BSI-9", "paid_on": today})

    assert response.status_code == 302
    payment = InvoicePayment.objects.get()
    assert (payment.amount, payment.method, payment.reference, payment.recorded_by) == (
        Decimal(1_260_000),
        "bank_transfer",
        "BSI-9",
        finance_user,
    )
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    page = client.get(url).content.decode()
    assert 'id="record-payment-form"' not in page


def test_the_payment_form_starts_at_today_in_the_date_pickers_iso_format(client, finance_user, invoice):
    client.force_login(finance_user)

    page = client.get(reverse("invoices-dashboard:detail", kwargs={"pk": invoice.pk})).content.decode()

    # <input type="date"> shows an empty field for the Indonesian "23-11-2026"
    assert f'name="paid_on" value="{timezone.localdate().isoformat()}"' in page


def test_finance_sees_the_credit_used_per_company(client, finance_user, world, invoice):
    client.force_login(finance_user)

    page = client.get(reverse("invoices-dashboard:credit")).content.decode()

    assert world["company"].legal_name in page
    assert "Rp 5.000.000" in page and "Rp 1.260.000" in page and "Rp 3.740.000" in page


def test_the_company_order_page_links_its_invoice(client, world, invoice):
    client.force_login(world["buyer"])

    page = client.get(reverse("purchasing:order-detail", kwargs={"number": invoice.order.number})).content.decode()

    assert reverse("invoices:detail", kwargs={"pk": invoice.pk}) in page
    assert invoice.number in page


def test_without_card_payments_an_invoice_offers_and_takes_no_card(client, settings, world, invoice):
    settings.MARKETPLACE_CARD_PAYMENTS = False
    client.force_login(world["approver"])
    pay_url = reverse("invoices:pay", kwargs={"pk": invoice.pk})

    detail = client.get(reverse("invoices:detail", kwargs={"pk": invoice.pk})).content.decode()
    card_page = client.get(pay_url)
    attempt = client.post(pay_url, data='{"payment_method_id": "pm_card_visa"}', content_type="application/json")

    assert pay_url not in detail
    assert card_page.status_code == 302 and card_page.url == reverse("invoices:detail", kwargs={"pk": invoice.pk})
    assert attempt.status_code == 400
    assert not invoice.card_payments.exists()

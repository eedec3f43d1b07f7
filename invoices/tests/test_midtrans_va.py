"""An off-taker pays an invoice's balance by virtual account through the local Midtrans server."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from invoices.models import Invoice, InvoicePayment
from midtrans.models import MidtransCharge

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def invoice(invoice_order):
    return Invoice.objects.get(order=invoice_order)


def test_a_member_gets_a_bni_va_for_the_balance_and_its_settlement_pays_the_invoice(
    live_server, localmidtrans, settings, world, invoice
):
    settings.MARKETPLACE_MIDTRANS_PAYMENTS = True
    localmidtrans.set_notification_url(f"{live_server.url}/payments/midtrans/notification/")
    browser = Client()
    browser.force_login(world["buyer"])

    # the invoice page offers the virtual accounts registered for invoices (no QRIS or e-wallets)
    page = browser.get(reverse("invoices:detail", kwargs={"pk": invoice.pk})).content.decode()
    assert 'value="bni_va"' in page and 'value="gopay"' not in page

    # when the buyer asks for a BNI virtual account
    response = browser.post(reverse("invoices:start-payment", kwargs={"pk": invoice.pk}), {"method": "bni_va"})

    # then the VA for the whole balance is shown, and nothing is booked yet
    assert response["Location"] == reverse("invoices:virtual-account", kwargs={"pk": invoice.pk})
    charge = MidtransCharge.objects.get(purpose="invoice", payable_id=invoice.pk)
    assert charge.midtrans_order_id == invoice.number.replace("/", "-") + "-1"
    assert charge.amount == Decimal(1_260_000) and charge.order_id is None
    page = browser.get(response["Location"]).content.decode()
    assert charge.va_number and charge.va_number in page and "BNI" in page
    assert not InvoicePayment.objects.exists()

    # when the company pays it and Midtrans notifies (processed inline: eager tasks in the test settings)
    localmidtrans.settle(charge.midtrans_order_id)

    # then one payment is booked, under the charge's id, and the invoice is paid; a replay adds nothing
    localmidtrans.notify(charge.midtrans_order_id, times=3)
    payment = InvoicePayment.objects.get()
    assert (payment.method, payment.amount, payment.reference) == (
        "virtual_account",
        Decimal(1_260_000),
        charge.midtrans_order_id,
    )
    invoice.refresh_from_db()
    assert (invoice.status, invoice.balance) == ("paid", 0)
    charge.refresh_from_db()
    assert charge.fee == Decimal(4000)
    # an outsider cannot see the VA page
    outsider = Client()
    outsider.force_login(world["outsider"])
    assert outsider.get(reverse("invoices:virtual-account", kwargs={"pk": invoice.pk})).status_code == 404

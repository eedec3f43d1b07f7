import pytest

from api.tests.conftest import bulk_order
from invoices.models import Invoice

pytestmark = pytest.mark.django_db


def test_an_invoice_order_is_listed_with_its_terms_and_sections(world, client_a):
    order = bulk_order(client_a, world, method="invoice", po_number="PO-9").json()
    invoice = Invoice.objects.get(order__number=order["number"])

    listed = client_a.get("/api/v1/invoices/").json()["results"]
    body = client_a.get(f"/api/v1/invoices/{invoice.pk}/").json()

    assert [item["number"] for item in listed] == [invoice.number]
    assert body["number"] == invoice.number == order["payment"]["invoice_number"]
    assert body["order"] == order["number"]
    assert body["status"] == "open"
    assert body["total"] == order["total"] and body["balance"] == order["total"]
    assert body["amount_paid"] == body["amount_credited"] == 0
    assert body["due_date"] == invoice.due_date.isoformat()
    assert body["po_number"] == "PO-9"
    assert [section["pesantren"] for section in body["sections"]] == ["pp-al-falah"]
    assert body["pdf_url"].endswith(f"/api/v1/invoices/{invoice.pk}/pdf/")


def test_the_invoice_pdf_is_served(world, client_a):
    order = bulk_order(client_a, world, method="invoice").json()

    response = client_a.get(f"/api/v1/invoices/{order['payment']['invoice_id']}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_missing_invoice_pdf_is_a_json_404(world, client_a):
    response = client_a.get("/api/v1/invoices/999999/pdf/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"

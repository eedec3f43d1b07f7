"""Company A's token never reads company B's data: B's objects are not found (404), never forbidden."""

import pytest

from api.services import api_token_create
from api.tests.conftest import bulk_order, client_for
from companies.models import CompanyMembership
from purchasing.models import PurchaseRequest
from quotes.tests.helpers import make_quote, make_rfq

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_data(world, client_b):
    """Company B's order, invoice, purchase request, request for quotation and quote."""
    order = bulk_order(client_b, world, method="invoice").json()
    company = world["b"]["company"]
    rfq = make_rfq(company=company, user=world["b"]["approver"], seller=world["seller"])
    quote = make_quote(rfq=rfq, seller=world["seller"])
    company.approval_threshold = 1
    company.save()
    buyer = world["b"]["approver"]
    CompanyMembership.objects.filter(company=company, user=buyer).update(role="buyer")
    held = bulk_order(client_b, world, method="invoice")
    assert held.status_code == 202
    CompanyMembership.objects.filter(company=company, user=buyer).update(role="approver")
    return {
        "order": order["number"],
        "invoice": order["payment"]["invoice_id"],
        "purchase_request": PurchaseRequest.objects.get(company=company).pk,
        "rfq": rfq.pk,
        "quote": quote.pk,
    }


def foreign_paths(data: dict) -> list[str]:
    return [
        f"/api/v1/orders/{data['order']}/",
        f"/api/v1/invoices/{data['invoice']}/",
        f"/api/v1/invoices/{data['invoice']}/pdf/",
        f"/api/v1/purchase-requests/{data['purchase_request']}/",
        f"/api/v1/rfqs/{data['rfq']}/",
        f"/api/v1/rfqs/{data['rfq']}/quotes/",
    ]


def test_company_b_reads_its_own_objects(world, client_b, b_data):
    for path in foreign_paths(b_data):
        assert client_b.get(path).status_code == 200, path


def test_company_a_gets_404_for_every_object_of_company_b(world, client_a, b_data):
    for path in foreign_paths(b_data):
        response = client_a.get(path)
        assert response.status_code == 404, path


def test_company_a_cannot_accept_company_bs_quote(world, client_a, b_data):
    from quotes.models import Quote

    response = client_a.post(
        f"/api/v1/rfqs/{b_data['rfq']}/quotes/{b_data['quote']}/accept/", {"payment_method": "card"}, format="json"
    )

    assert response.status_code == 404
    assert Quote.objects.get(pk=b_data["quote"]).status == "submitted"


def test_company_a_lists_none_of_company_bs_objects(world, client_a, b_data):
    for path in ("/api/v1/orders/", "/api/v1/invoices/", "/api/v1/purchase-requests/", "/api/v1/rfqs/"):
        response = client_a.get(path)
        assert response.status_code == 200, path
        assert response.json()["results"] == [], path


def test_a_person_in_two_companies_reads_only_the_tokens_company(world, b_data):
    # B's approver also approves for A: a token made for A still never shows B's data.
    person = world["b"]["approver"]
    CompanyMembership.objects.create(company=world["a"]["company"], user=person, role="approver")
    _token, secret = api_token_create(company=world["a"]["company"], created_by=person, name="A's ERP")
    client = client_for(secret)

    for path in foreign_paths(b_data):
        assert client.get(path).status_code == 404, path
    for path in ("/api/v1/orders/", "/api/v1/invoices/", "/api/v1/purchase-requests/", "/api/v1/rfqs/"):
        assert client.get(path).json()["count"] == 0, path
    assert client.get(f"/api/v1/rfqs/{b_data['rfq']}/quotes/").status_code == 404


def test_a_order_placed_with_as_token_belongs_to_a_only(world, client_a, client_b):
    number = bulk_order(client_a, world).json()["number"]

    assert [order["number"] for order in client_a.get("/api/v1/orders/").json()["results"]] == [number]
    assert client_b.get("/api/v1/orders/").json()["count"] == 0
    assert client_b.get(f"/api/v1/orders/{number}/").status_code == 404

import pytest
from oscar.core.loading import get_model

from api.tests.conftest import address_payload
from quotes.models import Quote, QuoteStatus, RequestForQuotation, RfqStatus
from quotes.tests.helpers import in_days, make_quote, make_rfq

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")


def rfq_payload(world, **overrides) -> dict:
    return {
        "title": "Kopi arabika for our cafés",
        "quantity": 300,
        "unit": "pcs",
        "specification": "Ground, 250 g pouches, halal certified.",
        "target_unit_price": 19000,
        "delivery_date": in_days(30).isoformat(),
        "audience": "seller",
        "seller": "pp-al-falah",
        "quotes_due": in_days(7).isoformat(),
        **overrides,
    }


def test_a_company_asks_a_pesantren_for_a_quote(world, client_a):
    response = client_a.post("/api/v1/rfqs/", rfq_payload(world, product=world["coffee"].pk), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    rfq = RequestForQuotation.objects.get(pk=body["id"])
    assert rfq.company == world["a"]["company"] and rfq.created_by == world["a"]["approver"]
    assert list(rfq.invitations.values_list("seller__slug", flat=True)) == ["pp-al-falah"]
    assert body["status"] == "open" and body["seller"] == "pp-al-falah" and body["invitation_count"] == 1
    assert body["reference"] == f"RFQ-{rfq.pk}"
    listed = client_a.get("/api/v1/rfqs/").json()["results"]
    assert [item["id"] for item in listed] == [rfq.pk]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"seller": "no-such-pesantren"}, "seller"),
        ({"delivery_date": "2020-01-01"}, "delivery_date"),
        ({"audience": "region", "seller": "", "region": "31.71"}, "region"),
        ({"audience": "category", "seller": ""}, "category"),
        ({"quantity": 0}, "quantity"),
    ],
)
def test_a_bad_request_for_quotation_is_refused_with_the_field_at_fault(world, client_a, overrides, field):
    response = client_a.post("/api/v1/rfqs/", rfq_payload(world, **overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not RequestForQuotation.objects.exists()


def test_the_company_compares_quotes_and_accepts_one_at_the_quoted_price(world, client_a):
    rfq = make_rfq(company=world["a"]["company"], user=world["a"]["approver"], seller=world["seller"], quantity=30)
    quote = make_quote(
        rfq=rfq, seller=world["seller"], unit_price=18000, stockrecord=world["coffee"].stockrecords.get()
    )

    quotes = client_a.get(f"/api/v1/rfqs/{rfq.pk}/quotes/").json()
    assert [(item["id"], item["unit_price"], item["can_accept"]) for item in quotes] == [(quote.pk, 18000, True)]

    url = f"/api/v1/rfqs/{rfq.pk}/quotes/{quote.pk}/accept/"
    payload = {"shipping_address": address_payload(world["regions"]), "payment_method": "invoice"}
    accepted = client_a.post(url, payload, format="json", HTTP_IDEMPOTENCY_KEY="accept-1")
    replayed = client_a.post(url, payload, format="json", HTTP_IDEMPOTENCY_KEY="accept-1")
    again = client_a.post(url, payload, format="json")

    assert accepted.status_code == 201, accepted.json()
    body = accepted.json()
    assert body["lines"][0]["unit_price"] == 18000 and body["lines"][0]["quantity"] == 30
    assert replayed.status_code == 201 and replayed.json() == body
    assert again.status_code == 400
    assert Order.objects.count() == 1
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED and quote.order.number == body["number"]
    assert RequestForQuotation.objects.get(pk=rfq.pk).status == RfqStatus.AWARDED
    assert client_a.get(f"/api/v1/rfqs/{rfq.pk}/quotes/").json()[0]["order"] == body["number"]


def test_a_quote_of_another_request_is_not_found(world, client_a):
    first = make_rfq(company=world["a"]["company"], user=world["a"]["approver"], seller=world["seller"])
    second = make_rfq(company=world["a"]["company"], user=world["a"]["approver"], seller=world["seller"])
    quote = make_quote(rfq=second, seller=world["seller"])

    response = client_a.post(
        f"/api/v1/rfqs/{first.pk}/quotes/{quote.pk}/accept/",
        {"shipping_address": address_payload(world["regions"]), "payment_method": "invoice"},
        format="json",
    )

    assert response.status_code == 404
    assert Quote.objects.get(pk=quote.pk).status == QuoteStatus.SUBMITTED

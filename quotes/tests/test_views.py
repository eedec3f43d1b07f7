from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from purchasing.models import CompanyOrder
from quotes.models import Message, Quote, QuoteStatus, RequestForQuotation, RfqAudience, RfqStatus
from quotes.tests.helpers import in_days, make_company, make_quote, make_rfq, member_of
from tests.factories import make_region_tree, make_seller, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    regions = make_region_tree()
    alfa = make_seller(name="Pondok Alfa", regions=regions)
    bravo = make_seller(name="Pondok Bravo Rahasia", regions=regions)
    company = make_company(legal_name="PT Alfa Pangan")
    rival = make_company(legal_name="PT Saingan Rahasia")
    rfq = make_rfq(company=company, seller=alfa, title="Keripik untuk katering")
    rival_rfq = make_rfq(company=rival, seller=bravo, title="Pesanan rahasia saingan")
    return {
        "regions": regions,
        "alfa": alfa,
        "bravo": bravo,
        "company": company,
        "rival": rival,
        "rfq": rfq,
        "rival_rfq": rival_rfq,
        "rival_quote": make_quote(rfq=rival_rfq, seller=bravo, unit_price=17777),
    }


def address_data(regions) -> dict:
    return {
        "first_name": "Rina Gudang",
        "phone_number": "0812 3456 7890",
        "line1": "Jl. Soekarno-Hatta 100",
        "province": regions["province"].code,
        "kabupaten": regions["kabupaten"].code,
        "kecamatan": regions["kecamatan"][0].code,
        "desa": regions["desa"][0].code,
        "postcode": "",
    }


# The company's side


def test_a_member_sees_only_the_requests_of_their_company(client, world):
    client.force_login(member_of(world["company"]))

    body = client.get(reverse("quotes:list")).content.decode()

    assert "Keripik untuk katering" in body
    assert "Pesanan rahasia saingan" not in body
    rival_pk, rival_quote = world["rival_rfq"].pk, world["rival_quote"]
    for url in (
        reverse("quotes:detail", kwargs={"pk": rival_pk}),
        reverse("quotes:thread", kwargs={"pk": rival_pk, "seller_pk": world["bravo"].pk}),
        reverse("quotes:accept", kwargs={"pk": rival_pk, "quote_pk": rival_quote.pk}),
        # the company's own request with the rival's quote id
        reverse("quotes:accept", kwargs={"pk": world["rfq"].pk, "quote_pk": rival_quote.pk}),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"action": "cancel", "body": "hi", **address_data(world["regions"])}).status_code == 404
    world["rival_rfq"].refresh_from_db()
    rival_quote.refresh_from_db()
    assert (world["rival_rfq"].status, rival_quote.status) == (RfqStatus.OPEN, QuoteStatus.SUBMITTED)
    assert not Message.objects.exists()


def test_a_thread_is_only_with_an_invited_pesantren(client, world):
    client.force_login(member_of(world["company"]))
    url = reverse("quotes:thread", kwargs={"pk": world["rfq"].pk, "seller_pk": world["bravo"].pk})

    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Halo"}).status_code == 404


def test_creating_a_request_for_a_kabupaten(client, world):
    client.force_login(member_of(world["company"]))
    data = {
        "title": "Sambal botol private label",
        "kind": "private_label",
        "quantity": "500",
        "unit": "botol",
        "specification": "Botol 150 ml dengan merek kami.",
        "target_unit_price": "12000",
        "delivery_date": in_days(40).isoformat(),
        "quotes_due": in_days(10).isoformat(),
        "audience": RfqAudience.REGION,
        "region": world["regions"]["kabupaten"].code,
    }

    response = client.post(reverse("quotes:create"), data)

    rfq = RequestForQuotation.objects.get(title="Sambal botol private label")
    assert response.status_code == 302 and response["Location"] == reverse("quotes:detail", kwargs={"pk": rfq.pk})
    assert set(rfq.invitations.values_list("seller__name", flat=True)) == {"Pondok Alfa", "Pondok Bravo Rahasia"}
    assert (rfq.company, rfq.quantity, rfq.target_unit_price) == (world["company"], 500, 12000)


def test_creating_a_request_to_a_kabupaten_without_pesantren_says_why(client, world):
    empty = make_region_tree(kabupaten_code="32.01", kabupaten_name="Kabupaten Bogor")
    client.force_login(member_of(world["company"]))
    data = {
        "title": "Kopi",
        "kind": "catalogue",
        "quantity": "50",
        "unit": "pak",
        "specification": "Kopi bubuk 250 g",
        "delivery_date": in_days(20).isoformat(),
        "quotes_due": in_days(5).isoformat(),
        "audience": RfqAudience.REGION,
        "region": empty["kabupaten"].code,
    }

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("quotes:create"), data)

    assert response.status_code == 400
    assert "No verified pesantren is in Kabupaten Bogor yet" in response.content.decode()
    assert not RequestForQuotation.objects.filter(title="Kopi").exists()


def test_only_verified_companies_can_open_the_form(client, world):
    applied = make_company(status="applied")
    client.force_login(member_of(applied))
    assert client.get(reverse("quotes:create")).status_code == 403
    client.force_login(make_user())
    assert client.get(reverse("quotes:create")).status_code == 403
    client.logout()
    assert client.get(reverse("quotes:create")).status_code == 302


def test_the_comparison_shows_each_quote_with_its_total(client, world):
    rfq = make_rfq(company=world["company"], audience=RfqAudience.REGION, region=world["regions"]["kabupaten"])
    make_quote(rfq=rfq, seller=world["alfa"], unit_price=21000)
    make_quote(rfq=rfq, seller=world["bravo"], unit_price=23000)
    make_quote(rfq=rfq, seller=world["bravo"], unit_price=19500)  # a revision replaces the first
    client.force_login(member_of(world["company"]))

    body = client.get(reverse("quotes:detail", kwargs={"pk": rfq.pk})).content.decode()

    assert body.count("data-quote=") == 2
    assert "Rp 195.000" in body and "Rp 210.000" in body and "Rp 230.000" not in body
    assert body.index("Pondok Bravo Rahasia") < body.index("Pondok Alfa</a>")  # cheapest first


def test_accepting_by_bank_transfer_leads_to_the_transfer_page(client, world):
    quote = make_quote(rfq=world["rfq"], seller=world["alfa"], unit_price=21000)
    client.force_login(member_of(world["company"]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("quotes:accept", kwargs={"pk": world["rfq"].pk, "quote_pk": quote.pk})
    page = client.get(url).content.decode()
    assert 'value="invoice"' not in page  # no credit, no invoice

    response = client.post(url, {**address_data(world["regions"]), "payment_method": "bank_transfer"})

    order = CompanyOrder.objects.get(company=world["company"]).order
    assert response.status_code == 302
    assert response["Location"] == reverse("bank_transfers:detail", kwargs={"order_number": order.number})
    assert order.bank_transfer.order_id == order.pk
    assert order.lines.get().unit_price_incl_tax == Decimal("21000.00")
    assert order.shipping_address.kabupaten_id == world["regions"]["kabupaten"].code


def test_accepting_by_card_leads_to_the_card_page(client, world):
    quote = make_quote(rfq=world["rfq"], seller=world["alfa"])
    client.force_login(member_of(world["company"]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("quotes:accept", kwargs={"pk": world["rfq"].pk, "quote_pk": quote.pk})

    response = client.post(url, {**address_data(world["regions"]), "payment_method": "card", "po_number": "PO-9"})

    order = CompanyOrder.objects.get(company=world["company"], po_number="PO-9").order
    assert response["Location"] == reverse("checkout:pay", kwargs={"order_number": order.number})


def test_an_invalid_address_or_refused_accept_changes_nothing(client, world):
    quote = make_quote(rfq=world["rfq"], seller=world["alfa"])
    Quote.objects.filter(pk=quote.pk).update(valid_until=in_days(-1))
    client.force_login(member_of(world["company"]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("quotes:accept", kwargs={"pk": world["rfq"].pk, "quote_pk": quote.pk})

    missing = client.post(url, {"payment_method": "bank_transfer"})
    expired = client.post(url, {**address_data(world["regions"]), "payment_method": "bank_transfer"})

    assert missing.status_code == 400 and expired.status_code == 400
    assert "can no longer be accepted" in expired.content.decode()
    assert not CompanyOrder.objects.exists()


# The pesantren's side


def test_a_pesantren_sees_only_requests_it_was_invited_to(client, world):
    client.force_login(world["alfa"].owner)

    body = client.get(reverse("quotes-dashboard:rfq-list")).content.decode()

    assert "Keripik untuk katering" in body and "Pesanan rahasia saingan" not in body
    url = reverse("quotes-dashboard:rfq-detail", kwargs={"pk": world["rival_rfq"].pk})
    assert client.get(url).status_code == 404
    for action in ("quote", "withdraw", "message"):
        data = {"action": action, "unit_price": "1", "quantity": "1", "lead_time_days": "1", "body": "x"}
        assert client.post(url, {**data, "valid_until": in_days(3).isoformat()}).status_code == 404
    world["rival_quote"].refresh_from_db()
    assert world["rival_quote"].status == QuoteStatus.SUBMITTED
    assert not Quote.objects.filter(seller=world["alfa"]).exists()
    assert not Message.objects.exists()


def test_a_pesantren_does_not_see_its_competitors_quotes(client, world):
    rfq = make_rfq(company=world["company"], audience=RfqAudience.REGION, region=world["regions"]["kabupaten"])
    make_quote(rfq=rfq, seller=world["bravo"], unit_price=17777)
    client.force_login(world["alfa"].owner)

    body = client.get(reverse("quotes-dashboard:rfq-detail", kwargs={"pk": rfq.pk})).content.decode()

    assert "17.777" not in body and "Pondok Bravo Rahasia" not in body


def test_a_pesantren_quotes_revises_withdraws_and_writes(client, world):
    client.force_login(world["alfa"].owner)
    url = reverse("quotes-dashboard:rfq-detail", kwargs={"pk": world["rfq"].pk})
    terms = {"action": "quote", "quantity": "10", "lead_time_days": "7", "valid_until": in_days(20).isoformat()}

    assert client.get(url).status_code == 200
    assert client.post(url, {**terms, "unit_price": "0"}).status_code == 400
    assert client.post(url, {**terms, "unit_price": "21000"}).status_code == 302
    assert client.post(url, {**terms, "unit_price": "20000", "note": "Harga khusus"}).status_code == 302
    assert client.post(url, {"action": "message", "body": "Bisa kirim minggu depan."}).status_code == 302
    live = Quote.objects.get(seller=world["alfa"], status=QuoteStatus.SUBMITTED)
    assert (live.unit_price, live.version, live.note) == (20000, 2, "Harga khusus")
    assert client.post(url, {"action": "withdraw"}).status_code == 302

    live.refresh_from_db()
    assert live.status == QuoteStatus.WITHDRAWN
    message = Message.objects.get()
    assert (message.seller, message.author, message.side) == (world["alfa"], world["alfa"].owner, "pesantren")
    company_view = reverse("quotes:thread", kwargs={"pk": world["rfq"].pk, "seller_pk": world["alfa"].pk})
    client.force_login(member_of(world["company"]))
    assert "Bisa kirim minggu depan." in client.get(company_view).content.decode()


def test_the_pesantren_pages_refuse_other_users(client, world):
    for user in (make_user(), member_of(world["company"])):
        client.force_login(user)
        assert client.get(reverse("quotes-dashboard:rfq-list")).status_code == 404
        assert client.get(reverse("quotes-dashboard:rfq-detail", kwargs={"pk": world["rfq"].pk})).status_code == 404

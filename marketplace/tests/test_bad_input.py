"""Bad input answered with a 4xx or a form error, never a 500 (issue 16.1)."""

import json

import pytest
from django.test import Client

from companies.forms import ApprovalThresholdForm, CreditTermsForm
from fulfilment.forms import RefundForm
from tests.factories import make_region_tree, make_user

pytestmark = pytest.mark.django_db

# Indonesian once the translations are merged ("karakter NUL"), English until then.
NUL_MESSAGE_ID = "NUL"


@pytest.fixture
def consumer_client():
    client = Client()
    client.force_login(make_user())
    return client


@pytest.mark.parametrize(
    "url",
    ["/accounts/orders/%00/", "/wilayah/anak/?parent=%00", "/catalogue/?q=a%00b", "/wilayah/anak/?par%00ent=1"],
)
def test_a_nul_character_in_the_path_or_query_is_a_400_with_an_indonesian_message(consumer_client, url):
    make_region_tree()

    response = consumer_client.get(url)

    assert response.status_code == 400
    assert NUL_MESSAGE_ID in response.content.decode()


def test_a_nul_character_in_a_posted_field_is_a_400_and_saves_nothing(consumer_client):
    response = consumer_client.post("/accounts/profile/edit/", {"first_name": "Siti\x00", "email": "a@example.com"})

    assert response.status_code == 400
    assert NUL_MESSAGE_ID in response.content.decode()


def test_the_api_answers_nul_in_a_path_or_json_body_with_a_json_400():
    client = Client()

    by_path = client.get("/api/v1/orders/%00/")
    by_body = client.post("/api/v1/rfqs/", data=json.dumps({"title": "a\u0000b"}), content_type="application/json")

    assert (by_path.status_code, by_body.status_code) == (400, 400)
    assert NUL_MESSAGE_ID in by_path.json()["detail"]
    assert NUL_MESSAGE_ID in by_body.json()["detail"]


def test_an_escaped_backslash_u0000_in_json_text_is_not_mistaken_for_nul():
    client = Client()

    response = client.post("/api/v1/rfqs/", data='{"title": "\\\\u0000"}', content_type="application/json")

    # No token: refused by authentication, not by the NUL guard.
    assert response.status_code in (401, 403)


@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (ApprovalThresholdForm, {"threshold": "9" * 40}, "threshold"),
        (CreditTermsForm, {"credit_limit": "9" * 40, "payment_terms_days": "30"}, "credit_limit"),
        (RefundForm, {"amount": "9" * 40}, "amount"),
        (RefundForm, {"amount": "1000000000000"}, "amount"),
    ],
)
def test_amounts_too_large_for_their_column_are_form_errors(form_class, data, field):
    form = form_class(data)

    assert not form.is_valid()
    assert field in form.errors


def test_a_refund_amount_the_column_holds_is_accepted():
    assert RefundForm({"amount": "999999999999", "reason": "Barang rusak"}).is_valid()


def test_query_parameters_named_after_querydict_methods_do_not_break_templates(db):
    make_region_tree()

    response = Client().get("/catalogue/?lists=1&items=2&q=madu")

    assert response.status_code == 200


def test_a_page_number_past_any_listing_is_not_found(db):
    response = Client().get("/catalogue/?page=" + "9" * 40)

    assert response.status_code == 404

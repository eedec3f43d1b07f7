import pytest
from django.urls import reverse

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke, hash_key
from api.tests.conftest import client_for
from companies.models import CompanyMembership
from tests.factories import make_company, make_user

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products/"


def test_a_request_without_a_token_is_refused_with_a_bearer_challenge(world):
    response = client_for(None).get(PRODUCTS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-real-token-at-all-0123456789", "Bearer", "Bearer two parts", "Token short"],
)
def test_an_unknown_or_malformed_token_is_refused(world, header):
    client = client_for(None)
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(PRODUCTS)

    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_token_with_the_right_prefix_but_the_wrong_secret_is_refused(world):
    secret = world["a"]["secret"]
    forged = secret[:8] + ("x" if secret[8] != "x" else "y") + secret[9:]

    assert client_for(forged).get(PRODUCTS).status_code == 401


def test_both_bearer_and_token_keywords_are_accepted(world):
    client = client_for(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {world['a']['secret']}")

    assert client.get(PRODUCTS).status_code == 200
    assert client_for(world["a"]["secret"]).get(PRODUCTS).status_code == 200


def test_a_revoked_token_no_longer_works(world):
    api_token_revoke(token=world["a"]["token"], revoked_by=world["a"]["approver"])

    response = client_for(world["a"]["secret"]).get(PRODUCTS)

    assert response.status_code == 401
    assert response.json() == {"detail": "This token has been revoked."}


def test_a_token_stops_working_when_its_creator_leaves_the_company(world):
    CompanyMembership.objects.filter(company=world["a"]["company"], user=world["a"]["approver"]).delete()

    assert client_for(world["a"]["secret"]).get(PRODUCTS).status_code == 401


def test_a_token_of_an_unverified_company_reads_nothing_and_is_told_why(world):
    approver = make_user()
    company = make_company(status="applied", members=[(approver, "approver")])
    _token, secret = api_token_create(company=company, created_by=approver, name="ERP")
    client = client_for(secret)

    for path in (PRODUCTS, "/api/v1/orders/", "/api/v1/invoices/", "/api/v1/rfqs/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "not been verified" in response.json()["detail"]
    assert client.post("/api/v1/bulk-orders/", {}, format="json").status_code == 403


def test_only_the_hash_of_the_secret_is_stored_and_use_is_recorded(world):
    token = world["a"]["token"]
    secret = world["a"]["secret"]

    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.prefix == secret[:8]
    assert stored.secret_hash == hash_key(secret) != secret
    assert stored.last_used_at is None

    client_for(secret).get(PRODUCTS)

    stored.refresh_from_db()
    assert stored.last_used_at is not None


@pytest.mark.usefixtures("english_messages")
def test_only_an_approver_can_create_a_token(world):
    buyer = make_user()
    CompanyMembership.objects.create(company=world["a"]["company"], user=buyer, role="buyer")

    with pytest.raises(Exception, match="Only an approver"):
        api_token_create(company=world["a"]["company"], created_by=buyer, name="mine")


# The token page


def test_an_approver_creates_a_token_and_sees_its_secret_once(world, client):
    client.force_login(world["a"]["approver"])
    url = reverse("api:tokens")

    created = client.post(url, {"company": world["a"]["company"].pk, "name": "Warehouse system"})

    assert created.status_code == 200
    secret = created.context["secret"]
    token = ApiToken.objects.get(name="Warehouse system")
    assert token.company == world["a"]["company"] and token.created_by == world["a"]["approver"]
    assert secret in created.content.decode()
    assert client_for(secret).get(PRODUCTS).status_code == 200
    # Shown once: the list shows only the prefix afterwards.
    listing = client.get(url).content.decode()
    assert secret not in listing
    assert token.prefix in listing and "Warehouse system" in listing


def test_the_token_page_lists_only_the_approvers_companies_tokens(world, client):
    client.force_login(world["a"]["approver"])

    page = client.get(reverse("api:tokens")).content.decode()

    assert "ERP a" in page
    assert "ERP b" not in page


def test_a_buyer_cannot_manage_tokens(world, client):
    buyer = make_user()
    CompanyMembership.objects.create(company=world["a"]["company"], user=buyer, role="buyer")
    client.force_login(buyer)

    assert client.get(reverse("api:tokens")).status_code == 403
    response = client.post(reverse("api:tokens"), {"company": world["a"]["company"].pk, "name": "sneaky"})
    assert response.status_code == 403
    assert not ApiToken.objects.filter(name="sneaky").exists()
    revoke = client.post(reverse("api:token-revoke", kwargs={"pk": world["a"]["token"].pk}))
    assert revoke.status_code == 404
    assert ApiToken.objects.get(pk=world["a"]["token"].pk).revoked_at is None


def test_an_approver_revokes_a_token_of_their_company_but_not_another_companys(world, client):
    client.force_login(world["a"]["approver"])

    foreign = client.post(reverse("api:token-revoke", kwargs={"pk": world["b"]["token"].pk}))
    own = client.post(reverse("api:token-revoke", kwargs={"pk": world["a"]["token"].pk}))

    assert foreign.status_code == 404
    assert ApiToken.objects.get(pk=world["b"]["token"].pk).revoked_at is None
    assert own.status_code == 302
    assert ApiToken.objects.get(pk=world["a"]["token"].pk).revoked_at is not None
    assert client_for(world["a"]["secret"]).get(PRODUCTS).status_code == 401


def test_the_token_page_needs_a_login(client):
    response = client.get(reverse("api:tokens"))

    assert response.status_code == 302
    assert "login" in response["Location"]

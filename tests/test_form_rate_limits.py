"""Rate limits of the public forms (core/ratelimit.py): N posts allowed, the next refused with 429, nothing saved."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from companies.models import Company
from core.ratelimit import Rate, too_many_attempts_message
from quotes.models import RequestForQuotation, RfqAudience
from quotes.tests.helpers import in_days
from ratings.models import LineReview
from ratings.tests.conftest import buy, deliver
from sellers.models import Seller
from tests.factories import make_company, make_region_tree, make_seller, make_seller_product, make_user
from tests.test_onboarding import application_data

pytestmark = pytest.mark.django_db

User = get_user_model()


def limit(scope: str, dimension: str) -> int:
    return Rate.parse(settings.MARKETPLACE_RATE_LIMITS[scope][dimension]).limit


def too_many_attempts(minutes: int) -> str:
    # In the catalogue's Indonesian: "Terlalu banyak percobaan. Coba lagi dalam N menit."
    with translation.override("id"):
        return too_many_attempts_message(minutes * 60)


def assert_refused(response):
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 3600
    minutes = -(-wait // 60)
    assert too_many_attempts(minutes) in response.content.decode()


class FrozenClock:
    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, 10 minutes into an hour window."""
    frozen = FrozenClock(1_800_000_000 // 3600 * 3600 + 600.0)
    monkeypatch.setattr("core.ratelimit.time", frozen)
    return frozen


def test_the_pesantren_application_is_limited_per_address(client, clock):
    regions = make_region_tree()
    allowed = limit("pesantren-application", "ip")

    # given: as many submissions as allowed (with mistakes), and region refreshes, which do not count
    for _attempt in range(allowed):
        assert client.post(reverse("sellers:apply"), {"name": ""}, REMOTE_ADDR="10.10.0.1").status_code == 400
        refresh = client.post(reverse("sellers:apply"), {"refresh_regions": "1"}, REMOTE_ADDR="10.10.0.1")
        assert refresh.status_code == 200

    # when: a complete application
    refused = client.post(reverse("sellers:apply"), application_data(regions), REMOTE_ADDR="10.10.0.1")

    # then: refused before anything is saved, with the wait until the hour is over
    assert_refused(refused)
    assert too_many_attempts(50) in refused.content.decode()
    assert not Seller.objects.exists()
    assert not User.objects.filter(email="santri@example.com").exists()

    # the same application from another address goes through
    accepted = client.post(reverse("sellers:apply"), application_data(regions), REMOTE_ADDR="10.10.0.2")
    assert accepted.status_code == 302
    assert Seller.objects.get().owner.email == "santri@example.com"


def test_the_limit_lifts_when_its_window_is_over(client, clock):
    for _attempt in range(limit("pesantren-application", "ip")):
        client.post(reverse("sellers:apply"), {"name": ""}, REMOTE_ADDR="10.11.0.1")
    assert_refused(client.post(reverse("sellers:apply"), {"name": ""}, REMOTE_ADDR="10.11.0.1"))

    clock.now += 50 * 60

    assert client.post(reverse("sellers:apply"), {"name": ""}, REMOTE_ADDR="10.11.0.1").status_code == 400


def company_data(**overrides) -> dict:
    return {
        "legal_name": "CV Toko Amanah",
        "npwp": "01.234.567.4-901.000",
        "business_type": "retailer",
        "address": "Jl. Dago 10, Bandung",
        "contact_name": "Dewi",
        "contact_phone": "081299988877",
        "contact_email": "dewi@amanah.id",
        **overrides,
    }


def test_company_registration_is_limited_per_account_across_addresses(client):
    user = make_user()
    client.force_login(user)
    allowed = limit("company-registration", "account")

    for attempt in range(allowed):
        response = client.post(reverse("companies:register"), {"legal_name": ""}, REMOTE_ADDR=f"10.12.0.{attempt}")
        assert response.status_code == 400

    refused = client.post(reverse("companies:register"), company_data(), REMOTE_ADDR="10.12.1.1")

    assert_refused(refused)
    assert not Company.objects.exists()
    client.force_login(make_user())
    assert client.post(reverse("companies:register"), company_data(), REMOTE_ADDR="10.12.1.1").status_code == 302
    assert Company.objects.get().legal_name == "CV Toko Amanah"


def test_account_registration_is_limited_per_address_on_both_of_oscars_forms(client):
    allowed = limit("account-registration", "ip")
    bad = {"email": "x@example.com", "password1": "a", "password2": "b"}

    for attempt in range(allowed):
        if attempt % 2:
            response = client.post(reverse("customer:register"), bad, REMOTE_ADDR="10.13.0.1")
        else:
            prefixed = {f"registration-{key}": value for key, value in bad.items()}
            response = client.post(
                reverse("customer:login"), {**prefixed, "registration_submit": "1"}, REMOTE_ADDR="10.13.0.1"
            )
        assert response.status_code == 200 and not User.objects.exists()

    good = {"email": "baru@example.com", "password1": "Rahasia-Sekali-9", "password2": "Rahasia-Sekali-9"}
    assert_refused(client.post(reverse("customer:register"), good, REMOTE_ADDR="10.13.0.1"))
    prefixed = {f"registration-{key}": value for key, value in good.items()}
    assert_refused(
        client.post(reverse("customer:login"), {**prefixed, "registration_submit": "1"}, REMOTE_ADDR="10.13.0.1")
    )
    assert not User.objects.exists()
    assert client.post(reverse("customer:register"), good, REMOTE_ADDR="10.13.0.2").status_code == 302
    assert User.objects.filter(email="baru@example.com").exists()


def test_the_password_reset_is_limited_per_email_and_says_nothing_about_accounts(client):
    make_user("lupa@example.com")
    allowed = limit("password-reset", "email")

    # the same answer for an email with and without an account
    known = client.post(reverse("password-reset"), {"email": "lupa@example.com"}, REMOTE_ADDR="10.14.0.1")
    unknown = client.post(reverse("password-reset"), {"email": "tidak-ada@example.com"}, REMOTE_ADDR="10.14.0.1")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password-reset-done")
    assert len(mail.outbox) == 1

    # per email, from any address
    for attempt in range(allowed - 1):
        client.post(reverse("password-reset"), {"email": "LUPA@example.com"}, REMOTE_ADDR=f"10.14.1.{attempt}")
    assert len(mail.outbox) == allowed
    refused = client.post(reverse("password-reset"), {"email": "lupa@example.com"}, REMOTE_ADDR="10.14.2.1")
    assert_refused(refused)
    assert len(mail.outbox) == allowed
    # an unknown email over its limit is refused just the same
    for attempt in range(allowed - 1):
        client.post(reverse("password-reset"), {"email": "tidak-ada@example.com"}, REMOTE_ADDR=f"10.14.3.{attempt}")
    unknown = {"email": "tidak-ada@example.com"}
    unknown_refused = client.post(reverse("password-reset"), unknown, REMOTE_ADDR="10.14.4.1")
    assert unknown_refused.status_code == refused.status_code == 429


def test_the_password_reset_is_limited_per_address_across_emails(client):
    make_user("ibu@example.com")
    allowed = limit("password-reset", "ip")

    for number in range(allowed):
        client.post(reverse("password-reset"), {"email": f"tebak{number}@example.com"}, REMOTE_ADDR="10.15.0.1")

    assert_refused(client.post(reverse("password-reset"), {"email": "ibu@example.com"}, REMOTE_ADDR="10.15.0.1"))
    assert mail.outbox == []


def test_reviews_are_limited_per_account(client):
    regions = make_region_tree()
    seller = make_seller(regions=regions)
    product = make_seller_product(seller, title="Kopi Arabika")
    buyer = make_user()
    order, parts = buy(buyer=buyer, items=[(product, 1)], regions=regions)
    deliver(parts[seller.pk])
    url = reverse("ratings:write", kwargs={"line_id": order.lines.get().pk})
    client.force_login(buyer)
    allowed = limit("review", "account")

    for attempt in range(allowed):
        response = client.post(url, {"product_rating": "6", "seller_rating": "0"}, REMOTE_ADDR=f"10.16.0.{attempt}")
        assert response.status_code == 400

    refused = client.post(url, {"product_rating": "5", "seller_rating": "5", "body": "Enak"}, REMOTE_ADDR="10.16.1.1")

    assert_refused(refused)
    assert not LineReview.objects.exists()


def test_requests_for_quotation_are_limited_per_account(client):
    regions = make_region_tree()
    make_seller(regions=regions)
    buyer = make_user()
    make_company(members=[(buyer, "approver")])
    client.force_login(buyer)
    allowed = limit("rfq", "account")
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
        "region": regions["kabupaten"].code,
    }

    for attempt in range(allowed):
        response = client.post(reverse("quotes:create"), {"title": ""}, REMOTE_ADDR=f"10.17.0.{attempt}")
        assert response.status_code == 400

    assert_refused(client.post(reverse("quotes:create"), data, REMOTE_ADDR="10.17.1.1"))
    assert not RequestForQuotation.objects.exists()


@pytest.fixture
def cache_on_private_redis(settings, redis_server):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    return redis_server


def test_with_the_cache_down_the_forms_stay_open_by_default(client, cache_on_private_redis):
    make_user("lupa@example.com")
    cache_on_private_redis.stop()

    for _attempt in range(limit("password-reset", "email") + 1):
        response = client.post(reverse("password-reset"), {"email": "lupa@example.com"})
        assert response.status_code == 302

    assert len(mail.outbox) == limit("password-reset", "email") + 1


def test_with_the_cache_down_the_forms_can_be_set_to_fail_closed(client, settings, cache_on_private_redis):
    settings.MARKETPLACE_RATE_LIMIT_FAIL_OPEN = False
    make_user("lupa@example.com")
    cache_on_private_redis.stop()

    response = client.post(reverse("password-reset"), {"email": "lupa@example.com"})

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert mail.outbox == []

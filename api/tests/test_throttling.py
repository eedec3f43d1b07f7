import pytest
from django.conf import settings
from django.test import override_settings

from api.services import api_token_create
from api.tests.conftest import client_for

pytestmark = pytest.mark.django_db


def rates(company: str, anonymous: str = "100/minute"):
    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"api_company": company, "api_anonymous": anonymous},
        }
    )


def test_a_company_over_its_rate_gets_429_with_retry_after(world, client_a, client_b):
    with rates("3/minute"):
        statuses = [client_a.get("/api/v1/products/").status_code for _index in range(3)]
        refused = client_a.get("/api/v1/orders/")
        other_company = client_b.get("/api/v1/products/")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"]
    assert other_company.status_code == 200


def test_a_companys_tokens_share_one_budget(world, client_a):
    _token, second = api_token_create(company=world["a"]["company"], created_by=world["a"]["approver"], name="two")
    with rates("2/minute"):
        client_a.get("/api/v1/products/")
        client_for(second).get("/api/v1/products/")
        refused = client_for(second).get("/api/v1/products/")

    assert refused.status_code == 429


def test_the_public_schema_is_rate_limited_per_client(db):
    client = client_for(None)
    with rates("100/minute", anonymous="2/minute"):
        statuses = [client.get("/api/v1/schema/").status_code for _index in range(3)]

    assert statuses == [200, 200, 429]


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    return settings


def test_with_the_cache_down_the_api_fails_open_by_default(world, client_a, cache_down):
    response = client_a.get("/api/v1/orders/")

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_with_the_cache_down_the_api_can_be_set_to_fail_closed(world, client_a, cache_down):
    cache_down.MARKETPLACE_API_THROTTLE_FAIL_OPEN = False

    response = client_a.get("/api/v1/orders/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["detail"] == "The service is briefly unavailable. Try again shortly."

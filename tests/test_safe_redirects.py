"""`next=` on sign-in and on the language switch is followed only to this site (core/redirects.py)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.redirects import is_same_site_url, safe_redirect_url
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-123"

HOSTILE = [
    "//evil.example",
    "///evil.example",
    " //evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%252F%252Fevil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "https:evil.example",
    "https:/evil.example",
    "http:///evil.example",
    "https://evil.example",
    "http://evil.example/accounts/",
    "HTTPS://EVIL.EXAMPLE",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://testserver.evil.example/",
    "http://testserver@evil.example/",
    "http://evil.example\\@testserver/",
    "//testserver@evil.example",
    "http://[::1]:80@evil.example/",
]
SAME_SITE = ["/catalogue/", "/pesantren/daftar/?sektor=makanan&halaman=2", "/search/?q=kopi%20arabika"]


@pytest.mark.parametrize("url", HOSTILE)
def test_the_helper_refuses_other_sites(url):
    request = RequestFactory().get("/")
    assert not is_same_site_url(request, url)
    assert safe_redirect_url(request, url, "/aman/") == "/aman/"


@pytest.mark.parametrize("url", [*SAME_SITE, "http://testserver/basket/"])
def test_the_helper_keeps_this_sites_paths(url):
    assert safe_redirect_url(RequestFactory().get("/"), url, "/aman/") == url


def test_over_https_a_redirect_to_plain_http_is_refused():
    secure = RequestFactory().get("/", secure=True)
    assert not is_same_site_url(secure, "http://testserver/basket/")
    assert is_same_site_url(secure, "https://testserver/basket/")
    assert is_same_site_url(secure, "/basket/")


@pytest.fixture
def customer():
    return make_user("pembeli@example.com", password=PASSWORD)


def storefront_login(client, user, next_url: str):
    client.logout()
    data = {
        "login-username": user.email,
        "login-password": PASSWORD,
        "login-redirect_url": next_url,
        "login_submit": "1",
    }
    return client.post(reverse("customer:login") + "?next=/ignored/", data)


@pytest.mark.parametrize("next_url", HOSTILE)
def test_signing_in_never_leaves_the_site(client, customer, next_url):
    response = storefront_login(client, customer, next_url)

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("next_url", SAME_SITE)
def test_signing_in_returns_to_the_page_asked_for(client, customer, next_url):
    response = storefront_login(client, customer, next_url)

    assert response["Location"] == next_url


def test_the_next_of_the_login_link_reaches_the_form_and_is_checked(client, customer):
    page = client.get(reverse("customer:login"), {"next": "//evil.example"}).content.decode()
    assert 'value="//evil.example"' in page  # carried in the hidden field as typed

    assert storefront_login(client, customer, "//evil.example")["Location"] == "/"


@pytest.mark.parametrize("next_url", ["//evil.example", "/%2F%2Fevil.example", "https:evil.example", "/\\evil.example"])
def test_staff_signing_in_go_to_the_dashboard_instead(client, next_url):
    staff = make_user("staf@example.com", password=PASSWORD, is_staff=True)
    response = storefront_login(client, staff, next_url)
    assert response["Location"] == reverse("dashboard:index")


@pytest.mark.parametrize("next_url", HOSTILE)
def test_the_dashboard_login_never_leaves_the_site(client, next_url):
    staff = make_user("petugas@example.com", password=PASSWORD, is_staff=True)

    response = client.post(
        reverse("dashboard:login"), {"username": staff.email, "password": PASSWORD, "next": next_url}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:index")


@pytest.mark.parametrize("next_url", HOSTILE)
def test_the_language_switch_never_leaves_the_site(client, next_url):
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "en"


@pytest.mark.parametrize("referer", ["https://evil.example/", "//evil.example", "javascript:alert(1)"])
def test_the_language_switch_ignores_a_hostile_referer(client, referer):
    response = client.post(reverse("set_language"), {"language": "en", "next": "//evil.example"}, HTTP_REFERER=referer)

    assert response["Location"] == "/"


def test_the_language_switch_returns_to_the_page_or_the_referer(client):
    back = client.post(reverse("set_language"), {"language": "en", "next": "/pesantren/daftar/"})
    referred = client.post(reverse("set_language"), {"language": "id"}, HTTP_REFERER="http://testserver/catalogue/")

    assert back["Location"] == "/pesantren/daftar/"
    assert referred["Location"] == "http://testserver/catalogue/"
    assert referred.cookies["django_language"].value == "id"


def test_the_language_switch_ignores_an_unknown_language(client):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert response["Location"] == "/"
    assert "django_language" not in response.cookies


@pytest.mark.parametrize("next_url", ["//evil.example", "/%2F%2Fevil.example", "https:evil.example", "/\\evil.example"])
def test_registering_never_leaves_the_site(client, next_url):
    password = "Rahasia-Sekali-9"
    data = {"email": "baru@example.com", "password1": password, "password2": password, "redirect_url": next_url}
    prefixed = {f"registration-{key}": value for key, value in data.items()}

    registered = client.post(reverse("customer:register"), data)
    client.logout()
    prefixed["registration-email"] = "lain@example.com"
    from_login_page = client.post(reverse("customer:login"), {**prefixed, "registration_submit": "1"})

    assert registered.status_code == from_login_page.status_code == 302
    assert registered["Location"] == from_login_page["Location"] == "/"

"""Which address the login lockout and the form limits count: the client's, not the proxy's."""

import pytest
from django.test import RequestFactory

from core.ratelimit import client_ip


def _request(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/accounts/login/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.MARKETPLACE_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(forwarded="203.0.113.7")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        # The client typed the first entry itself; only what our proxy appended is believed.
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_behind_trusted_proxies_the_client_is_counted_from_the_right(settings, proxies, forwarded, expected):
    settings.MARKETPLACE_TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(forwarded=forwarded)) == expected


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", "203.0.113.7\x00"])
def test_a_missing_or_forged_header_falls_back_to_the_peer(settings, forwarded):
    settings.MARKETPLACE_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(forwarded=forwarded)) == "10.0.0.2"


def test_two_clients_behind_one_proxy_are_counted_apart(settings):
    settings.MARKETPLACE_TRUSTED_PROXY_COUNT = 1
    first = client_ip(_request(remote="10.0.0.2", forwarded="203.0.113.7"))
    second = client_ip(_request(remote="10.0.0.2", forwarded="203.0.113.8"))
    assert first != second

"""One Elasticsearch client per process (search.es.client), and MARKETPLACE_SEARCH_BACKEND choosing the backend.

No Elasticsearch server runs on these machines: the client's constructor is wrapped to count the
clients made and to send their requests to the recording fake (search/es/testing.py).
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse
from elasticsearch import Elasticsearch

from search import tasks
from search.backends import get_backend, selected_backend
from search.backends.base import FACET_PRICE, FACETS, PRICE_BUCKETS
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import ElasticsearchBackend
from search.es import client as es_client
from search.es.testing import FakeElasticsearch
from search.services import search_index_products
from tests.factories import make_seller, make_seller_product

FAKE_URL = "http://elasticsearch.invalid:9200"
EMPTY_HITS = {"total": {"value": 0, "relation": "eq"}, "hits": []}


def _empty_search_answer() -> dict:
    aggregations = {facet: {"doc_count": 0, "values": {"buckets": []}} for facet in FACETS}
    aggregations[FACET_PRICE]["values"]["buckets"] = {key: {"doc_count": 0} for key, _low, _high in PRICE_BUCKETS}
    return {"took": 1, "timed_out": False, "hits": EMPTY_HITS, "aggregations": aggregations}


def _empty_autocomplete_answer() -> dict:
    empty = {"hits": EMPTY_HITS, "aggregations": {"values": {"buckets": []}}, "status": 200}
    return {"took": 1, "responses": [empty, empty, empty]}


@pytest.fixture
def fake():
    return (
        FakeElasticsearch()
        .on("POST", lambda path: path.endswith("/_search"), (200, _empty_search_answer()))
        .on("POST", lambda path: path.endswith("/_msearch"), (200, _empty_autocomplete_answer()))
    )


@pytest.fixture
def constructed(fake, monkeypatch):
    """Every client the registry makes, each talking to the fake."""
    clients = []
    node_class = fake._node_class()

    def counting_constructor(*args, **kwargs):
        client = Elasticsearch(*args, node_class=node_class, **kwargs)
        clients.append(client)
        return client

    es_client.reset_clients()
    monkeypatch.setattr(es_client, "Elasticsearch", counting_constructor)
    yield clients
    es_client.reset_clients()


@pytest.fixture
def on_elasticsearch(settings):
    settings.ELASTICSEARCH_URL = FAKE_URL
    settings.MARKETPLACE_SEARCH_BACKEND = "elasticsearch"
    return settings


# --- one client per process ----------------------------------------------------------------------


def test_searches_keystrokes_indexing_and_healthz_share_one_client(client, db, on_elasticsearch, constructed, fake):
    # Saving the product already indexes it (search.signals), through the same client.
    product = make_seller_product(make_seller(name="Pondok Pesantren Al-Ikhlas"), title="Kerudung Segi Empat")
    fake.requests.clear()

    for text in ("kerudung", "peci", "keripik"):
        assert client.get(reverse("search:search"), {"q": text}).status_code == 200
    for keystrokes in ("ke", "ker", "keru", "kerud"):
        assert client.get(reverse("search:autocomplete"), {"q": keystrokes}).status_code == 200
    for _ in range(3):
        search_index_products([product.pk])
    tasks.sync_synonyms()
    assert client.get(reverse("healthz")).json()["checks"]["search"] == {"ok": True, "backend": "elasticsearch"}

    assert len(constructed) == 1
    paths = [path for _method, path in fake.calls()]
    assert sum(path.endswith("/_search") for path in paths) >= 3
    assert sum(path.endswith("/_msearch") for path in paths) == 4
    assert sum(path.endswith("/_bulk") for path in paths) == 3
    assert ("HEAD", "/") in fake.calls()


def test_backends_made_one_after_another_borrow_the_same_client(on_elasticsearch, constructed):
    backends = [get_backend() for _ in range(5)]

    assert len(constructed) == 1
    assert all(backend.client is constructed[0] for backend in backends)


def test_changing_the_url_or_the_timeout_gives_a_new_client(constructed):
    with override_settings(ELASTICSEARCH_URL="http://search-a.invalid:9200"):
        first = es_client.get_client()
        assert es_client.get_client() is first
        with override_settings(ELASTICSEARCH_URL="http://search-b.invalid:9200"):
            other_url = es_client.get_client()
        with override_settings(MARKETPLACE_ELASTICSEARCH_TIMEOUT=1):
            other_timeout = es_client.get_client()

    assert other_url is not first
    assert other_url.transport.node_pool.get().base_url == "http://search-b.invalid:9200"
    assert other_timeout is not first
    assert other_timeout._request_timeout == 1
    assert len(constructed) == 3


def test_a_forked_child_makes_its_own_client(constructed):
    # gunicorn workers and Celery prefork children must not share the parent's sockets.
    with override_settings(ELASTICSEARCH_URL=FAKE_URL):
        parent_client = es_client.get_client()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            try:
                fresh = es_client.get_client() is not parent_client
                reused = es_client.get_client() is es_client.get_client()
                os.write(write_end, b"ok" if fresh and reused else b"no")
            finally:
                os._exit(0)
        os.close(write_end)
        answer = os.read(read_end, 2)
        os.close(read_end)
        os.waitpid(pid, 0)
        assert es_client.get_client() is parent_client

    assert answer == b"ok"


def test_get_client_without_a_url_is_a_configuration_error(settings):
    settings.ELASTICSEARCH_URL = ""

    with pytest.raises(ImproperlyConfigured):
        es_client.get_client()


# --- MARKETPLACE_SEARCH_BACKEND ------------------------------------------------------------------


def test_the_setting_not_the_url_chooses_the_database_backend(settings):
    settings.ELASTICSEARCH_URL = FAKE_URL
    settings.MARKETPLACE_SEARCH_BACKEND = "database"

    assert isinstance(get_backend(), DatabaseBackend)


def test_the_setting_chooses_elasticsearch_with_the_shared_client(on_elasticsearch, constructed):
    backend = get_backend()

    assert isinstance(backend, ElasticsearchBackend)
    assert backend.client is es_client.get_client()


def test_healthz_follows_the_setting_not_the_url(client, db, settings):
    # An unreachable URL is not probed while the database backend is chosen.
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9/"
    settings.MARKETPLACE_SEARCH_BACKEND = "database"

    assert client.get(reverse("healthz")).json()["checks"]["search"] == {"ok": True, "backend": "database"}


@pytest.mark.parametrize(
    ("backend", "url", "message"),
    [
        ("solr", FAKE_URL, "expected one of database, elasticsearch"),
        ("", "", "expected one of database, elasticsearch"),
        ("elasticsearch", "", "ELASTICSEARCH_URL is not set"),
    ],
)
def test_an_unknown_backend_or_elasticsearch_without_a_url_is_refused(settings, backend, url, message):
    settings.MARKETPLACE_SEARCH_BACKEND = backend
    settings.ELASTICSEARCH_URL = url

    with pytest.raises(ImproperlyConfigured, match=message):
        selected_backend()
    with pytest.raises(ImproperlyConfigured, match=message):
        get_backend()


def _start(**environment) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from search.backends import get_backend\n"
        "print(settings.MARKETPLACE_SEARCH_BACKEND, get_backend().name)\n"
    )
    inherited = {k: v for k, v in os.environ.items() if k not in ("ELASTICSEARCH_URL", "MARKETPLACE_SEARCH_BACKEND")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test", **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_backend_comes_from_the_environment_and_a_bad_one_stops_start_up():
    by_default = _start()
    with_url = _start(ELASTICSEARCH_URL=FAKE_URL)
    database_despite_url = _start(ELASTICSEARCH_URL=FAKE_URL, MARKETPLACE_SEARCH_BACKEND="database")
    unknown = _start(MARKETPLACE_SEARCH_BACKEND="solr")

    assert by_default.stdout.split() == ["database", "database"], by_default.stderr
    assert with_url.stdout.split() == ["elasticsearch", "elasticsearch"], with_url.stderr
    assert database_despite_url.stdout.split() == ["database", "database"], database_despite_url.stderr
    assert unknown.returncode != 0
    assert "ImproperlyConfigured" in unknown.stderr and "solr" in unknown.stderr

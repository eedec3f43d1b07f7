"""ElasticsearchBackend against a recording fake server: the real client, bulk helper and dsl parsing,
with only the HTTP hop replaced (search/es/testing.py)."""

import re

import pytest
from django.core.cache import cache
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from search.backends import elasticsearch as es_backend
from search.backends.base import FACETS, PRICE_BUCKETS, SearchQuery
from search.backends.elasticsearch import REBUILDING_CACHE_KEY, ElasticsearchBackend
from search.es import client as es_client
from search.es.analysis import synonyms_set_name
from search.es.testing import FakeElasticsearch
from search.models import SearchSynonym, SearchTerm, SearchTermDocument
from search.regional_spellings import REGIONAL_SPELLINGS
from search.vocabulary import check_spelling
from sellers.models import Sector
from tests.factories import make_region_tree, make_seller, make_seller_product

ProductCategory = get_model("catalogue", "ProductCategory")

ALIAS = "uji-products"
OLD_INDEX = "uji-products-20260101000000000000"
REBUILDING = REBUILDING_CACHE_KEY.format(alias=ALIAS)
NEW_INDEX_RE = re.compile(rf"^/{ALIAS}-\d{{20}}$")


@pytest.fixture
def fake():
    cache.delete(REBUILDING)
    yield FakeElasticsearch()
    cache.delete(REBUILDING)


@pytest.fixture
def backend(fake):
    return ElasticsearchBackend(client=fake.client, alias=ALIAS)


@pytest.fixture
def catalogue(db):
    """Three searchable products, one of a suspended pesantren and one hidden product."""
    regions = make_region_tree("32.04", "Kabupaten Bandung")
    seller = make_seller(name="Pondok Pesantren Al-Ikhlas", slug="al-ikhlas", regions=regions)
    suspended = make_seller(name="Pesantren Terlarang", slug="terlarang", regions=regions)
    products = [
        make_seller_product(seller, title="Kerudung Segi Empat", price="45000"),
        make_seller_product(seller, title="Peci Rajut Hitam", price="35000"),
        make_seller_product(seller, title="Keripik Pisang", price="18000", stock=0),
    ]
    banned = make_seller_product(suspended, title="Kerudung Terlarang")
    hidden = make_seller_product(seller, title="Produk Rahasia", is_public=False)
    from sellers.services import seller_suspend

    seller_suspend(seller=suspended, suspended_by=None, reason="Laporan pembeli")
    return {"searchable": products, "banned": banned, "hidden": hidden, "seller": seller}


def indexed_ids(requests) -> list[int]:
    return [int(meta["_id"]) for request in requests for op, meta in request.bulk_actions if op == "index"]


def with_existing_alias(fake: FakeElasticsearch) -> FakeElasticsearch:
    return fake.on("GET", f"/_alias/{ALIAS}", (200, {OLD_INDEX: {"aliases": {ALIAS: {}}}}))


# --- rebuild -----------------------------------------------------------------------------------


def test_rebuild_loads_a_new_index_then_swaps_the_alias_atomically_and_drops_the_old_index(fake, backend, catalogue):
    # given an alias pointing at yesterday's index
    with_existing_alias(fake)

    # when
    indexed = backend.rebuild(batch_size=2)

    # then the requests run in this order
    calls = fake.calls()
    steps = [
        ("PUT", lambda path: path == f"/_synonyms/{synonyms_set_name()}"),  # the set the analyzer needs
        ("PUT", NEW_INDEX_RE.match),  # create the new index
        ("PUT", lambda path: path == "/_bulk"),  # load it
        ("PUT", lambda path: path.endswith("/_settings")),  # restore refreshes and replicas
        ("POST", lambda path: path.endswith("/_refresh")),
        ("GET", lambda path: path == f"/_alias/{ALIAS}"),  # find the old index
        ("POST", lambda path: path == "/_aliases"),  # swap
        ("DELETE", lambda path: path == f"/{OLD_INDEX}"),  # drop the old index
    ]
    position = -1
    for method, matches in steps:
        position = next(
            (n for n in range(position + 1, len(calls)) if calls[n][0] == method and matches(calls[n][1])), None
        )
        assert position is not None, f"{method} step missing or out of order in {calls}"
    new_index = next(path for method, path in calls if method == "PUT" and NEW_INDEX_RE.match(path)).lstrip("/")

    # the new index is created with the mapping, and loaded without refreshes or replicas
    create = next(r for r in fake.requests if r.method == "PUT" and r.path == f"/{new_index}")
    assert create.body["settings"]["refresh_interval"] == "-1"
    assert create.body["settings"]["number_of_replicas"] == 0
    assert create.body["mappings"]["properties"]["title"]["analyzer"] == "indonesian"
    # only searchable products are loaded, into the new index
    bulks = [r for r in fake.requests if r.path.endswith("/_bulk")]
    assert sorted(indexed_ids(bulks)) == sorted(p.pk for p in catalogue["searchable"])
    assert {meta["_index"] for r in bulks for _op, meta in r.bulk_actions} == {new_index}
    assert indexed == 3
    # replicas and refreshes come back before the swap
    settings_update = next(r for r in fake.requests if r.path == f"/{new_index}/_settings")
    assert settings_update.body == {"index": {"refresh_interval": None, "number_of_replicas": 1}}
    # one atomic alias update removes the old index and adds the new one
    aliases = next(r for r in fake.requests if r.path == "/_aliases")
    assert aliases.body == {
        "actions": [
            {"remove": {"index": OLD_INDEX, "alias": ALIAS}},
            {"add": {"index": new_index, "alias": ALIAS, "is_write_index": True}},
        ]
    }
    assert ("DELETE", f"/{OLD_INDEX}") in calls
    assert cache.get(REBUILDING) is None


def test_rebuild_reads_and_loads_in_bounded_batches(fake, backend, catalogue, monkeypatch):
    # given a spy on the document builder
    built_batches = []
    real_build = es_backend.build_documents

    def spy(ids):
        ids = list(ids)
        built_batches.append(ids)
        return real_build(ids)

    monkeypatch.setattr(es_backend, "build_documents", spy)
    progress = []

    # when
    backend.rebuild(batch_size=2, progress=progress.append)

    # then no batch held more than two products' documents, and every product was visited once
    all_products = [*catalogue["searchable"], catalogue["banned"], catalogue["hidden"]]
    assert all(len(batch) <= 2 for batch in built_batches)
    assert sorted(pk for batch in built_batches for pk in batch) == sorted(p.pk for p in all_products)
    assert progress == [len(batch) for batch in built_batches]
    assert sum(progress) == len(all_products)
    # and each batch went to Elasticsearch on its own bulk request
    bulks = [r for r in fake.requests if r.path.endswith("/_bulk")]
    assert all(len(r.bulk_actions) <= 2 for r in bulks)


def test_first_rebuild_adds_the_alias_without_removing_anything(fake, backend, catalogue):
    fake.on("GET", f"/_alias/{ALIAS}", (404, {"error": "alias [uji-products] missing", "status": 404}))
    fake.on("HEAD", f"/{ALIAS}", (404, {}))

    backend.rebuild()

    aliases = next(r for r in fake.requests if r.path == "/_aliases")
    assert [list(action) for action in aliases.body["actions"]] == [["add"]]
    assert not [call for call in fake.calls() if call[0] == "DELETE"]


def test_rebuild_replaces_a_concrete_index_squatting_on_the_alias_name(fake, backend, catalogue):
    fake.on("GET", f"/_alias/{ALIAS}", (404, {"error": "missing", "status": 404}))

    backend.rebuild()

    aliases = next(r for r in fake.requests if r.path == "/_aliases")
    assert aliases.body["actions"][0] == {"remove_index": {"index": ALIAS}}
    assert list(aliases.body["actions"][1]) == ["add"]


def test_failed_rebuild_deletes_the_new_index_and_leaves_the_alias_alone(fake, backend, catalogue):
    # given a cluster that rejects the bulk load
    with_existing_alias(fake)
    fake.on("PUT", lambda path: path.endswith("/_bulk"), (500, {"error": "disk full", "status": 500}))
    fake.on("POST", lambda path: path.endswith("/_bulk"), (500, {"error": "disk full", "status": 500}))

    # when
    with pytest.raises(Exception):  # noqa: B017 - the client raises its own ApiError subclass
        backend.rebuild()

    # then
    calls = fake.calls()
    new_index = next(path for method, path in calls if method == "PUT" and NEW_INDEX_RE.match(path))
    assert ("DELETE", new_index) in calls
    assert ("POST", "/_aliases") not in calls
    assert ("DELETE", f"/{OLD_INDEX}") not in calls
    assert cache.get(REBUILDING) is None


def test_rebuild_rejects_an_empty_batch_size(backend):
    with pytest.raises(ValueError):
        backend.rebuild(batch_size=0)


# --- incremental indexing ----------------------------------------------------------------------


def test_index_products_upserts_searchable_products_and_deletes_the_rest(fake, backend, catalogue):
    kerudung, peci, _keripik = catalogue["searchable"]
    type(kerudung).objects.filter(pk=kerudung.pk).update(curation_stars=4, curation_stars_until="2029-12-07")
    ids = [kerudung.pk, peci.pk, catalogue["banned"].pk, catalogue["hidden"].pk, 999_999]

    written = backend.index_products(ids)

    (bulk,) = [r for r in fake.requests if r.path.endswith("/_bulk")]
    operations = {(op, int(meta["_id"])) for op, meta in bulk.bulk_actions}
    assert operations == {
        ("index", kerudung.pk),
        ("index", peci.pk),
        ("delete", catalogue["banned"].pk),
        ("delete", catalogue["hidden"].pk),
        ("delete", 999_999),
    }
    assert {meta["_index"] for _op, meta in bulk.bulk_actions} == {ALIAS}
    # writes through the alias never auto-create a concrete index
    assert bulk.params["require_alias"] == "true"
    assert written == 2
    source = next(line for line in bulk.body if line.get("title") == "Kerudung Segi Empat")
    assert source["seller"] == {
        "slug": "al-ikhlas",
        "name": "Pondok Pesantren Al-Ikhlas",
        "url": "/pesantren/al-ikhlas/",
    }
    assert source["kabupaten_code"] == "32.04"
    assert source["price"] == 45000.0
    assert source["in_stock"] is True
    assert source["url"] == kerudung.get_absolute_url()
    assert (source["curation_stars"], source["curation_stars_until"]) == (4, "2029-12-07")
    peci_source = next(line for line in bulk.body if line.get("id") == peci.pk)
    assert (peci_source["curation_stars"], peci_source["curation_stars_until"]) == (0, None)


def test_index_products_during_a_rebuild_also_writes_to_the_index_being_built(fake, backend, catalogue):
    cache.set(REBUILDING, "uji-products-20261123000000000000")
    kerudung = catalogue["searchable"][0]

    backend.index_products([kerudung.pk])

    bulks = [r for r in fake.requests if r.path.endswith("/_bulk")]
    assert [{meta["_index"] for _op, meta in r.bulk_actions} for r in bulks] == [
        {ALIAS},
        {"uji-products-20261123000000000000"},
    ]
    assert "require_alias" not in bulks[1].params


def test_index_products_without_ids_sends_nothing(fake, backend, db):
    assert backend.index_products([]) == 0
    assert fake.requests == []


def test_sync_synonyms_puts_every_group_and_the_regional_spellings_into_the_synonyms_set(fake, backend, db):
    SearchSynonym.objects.all().delete()
    SearchSynonym.objects.create(terms="kerudung, jilbab, hijab")
    SearchSynonym.objects.create(terms="peci, kopiah, songkok")

    backend.sync_synonyms()

    (request,) = fake.requests
    assert (request.method, request.path) == ("PUT", f"/_synonyms/{synonyms_set_name()}")
    assert [rule["synonyms"] for rule in request.body["synonyms_set"]] == [
        "kerudung, jilbab, hijab",
        "peci, kopiah, songkok",
        *(", ".join(group) for group in REGIONAL_SPELLINGS),
    ]
    assert "keripik, kripik" in [rule["synonyms"] for rule in request.body["synonyms_set"]]


# --- reads -------------------------------------------------------------------------------------


def _agg(buckets):
    return {"doc_count": sum(b["doc_count"] for b in buckets), "values": {"buckets": buckets}}


def test_search_returns_ids_total_and_labelled_facets(fake, backend, db):
    # given a category in the database and a canned search answer
    category = create_from_breadcrumbs("Busana Muslim")
    answer = {
        "took": 3,
        "timed_out": False,
        "hits": {
            "total": {"value": 42, "relation": "eq"},
            "max_score": None,
            "hits": [
                {"_index": ALIAS, "_id": "7", "_score": 2.0},
                {"_index": ALIAS, "_id": "3", "_score": 1.0},
            ],
        },
        "aggregations": {
            "category": _agg([{"key": category.pk, "doc_count": 12}]),
            "seller": _agg(
                [{"key": "al-ikhlas", "doc_count": 9, "label": {"buckets": [{"key": "PP Al-Ikhlas", "doc_count": 9}]}}]
            ),
            "kabupaten": _agg(
                [
                    {
                        "key": "32.04",
                        "doc_count": 30,
                        "label": {"buckets": [{"key": "Kabupaten Bandung", "doc_count": 30}]},
                    }
                ]
            ),
            "sector": _agg([{"key": "fashion", "doc_count": 20}]),
            "price": {
                "doc_count": 42,
                "values": {
                    "buckets": {
                        "0-25000": {"doc_count": 5},
                        "25000-50000": {"doc_count": 37},
                        "50000-100000": {"doc_count": 0},
                        "100000-250000": {"doc_count": 0},
                        "250000-": {"doc_count": 0},
                    }
                },
            },
            "halal": _agg(
                [
                    {"key": 0, "key_as_string": "false", "doc_count": 30},
                    {"key": 1, "key_as_string": "true", "doc_count": 12},
                ]
            ),
            "in_stock": _agg(
                [
                    {"key": 1, "key_as_string": "true", "doc_count": 40},
                    {"key": 0, "key_as_string": "false", "doc_count": 2},
                ]
            ),
            "stars": {
                "doc_count": 42,
                "values": {
                    "buckets": {
                        "5": {"doc_count": 0},
                        "4": {"doc_count": 2},
                        "3": {"doc_count": 6},
                        "2": {"doc_count": 6},
                        "1": {"doc_count": 7},
                    }
                },
            },
        },
    }
    fake.on("POST", f"/{ALIAS}/_search", (200, answer))

    # when
    result = backend.search(SearchQuery(text="kerudung", page=1))

    # then
    assert result.product_ids == [7, 3]
    assert result.total == 42
    assert result.facets["category"] == [(str(category.pk), "Busana Muslim", 12)]
    assert result.facets["seller"] == [("al-ikhlas", "PP Al-Ikhlas", 9)]
    assert result.facets["kabupaten"] == [("32.04", "Kabupaten Bandung", 30)]
    assert result.facets["sector"] == [("fashion", str(Sector.FASHION.label), 20)]
    assert [(value, count) for value, _label, count in result.facets["price"]] == [("0-25000", 5), ("25000-50000", 37)]
    assert [(value, count) for value, _label, count in result.facets["halal"]] == [("true", 12)]
    assert [(value, count) for value, _label, count in result.facets["in_stock"]] == [("true", 40)]
    assert [(value, count) for value, _label, count in result.facets["stars"]] == [
        ("4", 2),
        ("3", 6),
        ("2", 6),
        ("1", 7),
    ]
    (request,) = [r for r in fake.requests if r.path.endswith("/_search")]
    assert request.body["query"]["bool"]["must"][0]["bool"]["must"][0]["multi_match"]["query"] == "kerudung"


def _search_answer(ids: list[int]) -> dict:
    """A search response with these hits and empty facets."""
    empty = {"doc_count": 0, "values": {"buckets": []}}
    price = {"doc_count": 0, "values": {"buckets": {key: {"doc_count": 0} for key, _low, _high in PRICE_BUCKETS}}}
    return {
        "took": 1,
        "timed_out": False,
        "hits": {
            "total": {"value": len(ids), "relation": "eq"},
            "hits": [{"_index": ALIAS, "_id": str(pk), "_score": 1.0} for pk in ids],
        },
        "aggregations": {facet: price if facet == "price" else empty for facet in FACETS},
    }


def _searched_text(request) -> str:
    return request.body["query"]["bool"]["must"][0]["bool"]["must"][0]["multi_match"]["query"]


def test_a_misspelt_search_is_fuzzy_and_suggests_the_vocabulary_word(fake, backend, catalogue):
    # given the vocabulary of the indexed catalogue ("kerudung" among its words)
    fake.on("POST", f"/{ALIAS}/_search", (200, _search_answer([catalogue["searchable"][0].pk])))

    # when
    result = backend.search(SearchQuery(text="kerudng"))

    # then one fuzzy search answered it, and the suggestion is the catalogue's word
    (request,) = [r for r in fake.requests if r.path.endswith("/_search")]
    assert _searched_text(request) == "kerudng"
    assert request.body["query"]["bool"]["must"][0]["bool"]["must"][0]["multi_match"]["fuzziness"] == "AUTO:3,7"
    assert result.product_ids == [catalogue["searchable"][0].pk]
    assert (result.suggestion, result.corrected) == ("kerudung", False)


def test_a_search_that_finds_nothing_answers_with_the_correction(fake, backend, catalogue):
    # given Elasticsearch finds nothing for the typo (two edits in its first five letters) but the correction
    kerudung = catalogue["searchable"][0].pk

    def answer(request):
        return 200, _search_answer([kerudung] if _searched_text(request) == "kerudung" else [])

    fake.on("POST", f"/{ALIAS}/_search", answer)

    # when
    result = backend.search(SearchQuery(text="kreudng"))

    # then
    assert [_searched_text(r) for r in fake.requests if r.path.endswith("/_search")] == ["kreudng", "kerudung"]
    assert result.product_ids == [kerudung]
    assert (result.suggestion, result.corrected) == ("kerudung", True)


def test_a_well_spelt_search_gets_no_suggestion_and_one_request(fake, backend, catalogue):
    fake.on("POST", f"/{ALIAS}/_search", (200, _search_answer([])))

    result = backend.search(SearchQuery(text="peci"))

    assert result.suggestion is None
    assert len([r for r in fake.requests if r.path.endswith("/_search")]) == 1


def test_indexing_into_elasticsearch_keeps_the_vocabulary(fake, backend, catalogue):
    # given an empty vocabulary
    SearchTerm.objects.all().delete()
    SearchTermDocument.objects.all().delete()
    ids = [product.pk for product in catalogue["searchable"]] + [catalogue["banned"].pk, catalogue["hidden"].pk]

    # when
    backend.index_products(ids)

    # then the searchable products' words are counted, the banned and hidden ones' are not
    terms = dict(SearchTerm.objects.filter(documents__gt=0).values_list("term", "documents"))
    assert terms["kerudung"] == 1
    assert terms["peci"] == 1
    assert "terlarang" not in terms
    assert "rahasia" not in terms
    assert check_spelling("kerudng").corrections == {"kerudng": "kerudung"}


def test_autocomplete_returns_products_pesantren_and_matching_categories(fake, backend, db):
    # given categories whose ids come back as buckets, one of them an ancestor that does not match
    kerupuk = create_from_breadcrumbs("Makanan > Kerupuk")
    makanan = kerupuk.get_parent()
    responses = [
        {
            "hits": {
                "total": {"value": 1, "relation": "eq"},
                "hits": [
                    {
                        "_id": "5",
                        "_score": 3.0,
                        "_source": {
                            "title": "Kerupuk Ikan",
                            "url": "/catalogue/kerupuk-ikan_5/",
                            "seller": {"name": "PP Al-Ikhlas"},
                        },
                    },
                ],
            }
        },
        {
            "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
            "aggregations": {
                "values": {
                    "buckets": [
                        {
                            "key": "al-ikhlas",
                            "doc_count": 3,
                            "label": {
                                "hits": {
                                    "total": {"value": 3, "relation": "eq"},
                                    "hits": [
                                        {
                                            "_id": "5",
                                            "_source": {
                                                "seller": {"name": "PP Al-Ikhlas", "url": "/pesantren/al-ikhlas/"},
                                                "kabupaten_name": "Kabupaten Bandung",
                                            },
                                        }
                                    ],
                                }
                            },
                        },
                    ]
                }
            },
        },
        {
            "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
            "aggregations": {
                "values": {
                    "buckets": [
                        {"key": makanan.pk, "doc_count": 4},
                        {"key": kerupuk.pk, "doc_count": 4},
                    ]
                }
            },
        },
    ]
    fake.on("POST", f"/{ALIAS}/_msearch", (200, {"took": 1, "responses": [{**r, "status": 200} for r in responses]}))

    # when
    suggestions = backend.autocomplete("kerup")

    # then
    assert suggestions["products"] == [
        {"id": 5, "title": "Kerupuk Ikan", "seller_name": "PP Al-Ikhlas", "url": "/catalogue/kerupuk-ikan_5/"}
    ]
    assert suggestions["pesantren"] == [
        {"slug": "al-ikhlas", "name": "PP Al-Ikhlas", "kabupaten": "Kabupaten Bandung", "url": "/pesantren/al-ikhlas/"}
    ]
    assert suggestions["categories"] == [{"id": kerupuk.pk, "name": "Kerupuk", "url": kerupuk.get_absolute_url()}]
    (request,) = fake.requests
    assert len(request.body) == 6  # three header and body pairs in one round trip


def test_autocomplete_of_blank_text_asks_nothing(fake, backend):
    assert backend.autocomplete("   ") == {"products": [], "pesantren": [], "categories": []}
    assert fake.requests == []


def test_ping_is_false_when_the_server_is_down(fake, backend):
    fake.on("HEAD", "/", (503, {}))

    assert backend.ping() is False


def test_backend_needs_a_url_or_a_client(settings):
    settings.ELASTICSEARCH_URL = ""

    with pytest.raises(ValueError):
        ElasticsearchBackend()


def test_client_has_explicit_timeouts_and_few_retries(settings):
    settings.MARKETPLACE_ELASTICSEARCH_TIMEOUT = 3

    backend = ElasticsearchBackend("http://localhost:9200")

    assert backend.client._request_timeout == 3
    assert backend.client._max_retries == es_client.DEFAULT_MAX_RETRIES
    assert backend.client._retry_on_timeout is True


def test_a_busy_cluster_surfaces_as_a_retryable_connection_error(fake, backend, catalogue):
    # The indexing tasks retry on the builtin ConnectionError and know nothing of this client.
    fake.on("PUT", "/_bulk", (503, {"error": "unavailable", "status": 503}))

    with pytest.raises(ConnectionError):
        backend.index_products([catalogue["searchable"][0].pk])


def test_an_unreachable_cluster_surfaces_as_a_connection_error(db):
    backend = ElasticsearchBackend("http://127.0.0.1:9", alias=ALIAS)  # nothing listens on the discard port

    with pytest.raises(ConnectionError):
        backend.sync_synonyms()


def test_a_rejected_request_is_not_disguised_as_an_outage(fake, backend, db):
    fake.on("PUT", f"/_synonyms/{synonyms_set_name()}", (400, {"error": "bad rule", "status": 400}))

    with pytest.raises(Exception) as raised:
        backend.sync_synonyms()

    assert not isinstance(raised.value, ConnectionError)


def test_once_the_alias_has_moved_the_new_index_survives_a_failed_cleanup(fake, backend, catalogue):
    # given a cluster that swaps the alias but fails to delete the old index
    with_existing_alias(fake)
    fake.on("DELETE", f"/{OLD_INDEX}", (500, {"error": "timeout", "status": 500}))

    # when
    with pytest.raises(Exception):  # noqa: B017 - the client's ApiError
        backend.rebuild()

    # then the new, live index was not deleted
    deletes = [path for method, path in fake.calls() if method == "DELETE"]
    assert deletes == [f"/{OLD_INDEX}"]

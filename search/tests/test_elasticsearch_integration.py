"""Elasticsearch-only behaviours against a real server. Skipped unless ELASTICSEARCH_URL is set.

The shared behavioural contract (search/tests/contract.py) already runs against Elasticsearch
through test_contract.py, whose `search_backend` fixture adds an Elasticsearch parameter when
ELASTICSEARCH_URL is set. These tests cover what only this backend has: aliases, index lifecycle
and the synonyms set.
"""

import os
import uuid

import pytest
from django.conf import settings

from search.backends.base import SearchQuery
from search.models import SearchSynonym

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL") or settings.ELASTICSEARCH_URL

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(
        not ELASTICSEARCH_URL, reason="ELASTICSEARCH_URL is not set: no Elasticsearch server to test against"
    ),
]


@pytest.fixture
def es_backend(db):
    from search.backends.elasticsearch import ElasticsearchBackend

    backend = ElasticsearchBackend(ELASTICSEARCH_URL, alias=f"test-es-{uuid.uuid4().hex[:12]}")
    if not backend.ping():
        pytest.fail(f"ELASTICSEARCH_URL is set but {ELASTICSEARCH_URL} does not answer")
    yield backend
    backend.client.indices.delete(index=f"{backend.alias}*", ignore_unavailable=True, allow_no_indices=True)


def concrete_indices(backend) -> list[str]:
    return sorted(backend.client.indices.get(index=f"{backend.alias}-*").body)


def test_rebuild_moves_the_alias_to_a_new_index_and_drops_the_old_one(es_backend, search_world):
    # given a first build
    first_count = es_backend.rebuild(batch_size=2)
    (first_index,) = concrete_indices(es_backend)

    # when
    second_count = es_backend.rebuild(batch_size=2)

    # then
    (second_index,) = concrete_indices(es_backend)
    assert second_index != first_index
    assert sorted(es_backend.client.indices.get_alias(name=es_backend.alias).body) == [second_index]
    assert first_count == second_count == 6  # the suspended pesantren's product is left out
    assert es_backend.search(SearchQuery()).total == 6


def test_incremental_updates_before_the_first_rebuild_create_no_index(es_backend, search_world):
    es_backend.index_products([search_world.kerudung.pk])

    assert not es_backend.client.indices.exists(index=es_backend.alias)


def test_the_search_analyzer_expands_synonyms_from_the_synonyms_set(es_backend, search_world):
    SearchSynonym.objects.get_or_create(terms="peci, kopiah, songkok")
    es_backend.rebuild()

    tokens = es_backend.client.indices.analyze(index=es_backend.alias, analyzer="plain_search", text="kopiah")
    assert {token["token"] for token in tokens["tokens"]} >= {"peci", "kopiah", "songkok"}


def test_a_misspelt_word_finds_the_product_through_the_unstemmed_fields(es_backend, search_world):
    es_backend.rebuild()

    assert search_world.kerudung.pk in es_backend.search(SearchQuery(text="kerudng")).product_ids

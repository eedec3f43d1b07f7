"""The product index definition, checked through the body elasticsearch-dsl would send. No server needed."""

import pytest

from search.es.analysis import synonyms_set_name
from search.es.mapping import index_alias, product_index


@pytest.fixture
def index_body():
    return product_index("pasar-pesantren-products-20261123").to_dict()


def test_index_is_named_as_asked_and_defaults_to_the_alias():
    assert product_index("products-20261123")._name == "products-20261123"
    assert product_index()._name == index_alias()


def test_text_is_indexed_with_the_built_in_indonesian_analyzer_and_searched_with_synonyms(index_body):
    properties = index_body["mappings"]["properties"]

    for field in (properties["title"], properties["description"], properties["all_text"]):
        assert field["type"] == "text"
        assert field["analyzer"] == "indonesian"
        assert field["search_analyzer"] == "indonesian_search"
    search_analyzer = index_body["settings"]["analysis"]["analyzer"]["indonesian_search"]
    assert search_analyzer["filter"] == ["lowercase", "marketplace_synonyms", "indonesian_stop", "indonesian_stemmer"]
    filters = index_body["settings"]["analysis"]["filter"]
    assert filters["indonesian_stop"] == {"type": "stop", "stopwords": "_indonesian_"}
    assert filters["indonesian_stemmer"] == {"type": "stemmer", "language": "indonesian"}


def _analyzers_in_use(properties: dict, key: str) -> set[str]:
    found = set()
    for field in properties.values():
        if key in field:
            found.add(field[key])
        found |= _analyzers_in_use(field.get("properties", {}), key)
        found |= _analyzers_in_use(field.get("fields", {}), key)
    return found


def test_synonyms_come_from_an_updateable_synonyms_set_used_only_at_search_time(index_body):
    analysis = index_body["settings"]["analysis"]
    synonyms = analysis["filter"]["marketplace_synonyms"]

    assert synonyms["type"] == "synonym_graph"
    assert synonyms["synonyms_set"] == synonyms_set_name()
    assert synonyms["updateable"] is True
    # Elasticsearch rejects an updateable filter in an index analyzer.
    with_synonyms = {name for name, a in analysis["analyzer"].items() if "marketplace_synonyms" in a["filter"]}
    assert with_synonyms == {"indonesian_search", "plain_search"}
    properties = index_body["mappings"]["properties"]
    assert not with_synonyms & _analyzers_in_use(properties, "analyzer")
    assert with_synonyms <= _analyzers_in_use(properties, "search_analyzer")


def test_typos_are_matched_on_unstemmed_twins_of_the_text_fields(index_body):
    properties = index_body["mappings"]["properties"]
    plain = {"type": "text", "analyzer": "plain", "search_analyzer": "plain_search"}

    assert properties["title"]["fields"]["plain"] == plain
    assert properties["all_text"]["fields"]["plain"] == plain
    assert index_body["settings"]["analysis"]["analyzer"]["plain"]["filter"] == ["lowercase", "asciifolding"]


def test_titles_and_names_have_keyword_and_search_as_you_type_sub_fields(index_body):
    properties = index_body["mappings"]["properties"]

    assert properties["title"]["fields"]["raw"] == {"type": "keyword", "ignore_above": 256}
    assert properties["title"]["fields"]["suggest"] == {"type": "search_as_you_type", "analyzer": "autocomplete"}
    assert properties["description"]["fields"]["raw"]["type"] == "keyword"
    seller_name = properties["seller"]["properties"]["name"]
    assert seller_name["fields"]["raw"] == {"type": "keyword"}
    assert seller_name["fields"]["suggest"]["type"] == "search_as_you_type"
    assert properties["category_names"]["fields"]["suggest"]["type"] == "search_as_you_type"
    assert index_body["settings"]["analysis"]["analyzer"]["autocomplete"]["filter"] == ["lowercase", "asciifolding"]


def test_text_fields_are_copied_into_the_catch_all_field(index_body):
    properties = index_body["mappings"]["properties"]

    assert properties["title"]["copy_to"] == "all_text"
    assert properties["description"]["copy_to"] == "all_text"
    assert properties["category_names"]["copy_to"] == "all_text"
    assert properties["seller"]["properties"]["name"]["copy_to"] == "all_text"


def test_filter_and_sort_fields_have_exact_types(index_body):
    properties = index_body["mappings"]["properties"]

    expected = {
        "id": "integer",
        "category_ids": "integer",
        "category_path": "keyword",
        "province_code": "keyword",
        "kabupaten_code": "keyword",
        "kabupaten_name": "keyword",
        "kecamatan_code": "keyword",
        "sector": "keyword",
        "price": "scaled_float",
        "in_stock": "boolean",
        "halal": "boolean",
        "pirt": "boolean",
        "bpom": "boolean",
        "rating": "float",
        "units_sold": "integer",
        "curation_stars": "integer",
        "curation_stars_until": "date",
        "date_added": "date",
    }
    assert {name: properties[name]["type"] for name in expected} == expected
    assert properties["price"]["scaling_factor"] == 100
    assert properties["seller"]["properties"]["slug"] == {"type": "keyword"}
    # Links are stored for autocomplete answers, never searched.
    assert properties["url"] == {"type": "keyword", "index": False}


def test_index_settings_come_from_django_settings(settings):
    settings.MARKETPLACE_SEARCH_SHARDS = 3
    settings.MARKETPLACE_SEARCH_REPLICAS = 0

    body = product_index("x").to_dict()

    assert body["settings"]["number_of_shards"] == 3
    assert body["settings"]["number_of_replicas"] == 0

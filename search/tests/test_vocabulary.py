"""The spelling vocabulary (search.vocabulary): edit distances, ranking, suggestions and incremental upkeep."""

import pytest

from search.backends.base import SearchQuery, SearchResult
from search.backends.database import DatabaseBackend
from search.models import SearchTerm, SearchTermDocument
from search.vocabulary import (
    FEW_RESULTS,
    check_spelling,
    closest_term,
    edit_distance,
    forgive_typos,
    max_edits,
    vocabulary_recount,
)
from tests.factories import make_region_tree, make_seller, make_seller_product


def counts(*terms: str) -> dict[str, int]:
    found = dict(SearchTerm.objects.filter(term__in=terms).values_list("term", "documents"))
    return {term: found.get(term, 0) for term in terms}


def words(text: str, documents: int = 1) -> None:
    """Vocabulary rows as if `documents` products used each word of text."""
    for term in text.split():
        SearchTerm.objects.update_or_create(
            term=term, defaults={"initial": term[0], "length": len(term), "documents": documents}
        )


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("kripik", "keripik", 1),  # a missing letter
        ("kerudng", "kerudung", 1),
        ("kerduung", "kerudung", 1),  # two neighbouring letters swapped count once
        ("krudng", "kerudung", 2),
        ("kopi", "kopi", 0),
        ("kupi", "kopi", 1),
        ("pesing", "pisang", 2),
    ],
)
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b, limit=2) == distance
    assert edit_distance(b, a, limit=2) == distance


def test_edit_distance_stops_past_the_limit():
    assert edit_distance("kerudung", "keripik", limit=2) == 3
    assert edit_distance("ab", "abcdef", limit=2) == 3


@pytest.mark.parametrize(("word", "edits"), [("pc", 0), ("teh", 1), ("kopi", 1), ("pisang", 1), ("kerudng", 2)])
def test_edits_forgiven_grow_with_the_word(word, edits):
    assert max_edits(word) == edits


def test_the_closest_word_wins_then_the_most_common(db):
    words("sambal", documents=10)
    words("sambar", documents=2)
    words("sambalado", documents=50)

    assert closest_term("sambak") == "sambal"  # one edit from sambal and sambar: the commoner
    assert closest_term("sambaldo") == "sambalado"  # one edit beats sambal's two
    assert check_spelling("sambal").corrections == {}  # a known word is left alone
    assert closest_term("tambal") is None  # the first letter must be right


def test_short_words_are_not_over_corrected(db):
    words("teh abon kopi", documents=30)
    words("tas", documents=5)

    assert check_spelling("ab").corrections == {}  # two letters: never corrected
    assert check_spelling("tes").corrections == {"tes": "teh"}  # three letters: one edit, the commoner word
    assert check_spelling("tehh").corrections == {"tehh": "teh"}
    assert check_spelling("kopiah").corrections == {}  # two deletions: too many for six letters
    assert check_spelling("250gr kopi").corrections == {}  # sizes and known words stay


def test_a_known_synonym_counts_as_known(db):
    words("keripik", documents=12)

    assert check_spelling("kripik").corrections == {}  # a regional spelling of keripik
    assert check_spelling("keripk").corrections == {"keripk": "keripik"}


def _result(total: int) -> SearchResult:
    return SearchResult(product_ids=list(range(1, min(total, 3) + 1)), total=total)


def test_no_suggestion_for_a_query_that_already_finds_plenty(db):
    # given a rare word next to a common one
    words("kerudung", documents=300)
    words("kerudunk", documents=1)
    searched = []

    def search_again(query):
        searched.append(query.text)
        return _result(300)

    # when the query finds plenty, its rare word is left alone
    plenty = forgive_typos(SearchQuery(text="kerudunk"), _result(FEW_RESULTS), check_spelling("kerudunk"), search_again)
    # but when it finds little, the common word is offered if it finds more
    few = forgive_typos(SearchQuery(text="kerudunk"), _result(1), check_spelling("kerudunk"), search_again)

    assert plenty.suggestion is None
    assert searched == ["kerudung"]
    assert few.suggestion == "kerudung"
    assert few.corrected is False
    assert few.total == 1  # the shopper's own results stay


def test_a_query_that_finds_nothing_shows_the_corrections_results(db):
    words("kerudung", documents=3)

    result = forgive_typos(SearchQuery(text="kerudng"), _result(0), check_spelling("kerudng"), lambda query: _result(3))
    nothing_either = forgive_typos(
        SearchQuery(text="kerudng"), _result(0), check_spelling("kerudng"), lambda query: _result(0)
    )

    assert (result.total, result.suggestion, result.corrected) == (3, "kerudung", True)
    assert (nothing_either.total, nothing_either.suggestion) == (0, None)


# --- upkeep through the real indexing path (product signals -> index task -> backend) ---------------------


@pytest.fixture
def seller(db):
    return make_seller(name="Pesantren Al-Falah", slug="al-falah", regions=make_region_tree("32.04", "Kab. Bandung"))


def test_indexing_counts_the_words_of_searchable_products(seller):
    make_seller_product(seller, title="Keripik Singkong Pedas")
    make_seller_product(seller, title="Keripik Pisang")

    assert counts("keripik", "singkong", "pisang", "pesantren", "falah") == {
        "keripik": 2,
        "singkong": 1,
        "pisang": 1,
        "pesantren": 2,  # the pesantren's name is searched too
        "falah": 2,
    }


def test_a_renamed_product_takes_its_old_words_back(seller):
    product = make_seller_product(seller, title="Keripik Singkong")

    product.title = "Kerupuk Singkong"
    product.save()

    assert counts("keripik", "kerupuk", "singkong") == {"keripik": 0, "kerupuk": 1, "singkong": 1}
    assert SearchTermDocument.objects.get(product_id=product.pk).terms.split().count("singkong") == 1


def test_reindexing_the_same_product_counts_it_once(seller):
    product = make_seller_product(seller, title="Kopi Robusta")

    DatabaseBackend().index_products([product.pk])
    DatabaseBackend().index_products([product.pk, product.pk])

    assert counts("kopi", "robusta") == {"kopi": 1, "robusta": 1}


def test_hidden_and_deleted_products_leave_the_vocabulary(seller):
    hidden = make_seller_product(seller, title="Madu Hutan")
    deleted = make_seller_product(seller, title="Sabun Sereh")
    make_seller_product(seller, title="Madu Klanceng")

    hidden.is_public = False
    hidden.save()
    deleted.delete()

    assert counts("madu", "hutan", "sabun", "sereh", "klanceng") == {
        "madu": 1,
        "hutan": 0,
        "sabun": 0,
        "sereh": 0,
        "klanceng": 1,
    }
    assert not SearchTermDocument.objects.filter(product_id__in=[hidden.pk, deleted.pk]).exists()
    # a hidden product's words are no suggestion
    assert check_spelling("hutn").corrections == {}


def test_suspending_a_pesantren_removes_its_words(seller):
    from sellers.services import seller_suspend

    make_seller_product(seller, title="Gamis Katun")

    seller_suspend(seller=seller, suspended_by=None, reason="Laporan pembeli")

    assert counts("gamis", "katun") == {"gamis": 0, "katun": 0}


def test_a_rebuild_recounts_what_incremental_updates_counted(seller):
    make_seller_product(seller, title="Keripik Singkong")
    make_seller_product(seller, title="Keripik Tempe")
    incremental = dict(SearchTerm.objects.filter(documents__gt=0).values_list("term", "documents"))
    # drift, e.g. a product deleted while its index task was lost
    SearchTerm.objects.filter(term="keripik").update(documents=7)
    SearchTermDocument.objects.create(product_id=999_999, terms="hantu")

    DatabaseBackend().rebuild()

    assert dict(SearchTerm.objects.filter(documents__gt=0).values_list("term", "documents")) == incremental
    assert vocabulary_recount() == len(incremental)


def test_the_database_backend_suggests_from_what_was_indexed(seller):
    make_seller_product(seller, title="Kerudung Segi Empat")

    typo = DatabaseBackend().search(SearchQuery(text="kerudng"))
    autocomplete = DatabaseBackend().autocomplete("kerudng")

    assert typo.total == 1
    assert typo.suggestion == "kerudung"
    assert [item["title"] for item in autocomplete["products"]] == ["Kerudung Segi Empat"]

"""The vocabulary on a real SQLite database, as the demo (bin/demo) runs it.

The suite's database is PostgreSQL, so this opens a private in-memory SQLite connection holding
just the vocabulary tables; the vocabulary functions take the connection alias like the backends.
"""

import pytest
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper

from search.models import SearchTerm, SearchTermDocument
from search.vocabulary import check_spelling, vocabulary_update

ALIAS = "vocabulary_sqlite"


@pytest.fixture
def sqlite(db):
    wrapper = DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "OPTIONS": {},
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        },
        alias=ALIAS,
    )
    connections[ALIAS] = wrapper
    with wrapper.schema_editor() as editor:
        editor.create_model(SearchTerm)
        editor.create_model(SearchTermDocument)
    yield wrapper
    wrapper.close()
    del connections[ALIAS]


def document(pk: int, title: str, *, searchable: bool = True) -> dict:
    return {
        "id": pk,
        "title": title,
        "category_names": ["Makanan"],
        "seller_name": "Pesantren Al-Falah",
        "description": "",
        "searchable": searchable,
    }


def counts(*terms: str) -> dict[str, int]:
    found = dict(SearchTerm.objects.using(ALIAS).filter(term__in=terms).values_list("term", "documents"))
    return {term: found.get(term, 0) for term in terms}


def test_sqlite_counts_updates_and_corrects(sqlite):
    assert sqlite.vendor == "sqlite"

    # indexing two products, then re-indexing one renamed and one hidden
    vocabulary_update([document(1, "Keripik Singkong"), document(2, "Keripik Pisang")], using=ALIAS)
    assert counts("keripik", "singkong", "pisang", "makanan") == {
        "keripik": 2,
        "singkong": 1,
        "pisang": 1,
        "makanan": 2,
    }
    vocabulary_update(
        [document(1, "Kerudung Segi Empat"), document(2, "Keripik Pisang", searchable=False)], using=ALIAS
    )
    vocabulary_update([document(1, "Kerudung Segi Empat")], using=ALIAS)  # twice: counted once

    assert counts("keripik", "singkong", "pisang", "kerudung", "makanan") == {
        "keripik": 0,
        "singkong": 0,
        "pisang": 0,
        "kerudung": 1,
        "makanan": 1,
    }
    assert list(SearchTermDocument.objects.using(ALIAS).values_list("product_id", flat=True)) == [1]
    assert check_spelling("kerudng", using=ALIAS).suggestion == "kerudung"
    assert check_spelling("keripk", using=ALIAS).suggestion is None  # keripik left with the products

    # a removed product takes its words with it
    vocabulary_update([], [1], using=ALIAS)
    assert SearchTerm.objects.using(ALIAS).filter(documents__gt=0).count() == 0

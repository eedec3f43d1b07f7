"""Analyzers for Indonesian product text.

Documents are indexed with Elasticsearch's built-in `indonesian` analyzer. Queries use
`indonesian_search`, the same chain rebuilt from its parts (as the Elasticsearch reference shows
for language analyzers) with a `synonym_graph` filter after lowercasing.

Synonyms are applied at search time only, from a synonyms set managed through the synonyms API
(Elasticsearch 8.10+, `PUT _synonyms/<set>`). Elasticsearch reloads every search analyzer that
uses a set when the set changes, so editing kerudung/jilbab/hijab needs no reindex: the index holds
the words as written and the query side expands them. The rules themselves are the
`search.models.SearchSynonym` rows that the database backend reads too; the Elasticsearch backend
copies them into the set (`ElasticsearchBackend.sync_synonyms`). That is also why the filter must be
`updateable`: an updateable filter may only sit in a search analyzer, never an index analyzer.
"""

from django.conf import settings
from elasticsearch.dsl import analyzer, token_filter

DEFAULT_SYNONYMS_SET = "pasar-pesantren-synonyms"


def synonyms_set_name() -> str:
    # The mapping is declared at import time, so a change of this setting needs a restart.
    return getattr(settings, "MARKETPLACE_SEARCH_SYNONYMS_SET", DEFAULT_SYNONYMS_SET)


def synonym_filter():
    return token_filter(
        "marketplace_synonyms",
        type="synonym_graph",
        synonyms_set=synonyms_set_name(),
        updateable=True,
        # An unknown word in a rule must not make the whole set (and the index) unusable.
        lenient=True,
    )


def indonesian_search_analyzer():
    return analyzer(
        "indonesian_search",
        tokenizer="standard",
        filter=[
            "lowercase",
            synonym_filter(),
            token_filter("indonesian_stop", type="stop", stopwords="_indonesian_"),
            token_filter("indonesian_stemmer", type="stemmer", language="indonesian"),
        ],
    )


# Unstemmed twins of the Indonesian analyzers. Typo tolerance needs them: the stemmer strips
# affixes from the indexed word (kerudung → rudung) but not from a misspelt query word of too few
# syllables (kerudng), and the two then lie too many edits apart for fuzziness AUTO.
plain_analyzer = analyzer("plain", tokenizer="standard", filter=["lowercase", "asciifolding"])


def plain_search_analyzer():
    return analyzer("plain_search", tokenizer="standard", filter=["lowercase", "asciifolding", synonym_filter()])


# Autocomplete matches names as typed: no stemming (a half-typed word has no stem) and no stop words.
autocomplete_analyzer = analyzer("autocomplete", tokenizer="standard", filter=["lowercase", "asciifolding"])

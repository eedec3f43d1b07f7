"""The words of the indexed catalogue, for search that forgives typos on every backend.

Every searchable product contributes the words of its title, categories, pesantren name and
description to `SearchTerm` (word -> number of products). A query word the vocabulary does not
know ("kerudng", "kripik") is matched to the closest known word: the fewest edits (Damerau-
Levenshtein, a swap of two neighbouring letters counting as one), then the most products. Both
backends forgive the same typos (Elasticsearch queries with `fuzziness: FUZZINESS`): none in words
of one or two letters, one in words of three to six, two from seven letters. One edit fewer than
Elasticsearch's plain AUTO for six-letter words, where two edits mostly find other words ("kopiah"
is two deletions from "kopi"), while their usual typos ("kripik", "kerudng") are one. Like the Elasticsearch
query (`prefix_length: 1`) the first letter must be right, which keeps the candidates of a word to
the few hundred vocabulary rows of the same first letter and a similar length.

Our own dictionary rather than symspellpy: the vocabulary lives in the database, so every web and
worker process sees a product's words the moment its index task commits, on SQLite and PostgreSQL
alike, and keeping it current costs one upsert per indexing batch. A SymSpell index lives in each
process's memory and would have to be rebuilt (its precomputed deletes run to hundreds of
thousands of entries) whenever any product changed; and only misspelt words, which are rare, need
the candidate scan at all.

Kept up to date incrementally: `vocabulary_update` runs in each backend's `index_products` with the
documents just built; `SearchTermDocument` remembers each product's words so a reindex takes back
exactly what the product gave. A rebuild recounts everything (`vocabulary_recount`).
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.db import connections, transaction
from oscar.core.loading import get_model

from search.backends.base import SearchQuery, SearchResult
from search.models import SearchSynonym, SearchTerm, SearchTermDocument, parse_terms
from search.regional_spellings import REGIONAL_SPELLINGS

Product = get_model("catalogue", "Product")

QUERY_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Vocabulary words: letters only (no sizes, weights or codes) of a length worth correcting to.
VOCABULARY_WORD_RE = re.compile(r"[^\W\d_]{3,40}", re.UNICODE)
MAX_QUERY_TERMS = 10
# Edits forgiven by length, in Elasticsearch's notation: 0 below 3 letters, 1 below 7, then 2.
FUZZINESS = "AUTO:3,7"
# A query that finds fewer products than this may hold a rare but real word next to a common one
# ("pecis" among 3 products, "peci" among 300): it is checked against the common word too.
FEW_RESULTS = 5
# ... which is suggested only if it is this many times as common.
RARE_WORD_RATIO = 20
# Rows per upsert statement (SQLite allows 999 parameters in older builds).
UPSERT_CHUNK = 200


def query_terms(text: str) -> list[str]:
    """The lowercased words of a query, at most MAX_QUERY_TERMS."""
    return [word.lower() for word in QUERY_WORD_RE.findall(text)][:MAX_QUERY_TERMS]


def max_edits(word: str) -> int:
    """Edits forgiven in a word of this length, as FUZZINESS: 0, 1 from 3 letters, 2 from 7."""
    if len(word) <= 2:
        return 0
    return 1 if len(word) <= 6 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment) of a and b, or limit + 1 once it exceeds limit."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before_previous[j - 2] + 1)
            current[j] = value
        # No later row can come back under the limit: each cell grows from this row or (a swap) the one before.
        if min(current) > limit and min(previous) >= limit:
            return limit + 1
        before_previous, previous = previous, current
    return previous[-1] if previous[-1] <= limit else limit + 1


def synonym_groups() -> list[list[str]]:
    """The staff's SearchSynonym groups, then the built-in regional spellings (search.regional_spellings)."""
    groups = [parse_terms(row) for row in SearchSynonym.objects.values_list("terms", flat=True)]
    return groups + [list(group) for group in REGIONAL_SPELLINGS]


def synonym_alternatives(terms: list[str], groups: list[list[str]] | None = None) -> list[list[str]]:
    """For each term, the term and its synonyms (phrases allowed). Read at query time: edits apply at once."""
    if not terms:
        return []
    if groups is None:
        groups = synonym_groups()
    alternatives = []
    for term in terms:
        options = [term]
        for group in groups:
            if term in group:
                options += [word for word in group if word not in options]
        alternatives.append(options)
    return alternatives


# --- checking a query ----------------------------------------------------------------------------


@dataclass
class SpellingCheck:
    """A query's words, their synonyms, and the known word each misspelt one was taken for."""

    terms: list[str]
    alternatives: list[list[str]]
    corrections: dict[str, str] = field(default_factory=dict)
    frequencies: dict[str, int] = field(default_factory=dict)
    using: str = "default"

    @property
    def suggestion(self) -> str | None:
        """The query with its misspelt words corrected, or None when nothing was corrected."""
        if not self.corrections:
            return None
        return " ".join(self.corrections.get(term, term) for term in self.terms)

    def expanded_alternatives(self, groups: list[list[str]] | None = None) -> list[list[str]]:
        """`alternatives` with each misspelt word's correction (and that word's synonyms) added."""
        expanded = []
        corrected = synonym_alternatives(list(self.corrections.values()), groups) if self.corrections else []
        by_correction = dict(zip(self.corrections.values(), corrected, strict=True))
        for term, options in zip(self.terms, self.alternatives, strict=True):
            options = list(options)
            if term in self.corrections:
                options += [word for word in by_correction[self.corrections[term]] if word not in options]
            expanded.append(options)
        return expanded

    def with_rare_words_checked(self) -> "SpellingCheck":
        """Also correct known words that are rare next to a close word RARE_WORD_RATIO times as common."""
        corrections = dict(self.corrections)
        for term in self.terms:
            count = self.frequencies.get(term, 0)
            if term in corrections or not count or not _correctable(term):
                continue
            closest = closest_term(term, min_documents=count * RARE_WORD_RATIO, using=self.using)
            if closest is not None:
                corrections[term] = closest
        return replace(self, corrections=corrections)


def check_spelling(text: str, *, using: str = "default", groups: list[list[str]] | None = None) -> SpellingCheck:
    """Which words of `text` the vocabulary does not know, and the closest known word for each.

    A word counts as known when it or one of its synonyms is in the vocabulary ("kripik" is known
    through "keripik"), so synonyms are never "corrected". Two queries when nothing is misspelt.
    """
    terms = query_terms(text)
    alternatives = synonym_alternatives(terms, groups)
    words = {word for options in alternatives for word in options}
    frequencies = dict(
        SearchTerm.objects.using(using).filter(term__in=words, documents__gt=0).values_list("term", "documents")
    )
    corrections = {}
    for term, options in zip(terms, alternatives, strict=True):
        if term in corrections or not _correctable(term) or any(word in frequencies for word in options):
            continue
        closest = closest_term(term, using=using)
        if closest is not None:
            corrections[term] = closest
    return SpellingCheck(terms, alternatives, corrections, frequencies, using)


def closest_term(term: str, *, min_documents: int = 1, using: str = "default") -> str | None:
    """The vocabulary word fewest edits from `term` (the most common of equals), within max_edits(term)."""
    limit = max_edits(term)
    if limit == 0:
        return None
    candidates = (
        SearchTerm.objects.using(using)
        .filter(initial=term[0], length__gte=len(term) - limit, length__lte=len(term) + limit)
        .filter(documents__gte=max(min_documents, 1))
        .exclude(term=term)
        .values_list("term", "documents")
    )
    best = None
    letters = set(term)
    for word, documents in candidates.iterator(chunk_size=2000):
        # Each edit changes at most two letters of the letter sets: most candidates stop here, cheaply.
        if len(letters.symmetric_difference(word)) > 2 * limit:
            continue
        distance = edit_distance(term, word, limit)
        if distance <= limit:
            key = (distance, -documents, word)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def _correctable(term: str) -> bool:
    return max_edits(term) > 0 and term.isalpha()


def forgive_typos(
    query: SearchQuery,
    result: SearchResult,
    spelling: SpellingCheck | None,
    search_again: Callable[[SearchQuery], SearchResult],
) -> SearchResult:
    """Attach a spelling suggestion to a backend's result, or answer with the corrected query's results.

    - A misspelt word (unknown to the vocabulary) is suggested corrected, whatever the result count:
      "Apakah maksud Anda kerudung?".
    - A query that found fewer than FEW_RESULTS products also has its rare known words checked;
      their correction is suggested only if it finds more.
    - A query that found nothing is answered with the corrected query's products, when it finds
      some (`corrected` is then True: "Menampilkan hasil untuk kerudung").
    - A query that found FEW_RESULTS or more with every word known gets no suggestion.
    """
    if spelling is None or not spelling.terms:
        return result
    suggestion, verify = spelling.suggestion, False
    if result.total < FEW_RESULTS:
        checked = spelling.with_rare_words_checked()
        if checked.suggestion != suggestion:
            suggestion, verify = checked.suggestion, True
    if suggestion is None or suggestion == " ".join(spelling.terms):
        return result
    if result.total == 0 or verify:
        retry = search_again(replace(query, text=suggestion))
        if result.total == 0:
            if not retry.total:
                return result
            retry.suggestion, retry.corrected = suggestion, True
            return retry
        if retry.total <= result.total:
            return result
    result.suggestion = suggestion
    return result


# --- keeping the vocabulary current ------------------------------------------------------------------


def document_terms(document: dict) -> set[str]:
    """The vocabulary words of a search document (search.documents): title, categories, pesantren, description."""
    text = " ".join(
        [document["title"], " ".join(document["category_names"]), document["seller_name"], document["description"]]
    )
    return {word.lower() for word in VOCABULARY_WORD_RE.findall(text)}


def vocabulary_update(documents: Iterable[dict], removed_ids: Iterable[int] = (), *, using: str = "default") -> None:
    """Count the words of these freshly built documents, and take back what they (and removed_ids) gave before.

    Unsearchable documents (hidden products, suspended pesantren) and removed ids leave the
    vocabulary. Each product's row in SearchTermDocument is locked (by id) while its difference is
    applied, so two tasks indexing the same product never count it twice; term counters are
    upserted in term order, so concurrent updates never deadlock.
    """
    documents = list(documents)
    wanted = {document["id"]: document_terms(document) for document in documents if document["searchable"]}
    dropped = ({int(pk) for pk in removed_ids} | {document["id"] for document in documents}) - set(wanted)
    ids = sorted(set(wanted) | dropped)
    if not ids:
        return
    rows = SearchTermDocument.objects.using(using)
    with transaction.atomic(using=using):
        # A row for every id first, so that a concurrent task for a new product waits on it.
        rows.bulk_create([SearchTermDocument(product_id=pk, terms="") for pk in ids], ignore_conflicts=True)
        before = {
            row.product_id: set(row.terms.split())
            for row in rows.select_for_update().filter(product_id__in=ids).order_by("product_id")
        }
        delta: Counter = Counter()
        changed = []
        for pk in ids:
            old, new = before.get(pk, set()), wanted.get(pk, set())
            delta.update({term: 1 for term in new - old})
            delta.update({term: -1 for term in old - new})
            if pk in wanted and old != new:
                changed.append(SearchTermDocument(product_id=pk, terms=" ".join(sorted(new))))
        _add_counts({term: n for term, n in delta.items() if n}, using)
        if changed:
            rows.bulk_update(changed, ["terms"])
        if dropped:
            rows.filter(product_id__in=dropped).delete()


def vocabulary_recount(*, using: str = "default") -> int:
    """Recount every word from SearchTermDocument after a rebuild, dropping products that no longer own a document.

    Returns the number of words. A product indexed for the first time while the recount runs may
    be missing from the counts until its next change or the next rebuild.
    """
    with transaction.atomic(using=using):
        owners = Product.objects.using(using).filter(parent__isnull=True).values("pk")
        SearchTermDocument.objects.using(using).exclude(product_id__in=owners).delete()
        counts: Counter = Counter()
        rows = SearchTermDocument.objects.using(using).select_for_update().order_by("product_id")
        for terms in rows.values_list("terms", flat=True).iterator(chunk_size=2000):
            counts.update(terms.split())
        SearchTerm.objects.using(using).all().delete()
        SearchTerm.objects.using(using).bulk_create(
            [_term(term, n) for term, n in sorted(counts.items())], batch_size=UPSERT_CHUNK
        )
    return len(counts)


def _term(term: str, documents: int) -> SearchTerm:
    return SearchTerm(term=term, initial=term[0], length=len(term), documents=documents)


def _add_counts(delta: dict[str, int], using: str) -> None:
    """documents += delta per term, inserting new terms, in term order (one lock order for every writer)."""
    if not delta:
        return
    connection = connections[using]
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    items = sorted(delta.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), UPSERT_CHUNK):
            chunk = items[start : start + UPSERT_CHUNK]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            params = [value for term, n in chunk for value in (term, term[0], len(term), n)]
            cursor.execute(
                f"INSERT INTO {table} (term, initial, length, documents) VALUES {values} "
                f"ON CONFLICT (term) DO UPDATE SET documents = {table}.documents + excluded.documents",
                params,
            )

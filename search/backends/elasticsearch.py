"""Elasticsearch 8 backend, through elasticsearch-dsl. Selected by MARKETPLACE_SEARCH_BACKEND=elasticsearch.

Reads and incremental writes go through an alias. `rebuild()` loads a new timestamped index in
batches of product ids and then moves the alias in one atomic `update_aliases` call, so searches
never see an empty or half-built index; the old index is deleted afterwards.
"""

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers
from oscar.core.loading import get_model

from search.backends.base import (
    FACET_CATEGORY,
    FACET_HALAL,
    FACET_IN_STOCK,
    FACET_KABUPATEN,
    FACET_PRICE,
    FACET_SECTOR,
    FACET_SELLER,
    FACET_STARS,
    FACETS,
    PRICE_BUCKETS,
    STAR_LEVELS,
    SearchQuery,
    SearchResult,
    price_bucket_label,
    stars_label,
)
from search.documents import build_documents
from search.es.analysis import synonyms_set_name
from search.es.client import get_client
from search.es.mapping import index_alias, product_index
from search.es.queries import autocomplete_search, product_search
from search.models import SearchSynonym
from search.regional_spellings import REGIONAL_SPELLINGS
from search.vocabulary import check_spelling, forgive_typos, query_terms, vocabulary_recount, vocabulary_update
from sellers.models import Sector

logger = logging.getLogger(__name__)

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

# Bulk loads may take longer per chunk than a request that serves a page (search.es.client).
BULK_TIMEOUT = 60
BULK_CHUNK_SIZE = 500
# While a rebuild loads a new index, incremental updates are written there too (see _write_indices).
REBUILDING_CACHE_KEY = "search:es:rebuilding:{alias}"
REBUILDING_CACHE_TIMEOUT = 6 * 3600


# Statuses of a busy or restarting cluster: worth retrying later, like a refused connection.
RETRYABLE_STATUSES = (429, 502, 503, 504)


@contextlib.contextmanager
def outage_as_builtin_errors():
    """Re-raise "Elasticsearch is unreachable or busy" as the builtin ConnectionError/TimeoutError.

    Callers such as the indexing tasks retry on those builtins and need not know this client.
    """
    try:
        yield
    except ConnectionTimeout as error:
        raise TimeoutError(str(error)) from error
    except TransportConnectionError as error:
        raise ConnectionError(str(error)) from error
    except ApiError as error:
        if error.meta.status in RETRYABLE_STATUSES:
            raise ConnectionError(str(error)) from error
        raise


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, url: str | None = None, *, client: Elasticsearch | None = None, alias: str | None = None):
        self.url = url or settings.ELASTICSEARCH_URL
        if client is None and not self.url:
            raise ValueError("ElasticsearchBackend needs ELASTICSEARCH_URL or a client")
        self.client = client if client is not None else get_client(self.url)
        self.alias = alias or index_alias()

    # --- reads -------------------------------------------------------------------------------

    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except TransportError:
            return False

    def search(self, query: SearchQuery) -> SearchResult:
        """The page, typo-tolerant through fuzziness; the suggestion comes from the shared vocabulary.

        The vocabulary (search.vocabulary) rather than a term suggester: it gives both backends the
        same suggestions, and it counts only searchable products' words.
        """
        spelling = check_spelling(query.text) if query_terms(query.text) else None
        return forgive_typos(query, self._search(query), spelling, self._search)

    def _search(self, query: SearchQuery) -> SearchResult:
        response = product_search(query, index=self.alias).using(self.client).execute()
        return SearchResult(
            product_ids=[int(hit.meta.id) for hit in response.hits],
            total=response.hits.total.value,
            facets=self._facets(response.aggregations),
        )

    def autocomplete(self, text: str, limit: int = 8) -> dict[str, list[dict]]:
        text = text.strip()
        if not text:
            return {"products": [], "pesantren": [], "categories": []}
        products, pesantren, categories = (
            autocomplete_search(text, index=self.alias, limit=limit).using(self.client).execute()
        )
        return {
            "products": [
                {"id": int(hit.meta.id), "title": hit.title, "seller_name": hit.seller.name, "url": hit.url}
                for hit in products.hits
            ],
            "pesantren": [_pesantren_suggestion(bucket) for bucket in pesantren.aggregations["values"].buckets],
            "categories": self._matching_categories(
                text, [bucket.key for bucket in categories.aggregations["values"].buckets], limit
            ),
        }

    def _matching_categories(self, text: str, category_ids: list[int], limit: int) -> list[dict]:
        """The categories among the buckets whose own name matches (buckets also hold their ancestors)."""
        words = text.lower().split()
        by_pk = {category.pk: category for category in Category.objects.filter(pk__in=category_ids, is_public=True)}
        matches = []
        for pk in category_ids:  # bucket order: categories with the most products first
            category = by_pk.get(pk)
            if category is None:
                continue
            name_words = category.name.lower().split()
            if all(any(word_.startswith(word) for word_ in name_words) for word in words):
                matches.append({"id": category.pk, "name": category.name, "url": category.get_absolute_url()})
        return matches[:limit]

    def _facets(self, aggregations) -> dict[str, list[tuple[str, str, int]]]:
        facets: dict[str, list[tuple[str, str, int]]] = {}
        for facet in FACETS:
            values = aggregations[facet]["values"]
            if facet == FACET_PRICE:
                facets[facet] = [
                    (key, price_bucket_label(key), values.buckets[key].doc_count)
                    for key, _low, _high in PRICE_BUCKETS
                    if values.buckets[key].doc_count
                ]
            elif facet in (FACET_SELLER, FACET_KABUPATEN):
                facets[facet] = [
                    (b.key, b.label.buckets[0].key if b.label.buckets else b.key, b.doc_count) for b in values.buckets
                ]
            elif facet == FACET_SECTOR:
                labels = dict(Sector.choices)
                facets[facet] = [(b.key, str(labels.get(b.key, b.key)), b.doc_count) for b in values.buckets]
            elif facet == FACET_STARS:
                # A `filters` aggregation answers its buckets keyed by level.
                buckets = values.to_dict().get("buckets") or {}
                counts = (
                    {key: bucket.get("doc_count", 0) for key, bucket in dict(buckets).items()}
                    if isinstance(buckets, dict)
                    else {}
                )
                facets[facet] = [
                    (str(level), stars_label(str(level)), counts[str(level)])
                    for level in STAR_LEVELS
                    if counts.get(str(level))
                ]
            elif facet in (FACET_HALAL, FACET_IN_STOCK):
                # Like the database backend: one "true" value, offered only when some product has it.
                count = sum(b.doc_count for b in values.buckets if b.key in (1, True, "true"))
                facets[facet] = [("true", BOOLEAN_FACET_LABELS[facet](), count)] if count else []
            elif facet == FACET_CATEGORY:
                buckets = list(values.buckets)
                names = dict(Category.objects.filter(pk__in=[b.key for b in buckets]).values_list("pk", "name"))
                facets[facet] = [(str(b.key), names.get(b.key, str(b.key)), b.doc_count) for b in buckets]
        return facets

    # --- writes ------------------------------------------------------------------------------

    def index_products(self, product_ids: Iterable[int]) -> int:
        requested = {int(pk) for pk in product_ids}
        if not requested:
            return 0
        documents = build_documents(requested)
        searchable = [document for document in documents if document["searchable"]]
        # Gone products, unsearchable ones (hidden, or of a suspended pesantren) and variants (whose
        # parent carries the document) must have no document; deleting a missing one is a no-op.
        unwanted = (requested | {document["id"] for document in documents}) - {d["id"] for d in searchable}
        with outage_as_builtin_errors():
            self._bulk_write(searchable, unwanted)
        # After the write (a network call), in a transaction of its own.
        vocabulary_update(documents, requested - {document["id"] for document in documents})
        return len(searchable)

    def _bulk_write(self, searchable: list[dict], unwanted: set[int]) -> None:
        for index in self._write_indices():
            # Never let a write to a missing alias auto-create a concrete index with a guessed
            # mapping; before the first rebuild there is nothing to update.
            extra = {"require_alias": True} if index == self.alias else {}
            helpers.bulk(
                self._bulk_client(),
                [*_index_actions(searchable, index), *_delete_actions(unwanted, index)],
                chunk_size=BULK_CHUNK_SIZE,
                ignore_status=(404,),
                **extra,
            )

    def rebuild(self, *, batch_size: int = 1000, progress: Callable[[int], None] | None = None) -> int:
        """Load every searchable product into a new index, then point the alias at it.

        Memory stays flat as the catalogue grows: ids are read by keyset pagination, and only one
        batch of documents exists at a time.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be 1 or more")
        new_index = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        # The index's search analyzer refers to the set, which must exist before the index.
        self.sync_synonyms()
        body = product_index(new_index).to_dict()
        replicas = body["settings"].get("number_of_replicas", 1)
        # No refreshes and no replicas while loading; both come back before the swap.
        body["settings"].update(refresh_interval="-1", number_of_replicas=0)
        self.client.indices.create(index=new_index, settings=body["settings"], mappings=body["mappings"])
        cache.set(self._rebuilding_key, new_index, REBUILDING_CACHE_TIMEOUT)
        indexed = 0
        try:
            for ids in _product_id_batches(batch_size):
                built = build_documents(ids)
                documents = [document for document in built if document["searchable"]]
                helpers.bulk(self._bulk_client(), _index_actions(documents, new_index), chunk_size=BULK_CHUNK_SIZE)
                vocabulary_update(built, set(ids) - {document["id"] for document in built})
                indexed += len(documents)
                if progress is not None:
                    progress(len(ids))
            self.client.indices.put_settings(
                index=new_index, settings={"index": {"refresh_interval": None, "number_of_replicas": replicas}}
            )
            self.client.indices.refresh(index=new_index)
            old_indices = self._swap_alias(new_index)
        except BaseException:
            # The alias swap is atomic: if it failed, searches still use the old index.
            self.client.indices.delete(index=new_index, ignore_unavailable=True)
            raise
        finally:
            cache.delete(self._rebuilding_key)
        vocabulary_recount()
        # Outside the try: once the alias has moved, the new index is live and must stay.
        if old_indices:
            self.client.indices.delete(index=",".join(old_indices), ignore_unavailable=True)
        logger.info("Search alias %s now points at %s (removed %s)", self.alias, new_index, old_indices)
        return indexed

    def _swap_alias(self, new_index: str) -> list[str]:
        """Point the alias at new_index in one atomic call; return the indices it pointed at before."""
        try:
            old_indices = sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            old_indices = []
        actions = [{"remove": {"index": old, "alias": self.alias}} for old in old_indices]
        actions.append({"add": {"index": new_index, "alias": self.alias, "is_write_index": True}})
        if self.client.indices.exists(index=self.alias) and not old_indices:
            # A concrete index squats on the alias name (created before aliases were used):
            # drop it in the same atomic call.
            actions.insert(0, {"remove_index": {"index": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        return old_indices

    def sync_synonyms(self) -> None:
        """Copy the SearchSynonym groups, then the regional spellings (search.regional_spellings), into the set.

        Elasticsearch reloads every search analyzer that uses the set, so an edited group applies
        to the next query with no reindex. Call it whenever a group changes.
        """
        rules = [", ".join(group.term_list) for group in SearchSynonym.objects.order_by("pk")]
        rules += [", ".join(group) for group in REGIONAL_SPELLINGS]
        with outage_as_builtin_errors():
            self._put_synonyms(rules)

    def _put_synonyms(self, rules: list[str]) -> None:
        self.client.synonyms.put_synonym(
            id=synonyms_set_name(),
            synonyms_set=[{"id": f"group-{n}", "synonyms": rule} for n, rule in enumerate(rules, start=1) if rule],
        )

    def refresh(self) -> None:
        """Make every write so far visible to searches (tests; production relies on the refresh interval)."""
        self.client.indices.refresh(index=self.alias)

    @property
    def _rebuilding_key(self) -> str:
        return REBUILDING_CACHE_KEY.format(alias=self.alias)

    def _write_indices(self) -> list[str]:
        building = cache.get(self._rebuilding_key)
        return [self.alias, building] if building else [self.alias]

    def _bulk_client(self) -> Elasticsearch:
        return self.client.options(request_timeout=BULK_TIMEOUT)


def _product_id_batches(batch_size: int) -> Iterator[list[int]]:
    """Ids of products that own documents (not variants), batch by batch, by keyset pagination."""
    last_pk = 0
    while True:
        ids = list(
            Product.objects.filter(parent__isnull=True, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return
        yield ids
        last_pk = ids[-1]


def es_document(document: dict) -> dict:
    """The Elasticsearch source of a search document (search/documents.py)."""
    return {
        "id": document["id"],
        "title": document["title"],
        "description": document["description"],
        "url": reverse("catalogue:detail", kwargs={"product_slug": document["slug"], "pk": document["id"]}),
        "category_ids": document["category_ids"],
        "category_names": document["category_names"],
        "category_path": document["category_paths"],
        "seller": {
            "slug": document["seller_slug"],
            "name": document["seller_name"],
            "url": reverse("sellers:storefront", kwargs={"slug": document["seller_slug"]}),
        },
        "province_code": document["province_code"],
        "kabupaten_code": document["kabupaten_code"],
        "kabupaten_name": document["kabupaten_name"],
        "kecamatan_code": document["kecamatan_code"],
        "sector": document["sector"],
        "price": float(document["price"]) if document["price"] is not None else None,
        "in_stock": document["in_stock"],
        "halal": document["halal"],
        "pirt": document["pirt"],
        "bpom": document["bpom"],
        "rating": document["rating"],
        "units_sold": document["units_sold"],
        "curation_stars": document.get("curation_stars", 0),
        "curation_stars_until": _iso(document.get("curation_stars_until")),
        "date_added": document["date_added"].isoformat(),
    }


def _iso(day) -> str | None:
    return day.isoformat() if day is not None else None


def _index_actions(documents: Iterable[dict], index: str) -> Iterator[dict]:
    for document in documents:
        yield {"_op_type": "index", "_index": index, "_id": document["id"], "_source": es_document(document)}


def _delete_actions(product_ids: Iterable[int], index: str) -> Iterator[dict]:
    for pk in sorted(product_ids):
        yield {"_op_type": "delete", "_index": index, "_id": pk}


def _pesantren_suggestion(bucket) -> dict:
    source = bucket.label.hits.hits[0]["_source"].to_dict()
    return {
        "slug": bucket.key,
        "name": source["seller"]["name"],
        "kabupaten": source.get("kabupaten_name", ""),
        "url": source["seller"].get("url") or reverse("sellers:storefront", kwargs={"slug": bucket.key}),
    }


def _label_halal() -> str:
    return gettext("Halal certified")


def _label_in_stock() -> str:
    return gettext("In stock")


BOOLEAN_FACET_LABELS = {FACET_HALAL: _label_halal, FACET_IN_STOCK: _label_in_stock}

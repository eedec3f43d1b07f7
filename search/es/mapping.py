"""The product index: its mapping, its settings, and how a search document becomes an ES document."""

from django.conf import settings
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Float,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    Object,
    ScaledFloat,
    SearchAsYouType,
    Text,
)

from search.es.analysis import autocomplete_analyzer, indonesian_search_analyzer, plain_analyzer, plain_search_analyzer

DEFAULT_INDEX_ALIAS = "pasar-pesantren-products"


def index_alias() -> str:
    """The name every read and write goes through; a rebuild points it at a fresh index."""
    return getattr(settings, "MARKETPLACE_SEARCH_INDEX", DEFAULT_INDEX_ALIAS)


def _indonesian_text(**kwargs) -> Text:
    return Text(analyzer="indonesian", search_analyzer=indonesian_search_analyzer(), **kwargs)


def _plain_text() -> Text:
    return Text(analyzer=plain_analyzer, search_analyzer=plain_search_analyzer())


class SellerInner(InnerDoc):
    slug = Keyword()
    name = _indonesian_text(
        copy_to="all_text",
        fields={"raw": Keyword(), "suggest": SearchAsYouType(analyzer=autocomplete_analyzer)},
    )
    url = Keyword(index=False)


class ProductDocument(Document):
    """One searchable product. Products that are not searchable have no document at all."""

    id = Integer()
    title = _indonesian_text(
        copy_to="all_text",
        fields={
            "raw": Keyword(ignore_above=256),
            "plain": _plain_text(),
            "suggest": SearchAsYouType(analyzer=autocomplete_analyzer),
        },
    )
    description = _indonesian_text(copy_to="all_text", fields={"raw": Keyword(ignore_above=256)})
    # Everything a shopper might type, in one field, so that "kerudung al-hikmah" can match a
    # title word and a pesantren word under operator AND.
    all_text = _indonesian_text(fields={"plain": _plain_text()})
    url = Keyword(index=False)
    image_url = Keyword(index=False)

    # Category ids of the product's categories and all their ancestors: filtering on a parent
    # category finds products filed under its children.
    category_ids = Integer(multi=True)
    category_names = _indonesian_text(
        multi=True,
        copy_to="all_text",
        fields={"raw": Keyword(), "suggest": SearchAsYouType(analyzer=autocomplete_analyzer)},
    )
    category_path = Keyword(multi=True)

    seller = Object(SellerInner)
    province_code = Keyword()
    kabupaten_code = Keyword()
    kabupaten_name = Keyword()
    kecamatan_code = Keyword()
    sector = Keyword()

    price = ScaledFloat(scaling_factor=100)
    in_stock = Boolean()
    halal = Boolean()
    pirt = Boolean()
    bpom = Boolean()
    rating = Float()
    units_sold = Integer()
    # Curation stars and their last valid day (written by curation's service onto the product); queries
    # compare the day with "now/d", so expired stars stop counting without a re-index.
    curation_stars = Integer()
    curation_stars_until = Date()
    date_added = Date()


def product_index(name: str | None = None) -> Index:
    """The index definition under `name` (a concrete, timestamped index during a rebuild)."""
    index = Index(name or index_alias())
    index.settings(
        number_of_shards=getattr(settings, "MARKETPLACE_SEARCH_SHARDS", 1),
        number_of_replicas=getattr(settings, "MARKETPLACE_SEARCH_REPLICAS", 1),
    )
    index.document(ProductDocument)
    return index

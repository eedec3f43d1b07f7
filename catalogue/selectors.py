"""Product reads shared by the listings and the product page."""

from django.db.models import Prefetch, QuerySet
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def card_stockrecords(*, wholesale: bool = True) -> Prefetch:
    """A product's stock records with what a card or product page reads of them, in one query.

    The pesantren (its name, kabupaten and whether it sells, which the pricing strategies read from
    the record's partner), and unless `wholesale` is False the wholesale terms (the MOQ a verified
    company's strategy applies).
    """
    related = ["partner__seller__kabupaten", *(["wholesale_terms"] if wholesale else [])]
    return Prefetch("stockrecords", queryset=StockRecord.objects.select_related(*related))


def products_with_card_relations(*, options: bool = True, wholesale: bool = True) -> QuerySet:
    """Products with what a product card or page reads prefetched: options, images, stock records.

    Oscar's base_queryset (which annotates has_options, read by the cards) with its plain stock record
    prefetch replaced by card_stockrecords(). The product page leaves out the options: its basket form
    reads them through `product.options`, a union that queries whatever was prefetched.
    """
    lookups = ["product_options", "product_class__options"] if options else []
    return (
        Product.objects.base_queryset()
        .select_related("product_class")
        .prefetch_related(None)
        .prefetch_related(*lookups, "images", card_stockrecords(wholesale=wholesale), "children__stockrecords")
    )

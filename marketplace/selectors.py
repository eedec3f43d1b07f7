"""Read-side queries for the project's own pages, which draw on several apps."""

from django.db.models import Count, Q, QuerySet
from oscar.core.loading import get_model

from search.selectors import browsable_products, search_products
from sellers.models import Seller, SellerStatus
from sellers.selectors import live_sellers

Category = get_model("catalogue", "Category")


def home_page_context() -> dict:
    """The home page's catalogue parts as unevaluated querysets: the template's `{% catalogue_cache %}`
    block reads them only when it is not cached."""
    featured_sellers = live_sellers().order_by("-verified_at", "name")[:8]
    categories = Category.objects.filter(depth=1, is_public=True).order_by("path")[:12]
    newest_products = browsable_products()[:12]
    counts = Seller.objects.aggregate(
        verified=Count("pk", filter=Q(status=SellerStatus.VERIFIED)),
        kabupaten=Count("kabupaten", filter=Q(status=SellerStatus.VERIFIED), distinct=True),
    )
    return {
        "featured_sellers": featured_sellers,
        "categories": categories,
        "newest_products": newest_products,
        "seller_count": counts["verified"],
        "kabupaten_count": counts["kabupaten"],
    }


def storefront_products(*, seller: Seller, query: str = "") -> QuerySet:
    return search_products(query=query, seller=seller)

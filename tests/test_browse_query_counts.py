"""Browse pages answer in at most 12 SQL queries, however big the catalogue (issue 12, item 5).

Every browse page (home, pesantren directory, a storefront, /catalogue/, a category, a product page
and a search) is rendered for an anonymous visitor and for a signed-in member of a verified company
(who sees wholesale prices and minimum order quantities), on a small and on a larger catalogue: more
pesantren, more products with images, stock records, price tiers, wholesale terms and published
reviews. The count must stay within 12 and must not change with the size.

Each page is rendered once before counting: sorl-thumbnail reads (and on a miss writes) a key-value
row per image until the thumbnail is cached, and the first request of a session creates it. Both are
once per image or visitor, not per request.
"""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model
from PIL import Image

from companies.models import MembershipRole
from ratings.models import LineReview, ReviewStatus
from search.backends import get_backend
from tests.factories import (
    make_company,
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)
from wholesale.models import PriceTier, WholesaleTerms

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")
ProductImage = get_model("catalogue", "ProductImage")

# Every page, whatever the catalogue, for an anonymous visitor; and for a signed-in one too once the
# catalogue's fragments are cached, as deployed (the test settings turn that cache off).
MAX_QUERIES = 12
# What a signed-in visitor adds to a page rendered from scratch: the session, the user, their company
# (pricing strategy and the header's link, one query), unread notifications, their permissions (the
# header's dashboard link, one query), the basket and its lines.
SIGNED_IN_OVERHEAD = 7
# And on the product page: the wish lists holding the product. Oscar's view analytics are counted in
# Redis and written by a task (catalogue/view_counts.py), not by the request.
PRODUCT_PAGE_SIGNED_IN_EXTRAS = 1
SMALL, LARGE = 5, 40


def png_upload(name="produk.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (15, 118, 110)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def build_catalogue() -> dict:
    """The skeleton: regions, a category tree, no pesantren yet."""
    food = Category.add_root(name="Makanan")
    return {
        "regions": make_region_tree(),
        "category": food.add_child(name="Camilan"),
        "other_category": Category.add_root(name="Minuman"),
        "sellers": [],
        "products": [],
    }


def grow(world: dict, *, products: int, pesantren: int, reviews: int) -> dict:
    """Up to `products` products over `pesantren` pesantren, with what a real catalogue has."""
    while len(world["sellers"]) < pesantren:
        world["sellers"].append(make_seller(regions=world["regions"]))
    sellers = world["sellers"]
    for n in range(len(world["products"]), products):
        seller = sellers[n % len(sellers)]
        product = make_seller_product(
            seller, title=f"Keripik Pisang {n}", price=str(20000 + 500 * n), stock=0 if n % 7 == 3 else 50
        )
        product.categories.add([world["category"], world["other_category"]][n % 2])
        ProductImage.objects.create(product=product, original=png_upload(), display_order=0)
        if n % 3 == 0:
            ProductImage.objects.create(product=product, original=png_upload(), display_order=1)
        record = product.stockrecords.get()
        if n % 2 == 0:
            PriceTier.objects.create(stockrecord=record, min_quantity=10, unit_price=int(record.price) - 1000)
            PriceTier.objects.create(stockrecord=record, min_quantity=50, unit_price=int(record.price) - 2000)
        if n % 4 == 0:
            WholesaleTerms.objects.create(stockrecord=record, moq=5)
        world["products"].append(product)

    # Published reviews of the first product (and so of its pesantren, the first storefront).
    reviewed = world["products"][0]
    for number in range(LineReview.objects.filter(product=reviewed).count(), reviews):
        buyer = make_user()
        address = make_shipping_address(regions=world["regions"])
        line = place_order(items=[(reviewed, 1)], shipping_address=address, user=buyer).lines.get()
        LineReview.objects.create(
            line=line,
            product=reviewed,
            seller=sellers[0],
            author=buyer,
            product_rating=4 + number % 2,
            seller_rating=5,
            title="Renyah",
            body="Enak dan renyah.",
            status=ReviewStatus.PUBLISHED,
        )
    get_backend().rebuild()
    world["product"] = reviewed
    return world


def browse_urls(world: dict) -> dict[str, str]:
    return {
        "home": "/",
        "directory": reverse("sellers:directory"),
        "storefront": world["sellers"][0].get_absolute_url(),
        "catalogue": "/catalogue/",
        "category": world["category"].get_absolute_url(),
        "product": world["product"].get_absolute_url(),
        "search": "/search/?q=keripik",
    }


def wholesale_buyer():
    buyer = make_user()
    make_company(members=[(buyer, MembershipRole.BUYER)])
    return buyer


def query_counts(client, urls: dict[str, str]) -> dict[str, int]:
    counts = {}
    for page, url in urls.items():
        client.get(url)  # warm the thumbnail store and the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (page, response.status_code)
        counts[page] = len(queries)
    return counts


def sign_in(client, visitor: str) -> None:
    if visitor == "consumer":
        client.force_login(make_user())
    if visitor == "wholesale":
        client.force_login(wholesale_buyer())


@pytest.mark.parametrize("visitor", ["anonymous", "consumer", "wholesale"])
def test_browse_pages_stay_within_12_queries_whatever_the_catalogue_size(client, visitor):
    # given a small catalogue
    world = grow(build_catalogue(), products=SMALL, pesantren=2, reviews=1)
    sign_in(client, visitor)
    small = query_counts(client, browse_urls(world))

    # when the catalogue grows to eight times the products, three times the pesantren, more reviews
    grow(world, products=LARGE, pesantren=6, reviews=6)
    large = query_counts(client, browse_urls(world))

    # then no page needs more than 12 queries of its own, and none needs more on the larger catalogue
    for page, count in large.items():
        allowed = MAX_QUERIES
        if visitor != "anonymous":
            allowed += SIGNED_IN_OVERHEAD + (PRODUCT_PAGE_SIGNED_IN_EXTRAS if page == "product" else 0)
        assert count <= allowed, (page, large)
    assert large == small


@pytest.mark.parametrize("visitor", ["consumer", "wholesale"])
def test_signed_in_visitors_pages_stay_within_12_queries_with_the_catalogue_fragments_cached(client, settings, visitor):
    settings.MARKETPLACE_FRAGMENT_CACHE_SECONDS = 30
    world = grow(build_catalogue(), products=SMALL, pesantren=2, reviews=1)
    sign_in(client, visitor)

    counts = query_counts(client, browse_urls(world))

    assert max(counts.values()) <= MAX_QUERIES, counts


def test_the_wholesale_buyer_sees_tier_prices_and_the_pages_show_the_catalogue(client):
    """What the counts above are counted on: full pages, with the wholesale offer for the company member."""
    world = grow(build_catalogue(), products=SMALL, pesantren=2, reviews=1)
    client.force_login(wholesale_buyer())

    product_page = client.get(world["product"].get_absolute_url()).content.decode()
    listing = client.get("/catalogue/").content.decode()
    storefront = client.get(world["sellers"][0].get_absolute_url()).content.decode()

    assert 'id="wholesale_prices"' in product_page
    record = world["product"].stockrecords.get()
    assert f'value="{WholesaleTerms.objects.get(stockrecord=record).moq}"' in listing
    assert listing.count("pp-product-card") == SMALL
    assert storefront.count("pp-product-card") == len(range(0, SMALL, len(world["sellers"])))
    assert record.price > Decimal(0)

"""Consumer pages: what they show, and that their query count does not grow with the data.

Query counts are compared between a small and a larger data set rendered by the same page. The
first render of each page runs once before counting: Oscar's product cards use sorl-thumbnail,
whose key-value store reads (and on a miss writes) a database row per image until the thumbnail
is in the cache. That cost is per image once, not per request, so it is kept out of the counts.
"""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model
from PIL import Image

from sellers.models import Sector, SellerStatus
from tests.factories import make_region_tree, make_seller, make_seller_product

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")
ProductImage = get_model("catalogue", "ProductImage")


@pytest.fixture
def client(client):
    # English pages, so the assertions read the msgids.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def regions():
    return make_region_tree()


def png_upload(name="image.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (15, 118, 110)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def add_sellers_with_products(count: int, *, regions: dict, products_each: int = 1) -> list:
    category = Category.objects.filter(depth=1).first() or Category.add_root(name="Makanan")
    sellers = []
    for _ in range(count):
        seller = make_seller(regions=regions)
        for _ in range(products_each):
            product = make_seller_product(seller)
            product.categories.add(category)
            ProductImage.objects.create(product=product, original=png_upload(), display_order=0)
        sellers.append(seller)
    return sellers


def count_queries(client, url: str) -> int:
    client.get(url)  # warm caches (thumbnail key-value store, category URLs)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_home_page_query_count_does_not_grow_with_sellers_and_products(client, regions):
    # given
    add_sellers_with_products(2, regions=regions)
    small = count_queries(client, "/")
    # when
    add_sellers_with_products(10, regions=regions, products_each=2)
    large = count_queries(client, "/")
    # then
    assert large == small


def test_directory_query_count_does_not_grow_with_sellers(client, regions):
    add_sellers_with_products(5, regions=regions)
    small = count_queries(client, reverse("sellers:directory"))

    add_sellers_with_products(15, regions=regions)
    large = count_queries(client, reverse("sellers:directory"))

    assert large == small


def test_storefront_query_count_does_not_grow_with_products(client, regions):
    seller = add_sellers_with_products(1, regions=regions, products_each=5)[0]
    small = count_queries(client, seller.get_absolute_url())

    for _ in range(15):
        make_seller_product(seller)
    large = count_queries(client, seller.get_absolute_url())

    assert large == small


@pytest.mark.parametrize("url", ["/catalogue/", "/search/?q=Produk"])
def test_listing_query_count_does_not_grow_with_products(client, regions, url):
    # Six products: a search finding fewer (search.vocabulary.FEW_RESULTS) also checks its rare words.
    add_sellers_with_products(2, regions=regions, products_each=3)
    small = count_queries(client, url)

    add_sellers_with_products(4, regions=regions, products_each=4)
    large = count_queries(client, url)

    assert large == small


def test_home_page_shows_programme_counts_sellers_and_newest_products(client):
    # given
    bandung = make_region_tree("32.04", "Kabupaten Bandung")
    garut = make_region_tree("32.05", "Kabupaten Garut")
    seller = make_seller(name="Pondok Pesantren Al-Ikhlas", regions=bandung, sector=Sector.CRAFTS)
    make_seller(regions=garut)
    make_seller(name="Pesantren Belum Terverifikasi", status=SellerStatus.APPLIED, regions=garut)
    make_seller_product(seller, title="Peci Rajut Santri", price="150000")

    # when
    response = client.get("/")

    # then
    page = response.content.decode()
    assert response.context["seller_count"] == 2
    assert response.context["kabupaten_count"] == 2
    assert re.search(r'pp-stat-number">2</span>\s*<span class="pp-stat-label">verified pesantren', page)
    assert "Pondok Pesantren Al-Ikhlas" in page
    assert "Pesantren Belum Terverifikasi" not in page
    assert "Peci Rajut Santri" in page
    assert "Rp 150.000" in page
    assert seller.get_absolute_url() in page
    assert reverse("sellers:apply") in page


def test_product_card_shows_pesantren_kabupaten_price_and_sold_out_badge(client, regions):
    seller = make_seller(name="Pesantren Darussalam", regions=regions)
    make_seller_product(seller, title="Dodol Garut Asli", price="35000", stock=0)

    response = client.get("/catalogue/")

    card = _card(response.content.decode(), "Dodol Garut Asli")
    assert "Pesantren Darussalam" in card
    assert "Kabupaten Bandung" in card
    assert "Rp 35.000" in card
    assert "Out of stock" in card
    assert 'action="/basket/add/' not in card


def test_product_card_has_add_to_basket_form_when_in_stock(client, regions):
    seller = make_seller(regions=regions)
    product = make_seller_product(seller, title="Madu Hutan", price="85000", stock=3)

    response = client.get("/catalogue/")

    card = _card(response.content.decode(), "Madu Hutan")
    assert f'action="{reverse("basket:add", kwargs={"pk": product.pk})}"' in card
    assert "Out of stock" not in card


def test_directory_pagination_keeps_filters(client, regions):
    # given: more matching pesantren than fit on one page (24)
    for _ in range(25):
        make_seller(regions=regions, sector=Sector.FISHERIES)
    make_seller(regions=regions, sector=Sector.FOOD, name="Pesantren Makanan")

    # when
    response = client.get(reverse("sellers:directory"), {"sector": "fisheries", "kabupaten": "32.04"})

    # then
    page = response.content.decode()
    assert "25 pesantren found." in page
    assert "Pesantren Makanan" not in page
    next_link = re.search(r'rel="next" href="\?([^"]+)"', page).group(1).replace("&amp;", "&")
    assert sorted(next_link.split("&")) == ["kabupaten=32.04", "page=2", "sector=fisheries"]


def test_storefront_shows_story_location_whatsapp_and_own_products(client, regions):
    seller = make_seller(
        name="Pesantren Sukahideng", regions=regions, story="Berdiri sejak 1922.", tagline="Santri berdaya"
    )
    other = make_seller(regions=regions)
    make_seller_product(seller, title="Kopi Arabika")
    make_seller_product(other, title="Sabun Sereh")

    response = client.get(seller.get_absolute_url())

    page = response.content.decode()
    assert "Berdiri sejak 1922." in page
    assert "Santri berdaya" in page
    assert f"Kec. {seller.kecamatan.name}, Kabupaten Bandung" in page
    assert 'href="https://wa.me/6281234567890"' in page
    assert "Kopi Arabika" in page
    assert "Sabun Sereh" not in page


def test_storefront_search_filters_within_the_pesantren(client, regions):
    seller = make_seller(regions=regions)
    make_seller_product(seller, title="Kopi Arabika")
    make_seller_product(seller, title="Teh Rosella")

    response = client.get(seller.get_absolute_url(), {"q": "kopi"})

    page = response.content.decode()
    assert "Kopi Arabika" in page
    assert "Teh Rosella" not in page
    assert 'value="kopi"' in page


def test_product_page_shows_maker_licences_weight_and_unit(client, regions):
    # given
    seller = make_seller(name="Pesantren Cipasung", regions=regions)
    product = make_seller_product(
        seller,
        title="Keripik Singkong",
        weight_grams=250,
        unit="pak",
        halal_number="ID32110000123450124",
        halal_expiry=datetime.date.today() + datetime.timedelta(days=400),
        pirt_number="2063204010123456",
        pirt_expiry=datetime.date.today() - datetime.timedelta(days=1),
    )

    # when
    response = client.get(product.get_absolute_url())

    # then
    page = response.content.decode()
    assert response.context["seller"] == seller
    assert re.search(rf'Made by <a href="{seller.get_absolute_url()}">Pesantren Cipasung</a>', page)
    assert "ID32110000123450124" in page
    assert "valid until" in page
    assert re.search(r'pp-licence-expired">\s*<strong>P-IRT</strong>', page)
    assert "250 g" in page
    assert "pack" in page  # the unit label, in English like the rest of the page


def test_search_results_list_matching_products(client, regions):
    seller = make_seller(regions=regions)
    make_seller_product(seller, title="Kopi Arabika", price="48500")
    make_seller_product(seller, title="Teh Rosella")

    response = client.get(reverse("search:search"), {"q": "kopi"})

    page = response.content.decode()
    assert "Kopi Arabika" in page
    assert "Rp 48.500" in page
    assert "Teh Rosella" not in page


def test_category_page_lists_its_products(client, regions):
    seller = make_seller(regions=regions)
    drinks = Category.add_root(name="Minuman")
    tea = make_seller_product(seller, title="Teh Rosella")
    tea.categories.add(drinks)
    make_seller_product(seller, title="Kopi Arabika")

    response = client.get(drinks.get_absolute_url())

    page = response.content.decode()
    assert "Teh Rosella" in page
    assert "Kopi Arabika" not in page


def test_layout_has_navigation_search_and_language_switcher(client):
    response = client.get("/")

    page = response.content.decode()
    for url in ("/catalogue/", reverse("sellers:directory"), reverse("sellers:apply"), reverse("basket:summary")):
        assert f'href="{url}"' in page
    assert f'action="{reverse("search:search")}"' in page
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language" value="id"' in page
    assert 'name="language" value="en"' in page


def test_language_switcher_changes_the_page_language(client):
    response = client.post(reverse("set_language"), {"language": "id", "next": "/"}, follow=True)

    assert response.status_code == 200
    assert response.context["LANGUAGE_CODE"] == "id"
    assert '<html lang="id"' in response.content.decode()


def test_language_switch_keeps_the_search_and_its_filters(client, regions):
    # given: a search page with a query and a filter
    path = "/search/?q=kopi+arabika&sort=newest"
    page = client.get(path).content.decode()

    # then: the switcher sends the visitor back to the same search
    assert 'name="next" type="hidden" value="/search/?q=kopi+arabika&amp;sort=newest"' in page
    response = client.post(reverse("set_language"), {"language": "id", "next": path})
    assert response.status_code == 302
    assert response["Location"] == path


def _card(page: str, title: str) -> str:
    """The HTML of the product card with this title."""
    for card in page.split('<article class="product_pod')[1:]:
        if title in card:
            return card.split("</article>")[0]
    raise AssertionError(f"no product card for {title!r}")

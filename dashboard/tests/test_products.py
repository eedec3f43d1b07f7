"""Pesantren product management in the forked catalogue dashboard."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model
from PIL import Image

from dashboard.tests.helpers import product_page_data
from tests.factories import make_region_tree, make_seller, make_seller_product

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def sellers():
    regions = make_region_tree()
    return make_seller(name="Pesantren Alfa", regions=regions), make_seller(name="Pesantren Beta", regions=regions)


@pytest.fixture
def product_class():
    return ProductClass.objects.create(name="Produk Pesantren", track_stock=True, requires_shipping=True)


def png(name="foto.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_seller_creates_a_product_with_licences_image_category_and_its_own_stock_record(client, sellers, product_class):
    # given
    alfa, beta = sellers
    category = Category.add_root(name="Makanan")
    client.force_login(alfa.owner)
    url = reverse("dashboard:catalogue-product-create", kwargs={"product_class_slug": product_class.slug})
    page = client.get(url)
    assert "partner" not in page.context["stockrecord_formset"].forms[0].fields
    data = product_page_data(
        page.context,
        title="Dodol Garut",
        weight_grams="250",
        unit="pak",
        halal_number="ID32110000123450824",
        halal_expiry="2030-01-01",
        **{
            "stockrecords-0-partner_sku": "DODOL-1",
            "stockrecords-0-price": "35000",
            "stockrecords-0-num_in_stock": "40",
            "stockrecords-0-price_currency": "IDR",
            "stockrecords-0-partner": beta.partner_id,  # a forged choice is ignored
            "productcategory_set-0-category": category.pk,
            "images-0-original": png(),
        },
    )

    # when
    response = client.post(url, data)

    # then
    assert response.status_code == 302, response.context and response.context["form"].errors
    product = Product.objects.get(title="Dodol Garut")
    record = product.stockrecords.get()
    assert (record.partner_id, record.price, record.num_in_stock, record.partner_sku) == (
        alfa.partner_id,
        Decimal("35000.00"),
        40,
        "DODOL-1",
    )
    assert (product.weight_grams, product.unit, product.halal_number) == (250, "pak", "ID32110000123450824")
    assert list(product.categories.all()) == [category]
    assert product.images.count() == 1


def test_a_product_without_price_and_stock_is_refused_and_nothing_is_saved(client, sellers, product_class):
    alfa, _beta = sellers
    client.force_login(alfa.owner)
    url = reverse("dashboard:catalogue-product-create", kwargs={"product_class_slug": product_class.slug})
    data = product_page_data(client.get(url).context, title="Tanpa Harga")

    response = client.post(url, data)

    assert response.status_code == 200
    assert not Product.objects.filter(title="Tanpa Harga").exists()


def test_seller_edits_price_and_stock_of_its_product(client, sellers):
    alfa, _beta = sellers
    product = make_seller_product(alfa, title="Kopi Alfa", price="50000", stock=5)
    # Oscar's dashboard requires a standalone product to be in a category.
    product.categories.add(Category.add_root(name="Minuman"))
    client.force_login(alfa.owner)
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    data = product_page_data(
        client.get(url).context, **{"stockrecords-0-price": "55000", "stockrecords-0-num_in_stock": "12"}
    )

    response = client.post(url, data)

    assert response.status_code == 302, [
        (k, f.errors, f.non_form_errors())
        for k in ("category_formset", "image_formset", "stockrecord_formset")
        for f in [response.context[k]]
    ]
    record = product.stockrecords.get()
    assert (record.price, record.num_in_stock, record.partner_id) == (Decimal("55000.00"), 12, alfa.partner_id)


def test_an_invalid_halal_number_is_refused(client, sellers):
    alfa, _beta = sellers
    product = make_seller_product(alfa, title="Madu Alfa")
    product.categories.add(Category.add_root(name="Madu"))
    client.force_login(alfa.owner)
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    data = product_page_data(client.get(url).context, halal_number="KH123", halal_expiry="2030-01-01")

    response = client.post(url, data)

    assert response.status_code == 200
    assert "halal_number" in response.context["form"].errors
    product.refresh_from_db()
    assert product.halal_number == ""


def test_the_edit_page_shows_licence_expiry_dates_in_the_date_pickers_iso_format(client, sellers):
    alfa, _beta = sellers
    product = make_seller_product(alfa, title="Madu Alfa")
    Product.objects.filter(pk=product.pk).update(halal_number="ID32110000123450824", halal_expiry="2030-01-31")
    client.force_login(alfa.owner)

    page = client.get(reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})).content.decode()

    # <input type="date"> shows "31-01-2030" as an empty field, and saving would then ask for the date again
    assert 'name="halal_expiry" value="2030-01-31"' in page


def test_seller_adds_a_variant_to_its_own_product_which_moves_price_and_stock_to_the_variant(client, sellers):
    # given
    alfa, _beta = sellers
    parent = make_seller_product(alfa, title="Sirup Buah", price="30000")
    client.force_login(alfa.owner)
    url = reverse("dashboard:catalogue-product-create-child", kwargs={"parent_pk": parent.pk})
    page = client.get(url)
    assert page.status_code == 200
    data = product_page_data(
        page.context,
        title="Sirup Buah Markisa",
        **{
            "stockrecords-0-partner_sku": "SIRUP-MARKISA",
            "stockrecords-0-price": "32000",
            "stockrecords-0-num_in_stock": "8",
            "stockrecords-0-price_currency": "IDR",
        },
    )

    # when
    response = client.post(url, data)

    # then
    assert response.status_code == 302, response.context and response.context["form"].errors
    parent.refresh_from_db()
    child = parent.children.get()
    assert parent.structure == Product.PARENT and not parent.stockrecords.exists()
    assert child.stockrecords.get().partner_id == alfa.partner_id
    listing = client.get(reverse("dashboard:catalogue-product-list"))
    assert "Sirup Buah" in listing.content.decode()


def test_seller_cannot_add_a_variant_to_another_pesantrens_product(client, sellers):
    alfa, beta = sellers
    theirs = make_seller_product(beta, title="Produk Beta")
    client.force_login(alfa.owner)
    url = reverse("dashboard:catalogue-product-create-child", kwargs={"parent_pk": theirs.pk})

    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Varian curian"}).status_code == 404
    assert not theirs.children.exists()


def test_seller_deletes_only_its_own_products(client, sellers):
    alfa, beta = sellers
    mine = make_seller_product(alfa, title="Produk Alfa")
    theirs = make_seller_product(beta, title="Produk Beta")
    client.force_login(alfa.owner)

    assert client.post(reverse("dashboard:catalogue-product-delete", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("dashboard:catalogue-product-delete", kwargs={"pk": mine.pk})).status_code == 302
    assert list(Product.objects.values_list("title", flat=True)) == ["Produk Beta"]


def test_categories_are_read_only_for_sellers(client, sellers):
    alfa, _beta = sellers
    client.force_login(alfa.owner)

    assert client.get(reverse("dashboard:catalogue-category-list")).status_code == 403
    assert client.post(reverse("dashboard:catalogue-category-create"), {"name": "Baru"}).status_code == 403
    assert not Category.objects.exists()


def test_product_list_and_lookup_show_only_own_products(client, sellers, django_assert_max_num_queries):
    alfa, beta = sellers
    for index in range(15):
        make_seller_product(alfa, title=f"Produk Alfa {index}")
    make_seller_product(beta, title="Rahasia Beta")
    client.force_login(alfa.owner)

    with django_assert_max_num_queries(25):
        listing = client.get(reverse("dashboard:catalogue-product-list"))
    lookup = client.get(reverse("dashboard:catalogue-product-lookup"), {"q": "a"})

    assert listing.status_code == 200
    assert "Produk Alfa 3" in listing.content.decode() and "Rahasia Beta" not in listing.content.decode()
    assert "Rahasia Beta" not in lookup.content.decode()


def test_low_stock_alerts_are_scoped_to_the_pesantren(client, sellers):
    alfa, beta = sellers
    mine = make_seller_product(alfa, title="Gula Aren Alfa", stock=2)
    theirs = make_seller_product(beta, title="Gula Aren Beta", stock=1)
    StockRecord.objects.filter(product__in=[mine, theirs]).update(low_stock_threshold=5)
    for product in (mine, theirs):
        record = product.stockrecords.get()
        record.allocate(1)  # Oscar raises a stock alert when a record goes under its threshold

    client.force_login(alfa.owner)
    alerts = client.get(reverse("dashboard:stock-alert-list"))
    overview = client.get(reverse("dashboard:index"))

    assert alerts.status_code == 200
    assert [a.stockrecord.product.title for a in alerts.context["alerts"]] == ["Gula Aren Alfa"]
    assert "Gula Aren Alfa" in overview.content.decode()
    assert "Gula Aren Beta" not in overview.content.decode() + alerts.content.decode()


def test_forged_formset_ids_of_another_pesantren_change_nothing(client, sellers):
    # given: A edits its own product but submits B's stock record and image ids in the formsets
    alfa, beta = sellers
    mine = make_seller_product(alfa, title="Produk Alfa")
    mine.categories.add(Category.add_root(name="Kue"))
    theirs = make_seller_product(beta, title="Produk Beta", price="90000", stock=7)
    their_record = theirs.stockrecords.get()
    client.force_login(alfa.owner)
    url = reverse("dashboard:catalogue-product", kwargs={"pk": mine.pk})
    data = product_page_data(
        client.get(url).context,
        **{
            "stockrecords-0-id": their_record.pk,
            "stockrecords-0-price": "1",
            "stockrecords-0-num_in_stock": "0",
            "productcategory_set-0-product": theirs.pk,
        },
    )

    # when
    response = client.post(url, data)

    # then
    assert response.status_code == 200  # the forged id is not a choice of A's formset
    their_record.refresh_from_db()
    assert (their_record.price, their_record.num_in_stock, their_record.product_id) == (
        Decimal("90000.00"),
        7,
        theirs.pk,
    )
    assert "Produk Beta" not in response.content.decode()


def test_stock_alert_and_import_pages_stay_within_a_query_budget(client, sellers, django_assert_max_num_queries):
    alfa, _beta = sellers
    for index in range(10):
        product = make_seller_product(alfa, title=f"Beras {index}", stock=2)
        StockRecord.objects.filter(product=product).update(low_stock_threshold=5)
        product.stockrecords.get().allocate(1)
    client.force_login(alfa.owner)

    with django_assert_max_num_queries(12):
        alerts = client.get(reverse("dashboard:stock-alert-list"))
    with django_assert_max_num_queries(12):
        imports = client.get(reverse("dashboard:product-import"))

    assert len(alerts.context["alerts"]) == 10
    assert imports.status_code == 200

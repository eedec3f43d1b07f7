"""Variants in the seller centre's product form: sizes or colours each with a price and stock."""

import pytest
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from dashboard.catalogue.forms import variant_formset
from dashboard.catalogue.products import StockValues, VariantValues, own_variants, seller_product_save, variant_label
from tests.factories import make_region_tree, make_seller, make_seller_product

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
CREATE = "dashboard:seller-product-create"
EDIT = "dashboard:seller-product-edit"


@pytest.fixture(autouse=True)
def english_messages(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def sellers():
    regions = make_region_tree()
    return make_seller(name="Pesantren Alfa", regions=regions), make_seller(name="Pesantren Beta", regions=regions)


@pytest.fixture
def category():
    return Category.add_root(name="Makanan").add_child(name="Kopi")


def fields(category, variants=(), existing=0, **overrides):
    data = {
        "title": "Kopi Arabika",
        "category": category.pk,
        "description": "Kopi dari Garut.",
        "price": "",
        "num_in_stock": "",
        "weight_grams": "250",
        "unit": "pak",
        "is_public": "on",
        "variant-TOTAL_FORMS": str(len(variants)),
        "variant-INITIAL_FORMS": str(existing),
        "variant-MIN_NUM_FORMS": "0",
        "variant-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(variants):
        for key, value in row.items():
            data[f"variant-{index}-{key}"] = value
    data.update(overrides)
    return data


def row(label, price, stock, weight="", pk="", delete=False):
    values = {"id": pk, "label": label, "price": price, "num_in_stock": stock, "weight_grams": weight}
    if delete:
        values["DELETE"] = "on"
    return values


def test_a_pesantren_adds_a_product_with_two_variants_each_with_its_price_and_stock(client, sellers, category):
    # given
    alfa, _beta = sellers
    client.force_login(alfa.owner)
    data = fields(category, [row("250 g", "45000", "12"), row("500 g", "85000", "4", weight="520")])

    # when
    response = client.post(reverse(CREATE), data)

    # then
    assert response.status_code == 302, response.context and response.context["form"].errors
    product = Product.objects.get(title="Kopi Arabika")
    assert product.structure == Product.PARENT and not product.stockrecords.exists()
    assert list(product.categories.all()) == [category]
    children = list(product.children.order_by("pk"))
    assert [child.title for child in children] == ["Kopi Arabika – 250 g", "Kopi Arabika – 500 g"]
    assert [variant_label(child) for child in children] == ["250 g", "500 g"]
    assert [child.weight_grams for child in children] == [250, 520]  # the product's weight unless given
    records = [child.stockrecords.get() for child in children]
    assert [(r.partner_id, r.price, r.num_in_stock) for r in records] == [
        (alfa.partner_id, 45000, 12),
        (alfa.partner_id, 85000, 4),
    ]
    assert len({r.partner_sku for r in records}) == 2
    listing = client.get(reverse("dashboard:catalogue-product-list")).content.decode()
    assert "Kopi Arabika" in listing and "2 variants" in listing
    assert reverse(EDIT, kwargs={"pk": product.pk}) in listing


def test_editing_changes_adds_and_deletes_variants_and_renames_them_with_the_product(client, sellers, category):
    # given: a product with two variants
    alfa, _beta = sellers
    client.force_login(alfa.owner)
    client.post(reverse(CREATE), fields(category, [row("250 g", "45000", "12"), row("500 g", "85000", "4")]))
    product = Product.objects.get(title="Kopi Arabika")
    small, large = product.children.order_by("pk")
    url = reverse(EDIT, kwargs={"pk": product.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert [form.initial.get("label") for form in page.context["variants"]] == ["250 g", "500 g", None]
    assert page.context["variants"].forms[0].initial["price"] == 45000

    # when: the first costs more, the second goes, a third comes, and the product is renamed
    data = fields(
        category,
        [
            row("250 g", "47000", "10", pk=small.pk),
            row("500 g", "85000", "4", pk=large.pk, delete=True),
            row("1 kg", "160000", "2"),
        ],
        existing=2,
        title="Kopi Arabika Garut",
    )
    response = client.post(url, data)

    # then
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert not Product.objects.filter(pk=large.pk).exists()
    assert not StockRecord.objects.filter(product_id=large.pk).exists()
    titles = {child.title: child.stockrecords.get() for child in product.children.all()}
    assert set(titles) == {"Kopi Arabika Garut – 250 g", "Kopi Arabika Garut – 1 kg"}
    assert (titles["Kopi Arabika Garut – 250 g"].price, titles["Kopi Arabika Garut – 250 g"].num_in_stock) == (
        47000,
        10,
    )
    assert titles["Kopi Arabika Garut – 250 g"].partner_sku == small.stockrecords.get().partner_sku
    assert client.get(reverse(EDIT, kwargs={"pk": small.pk})).url == url  # a variant's pk leads to its product


def test_deleting_every_variant_makes_the_product_standalone_with_its_own_price(client, sellers, category):
    alfa, _beta = sellers
    client.force_login(alfa.owner)
    client.post(reverse(CREATE), fields(category, [row("Merah", "30000", "3")]))
    product = Product.objects.get(parent=None)
    child = product.children.get()
    url = reverse(EDIT, kwargs={"pk": product.pk})

    without_price = client.post(url, fields(category, [row("Merah", "30000", "3", pk=child.pk, delete=True)], 1))
    assert without_price.status_code == 400
    assert set(without_price.context["form"].errors) == {"price", "num_in_stock"}

    data = fields(category, [row("Merah", "30000", "3", pk=child.pk, delete=True)], 1, price="29000", num_in_stock="7")
    assert client.post(url, data).status_code == 302
    product.refresh_from_db()
    assert product.structure == Product.STANDALONE and not product.children.exists()
    record = product.stockrecords.get()
    assert (record.partner_id, record.price, record.num_in_stock) == (alfa.partner_id, 29000, 7)


def test_a_standalone_product_gets_variants_and_its_own_record_goes(client, sellers, category):
    alfa, _beta = sellers
    product = make_seller_product(alfa, title="Madu Hutan", price="90000", stock=5)
    client.force_login(alfa.owner)

    response = client.post(
        reverse(EDIT, kwargs={"pk": product.pk}),
        fields(category, [row("250 ml", "50000", "5"), row("500 ml", "90000", "5")], title="Madu Hutan"),
    )

    assert response.status_code == 302, response.context and response.context["form"].errors
    product.refresh_from_db()
    assert product.is_parent and not product.stockrecords.exists() and product.children.count() == 2


@pytest.mark.parametrize(
    ("variants", "message"),
    [
        ([row("250 g", "45000", "3"), row(" 250  G ", "50000", "3")], "Two variants are named"),
        ([row("250 g", "0", "3")], "greater than or equal to 1"),
        ([row("250 g", "45000", "2000000")], "less than or equal to 1000000"),
        ([row("x" * 61, "45000", "3")], "at most 60 characters"),
        ([row("250 g", "", "3")], "This field is required"),
    ],
    ids=["duplicate", "free", "too-much-stock", "long-label", "no-price"],
)
def test_bad_variants_are_explained_and_nothing_is_saved(client, sellers, category, variants, message):
    alfa, _beta = sellers
    client.force_login(alfa.owner)

    response = client.post(reverse(CREATE), fields(category, variants))

    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Product.objects.exists() and not StockRecord.objects.exists()


def test_another_pesantrens_variant_cannot_be_changed_or_deleted_through_ones_own_product(client, sellers, category):
    # given: Beta's product with a variant, and Alfa's own product with one
    alfa, beta = sellers
    theirs = seller_product_save(
        seller=beta,
        product=None,
        values={"title": "Teh Beta", "weight_grams": 100, "unit": "pak", "is_public": True},
        category=category,
        stock=StockValues(price=None, num_in_stock=None, low_stock_threshold=None),
        new_photos=[],
        photo_order=[],
        delete_photo_ids=[],
        variants=[VariantValues(pk=None, label="Hijau", price=20000, num_in_stock=9, weight_grams=None)],
    )
    their_variant = theirs.children.get()
    client.force_login(alfa.owner)
    client.post(reverse(CREATE), fields(category, [row("250 g", "45000", "12")]))
    mine = Product.objects.get(title="Kopi Arabika")
    url = reverse(EDIT, kwargs={"pk": mine.pk})

    # when: Alfa posts Beta's variant's id, to change it and to delete it
    changed = client.post(url, fields(category, [row("Dicuri", "1", "0", pk=their_variant.pk)], 1))
    deleted = client.post(url, fields(category, [row("Hijau", "1", "0", pk=their_variant.pk, delete=True)], 1))

    # then
    assert changed.status_code == deleted.status_code == 400
    assert "not one of this product" in changed.content.decode()
    their_variant.refresh_from_db()
    assert their_variant.title == "Teh Beta – Hijau" and their_variant.stockrecords.get().price == 20000
    assert client.get(reverse(EDIT, kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse(EDIT, kwargs={"pk": their_variant.pk})).status_code == 404


def test_the_service_ignores_a_variant_pk_that_is_not_the_products_own(sellers, category):
    alfa, beta = sellers
    stock = StockValues(price=None, num_in_stock=None, low_stock_threshold=2)
    values = {"title": "Sarung", "weight_grams": 300, "unit": "pcs", "is_public": True}
    other = make_seller_product(beta, title="Sarung Beta")

    product = seller_product_save(
        seller=alfa,
        product=None,
        values=values,
        category=category,
        stock=stock,
        new_photos=[],
        photo_order=[],
        delete_photo_ids=[],
        variants=[
            VariantValues(pk=None, label="Hijau", price=80000, num_in_stock=3, weight_grams=None),
            VariantValues(pk=other.pk, label="Biru", price=1, num_in_stock=0, weight_grams=None, delete=True),
        ],
    )

    assert Product.objects.filter(pk=other.pk).exists()
    (variant,) = own_variants(seller=alfa, product=product)
    assert variant.own_record.low_stock_threshold == 2  # the product's warning applies to each variant
    formset = variant_formset(variants=[variant])
    assert formset.forms[0].initial == {
        "id": variant.pk,
        "label": "Hijau",
        "price": 80000,
        "num_in_stock": 3,
        "weight_grams": 300,
    }

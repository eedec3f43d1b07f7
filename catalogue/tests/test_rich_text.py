"""Product and category descriptions are sanitised on every save, and old rows by a data migration."""

import importlib

import pytest
from django.apps import apps
from oscar.core.loading import get_model

from tests.factories import make_region_tree, make_seller, make_seller_product

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

PAYLOAD = (
    '<p><strong>Legit</strong></p><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:x">a</a>'
)
CLEAN = '<p><strong>Legit</strong></p><a rel="noopener noreferrer nofollow">a</a>'


def test_saving_a_product_or_a_category_sanitises_its_descriptions():
    product = make_seller_product(make_seller(regions=make_region_tree()), description=PAYLOAD)
    category = Category.add_root(name="Makanan", description=PAYLOAD, long_description=PAYLOAD)

    product.refresh_from_db()
    category.refresh_from_db()
    assert product.description == CLEAN
    assert (category.description, category.long_description) == (CLEAN, CLEAN)


def test_the_data_migration_sanitises_rows_written_before_and_leaves_clean_ones_alone():
    migration = importlib.import_module("catalogue.migrations.0034_sanitise_rich_text")
    product = make_seller_product(make_seller(regions=make_region_tree()), description="<p>ok</p>")
    untouched = make_seller_product(product.stockrecords.get().partner.seller, description="<p>bersih</p>")
    category = Category.add_root(name="Minuman")
    Product.objects.filter(pk=product.pk).update(description=PAYLOAD)
    Category.objects.filter(pk=category.pk).update(description=PAYLOAD, long_description=PAYLOAD)

    migration.sanitise_existing_rows(apps, None)

    assert Product.objects.get(pk=product.pk).description == CLEAN
    assert Product.objects.get(pk=untouched.pk).description == "<p>bersih</p>"
    assert Category.objects.filter(pk=category.pk).values_list("description", "long_description").get() == (
        CLEAN,
        CLEAN,
    )

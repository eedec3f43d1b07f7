import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from basket.models import Basket
from tests.factories import make_seller, make_seller_product, make_user

pytestmark = pytest.mark.django_db


def test_the_line_count_comes_from_the_lines_read_without_a_count_query():
    basket = Basket.objects.create(owner=make_user())
    seller = make_seller()
    for title in ("Kopi Arabika", "Madu Hutan"):
        product = make_seller_product(seller, title=title)
        basket.lines.create(
            product=product,
            stockrecord=product.stockrecords.get(),
            line_reference=f"{product.pk}",
            quantity=2,
            price_excl_tax=product.stockrecords.get().price,
            price_incl_tax=product.stockrecords.get().price,
        )
    basket = Basket.objects.get(pk=basket.pk)

    with CaptureQueriesContext(connection) as queries:
        counted = basket.num_lines
        items = basket.num_items

    assert (counted, items) == (2, 4)
    assert not any("COUNT(" in query["sql"] for query in queries)


def test_an_unsaved_basket_is_empty_without_building_a_query(django_assert_num_queries):
    basket = Basket()

    with django_assert_num_queries(0):
        assert (basket.num_lines, basket.num_items, basket.is_empty) == (0, 0, True)

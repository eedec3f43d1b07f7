from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from oscar.core.loading import get_model

from core.models import OutboxMessage
from search.backends.base import SearchQuery
from search.backends.database import DatabaseBackend
from search.documents import build_documents
from search.models import ProductSearchDocument
from sellers.services import seller_suspend
from tests.factories import make_region_tree, make_seller, make_seller_product

Category = get_model("catalogue", "Category")


@pytest.fixture
def search_index_on_commit() -> bool:
    return True  # these tests exercise the real on-commit path


@pytest.fixture
def seller(db):
    return make_seller(name="Pesantren Al-Hikmah", regions=make_region_tree())


def indexing_messages():
    return OutboxMessage.objects.filter(task_name="search.tasks.index_products")


def test_changes_in_one_transaction_queue_one_task_with_every_product(seller, django_capture_on_commit_callbacks):
    # given
    with django_capture_on_commit_callbacks() as callbacks:
        first = make_seller_product(seller, title="Sarung Tenun")
        second = make_seller_product(seller, title="Peci Hitam")
        record = first.stockrecords.get()
        record.num_in_stock = 0
        record.save()
        first.categories.add(Category.add_root(name="Busana"))

    # then nothing is queued before the commit ...
    assert not indexing_messages().exists()
    assert len(callbacks) == 1

    # ... and one task with both products after it
    callbacks[0]()
    assert [message.args for message in indexing_messages()] == [[sorted([first.pk, second.pk])]]


def test_a_rolled_back_change_is_not_indexed(seller, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                make_seller_product(seller, title="Produk Batal")
                raise RuntimeError("payment failed")
        except RuntimeError:
            pass
        kept = make_seller_product(seller, title="Produk Jadi")

    message = indexing_messages().get()
    assert kept.pk in message.args[0]
    assert message.dispatched_at is not None
    assert list(ProductSearchDocument.objects.values_list("product__title", flat=True)) == ["Produk Jadi"]


def test_the_task_indexes_on_commit(seller, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = make_seller_product(seller, title="Madu Hutan Baduy", price="85000")

    document = ProductSearchDocument.objects.get(product=product)
    assert document.title == "Madu Hutan Baduy"
    assert document.seller_name == "Pesantren Al-Hikmah"
    assert document.searchable
    assert DatabaseBackend().search(SearchQuery(text="madu")).product_ids == [product.pk]


def test_renaming_a_pesantren_reindexes_its_products(seller, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = make_seller_product(seller, title="Kopi Gunung")

    with django_capture_on_commit_callbacks(execute=True):
        seller.name = "Pesantren Miftahul Huda"
        seller.save()

    assert ProductSearchDocument.objects.get(product=product).seller_name == "Pesantren Miftahul Huda"
    assert DatabaseBackend().search(SearchQuery(text="miftahul")).product_ids == [product.pk]


def test_suspending_a_pesantren_removes_its_products_from_results(seller, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = make_seller_product(seller, title="Kopi Gunung")
    assert DatabaseBackend().search(SearchQuery()).product_ids == [product.pk]

    with django_capture_on_commit_callbacks(execute=True):
        seller_suspend(seller=seller, suspended_by=None, reason="Izin dicabut")

    assert ProductSearchDocument.objects.get(product=product).searchable is False
    assert DatabaseBackend().search(SearchQuery()).total == 0


def test_the_task_splits_a_large_batch(seller, django_capture_on_commit_callbacks):
    from search import tasks

    with (
        mock.patch.object(tasks, "TASK_BATCH_SIZE", 2),
        mock.patch("search.tasks.search_index_products", return_value=2) as index,
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.index_products.delay([5, 4, 3, 2, 1])

    assert [call.args[0] for call in index.call_args_list] == [[1, 2], [3, 4], [5]]


def test_documents_are_built_in_a_constant_number_of_queries(seller, django_assert_max_num_queries):
    few = [make_seller_product(seller).pk for _ in range(2)]
    many = few + [make_seller_product(seller).pk for _ in range(8)]
    category = Category.add_root(name="Makanan").add_child(name="Keripik")
    for pk in many:
        get_model("catalogue", "ProductCategory").objects.create(product_id=pk, category=category)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        build_documents(few)
    with CaptureQueriesContext(connection) as large:
        documents = build_documents(many)

    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(documents) == 10
    assert documents[0]["category_paths"] == ["Makanan > Keripik"]
    assert documents[0]["category_names"] == ["Makanan", "Keripik"]
    assert documents[0]["kabupaten_code"] == "32.04"


def test_a_variant_is_indexed_as_its_parent(seller):
    from oscar.test.factories import create_product

    parent = create_product(title="Gamis", structure="parent")
    child = create_product(title="Gamis M", structure="child", parent=parent)
    make_seller_product(seller)  # another product, not counted
    record = make_seller_product(seller).stockrecords.get()
    record.product = child
    record.save()

    (document,) = build_documents([child.pk])

    assert document["id"] == parent.pk
    assert document["seller_slug"] == seller.slug
    assert document["units_sold"] == 0


def test_rebuild_command_indexes_everything_in_batches(seller):
    products = [make_seller_product(seller) for _ in range(5)]
    ProductSearchDocument.objects.all().delete()

    call_command("search_index", "--rebuild", "--batch-size", "2", verbosity=0)

    assert set(ProductSearchDocument.objects.values_list("product_id", flat=True)) == {p.pk for p in products}


def test_index_command_rejects_unclear_arguments(db):
    with pytest.raises(CommandError):
        call_command("search_index", verbosity=0)
    with pytest.raises(CommandError):
        call_command("search_index", "--rebuild", "--batch-size", "0", verbosity=0)


def test_a_synonym_group_is_normalised_and_needs_two_words(db):
    from django.core.exceptions import ValidationError

    from search.models import SearchSynonym

    group = SearchSynonym(terms=" Sajadah, sejadah ,SAJADAH, alas sholat")
    group.full_clean()
    assert group.terms == "sajadah, sejadah, alas sholat"

    with pytest.raises(ValidationError):
        SearchSynonym(terms="tasbih, Tasbih").full_clean()

"""Bridge model changes to search_queue_products: receivers only collect the affected product ids."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from oscar.core.loading import get_model

from core import outbox
from core.signals import products_changed
from search.models import SearchSynonym
from search.services import search_queue_products

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")


def product_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    search_queue_products([instance.pk, instance.parent_id])


def stockrecord_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        search_queue_products([instance.product_id])


def product_category_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        search_queue_products([instance.product_id])


def product_categories_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        search_queue_products([instance.pk])
    elif pk_set:
        search_queue_products(pk_set)
    else:
        search_queue_products(ProductCategory.objects.filter(category=instance).values_list("product_id", flat=True))


def category_changed(sender, instance, raw=False, created=False, **kwargs):
    """A renamed (or hidden) category changes the documents of every product below it."""
    if raw or created:
        return
    search_queue_products(
        ProductCategory.objects.filter(category__path__startswith=instance.path).values_list("product_id", flat=True)
    )


def seller_changed(sender, instance, raw=False, **kwargs):
    """A rename, a move or a status change (suspension hides its products) changes all its products."""
    if raw or not instance.partner_id:
        return
    records = StockRecord.objects.filter(partner_id=instance.partner_id)
    search_queue_products(records.values_list("product_id", flat=True))


def review_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        search_queue_products([instance.product_id])


def products_changed_elsewhere(sender, product_ids, **kwargs):
    search_queue_products(product_ids)


def synonyms_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from search.tasks import sync_synonyms

    outbox.enqueue(sync_synonyms)


def connect() -> None:
    from sellers.models import Seller

    post_save.connect(product_changed, sender=Product, dispatch_uid="search.product_saved")
    post_delete.connect(product_changed, sender=Product, dispatch_uid="search.product_deleted")
    post_save.connect(stockrecord_changed, sender=StockRecord, dispatch_uid="search.stockrecord_saved")
    post_delete.connect(stockrecord_changed, sender=StockRecord, dispatch_uid="search.stockrecord_deleted")
    post_save.connect(product_category_changed, sender=ProductCategory, dispatch_uid="search.productcategory_saved")
    post_delete.connect(product_category_changed, sender=ProductCategory, dispatch_uid="search.productcategory_deleted")
    m2m_changed.connect(
        product_categories_m2m_changed, sender=Product.categories.through, dispatch_uid="search.categories_m2m"
    )
    post_save.connect(category_changed, sender=Category, dispatch_uid="search.category_saved")
    post_save.connect(seller_changed, sender=Seller, dispatch_uid="search.seller_saved")
    products_changed.connect(products_changed_elsewhere, dispatch_uid="search.products_changed")
    post_save.connect(synonyms_changed, sender=SearchSynonym, dispatch_uid="search.synonym_saved")
    post_delete.connect(synonyms_changed, sender=SearchSynonym, dispatch_uid="search.synonym_deleted")
    if apps.is_installed("ratings"):
        from ratings.models import LineReview

        post_save.connect(review_changed, sender=LineReview, dispatch_uid="search.review_saved")
        post_delete.connect(review_changed, sender=LineReview, dispatch_uid="search.review_deleted")

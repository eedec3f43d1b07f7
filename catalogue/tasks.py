from celery import shared_task
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
ProductRecord = get_model("analytics", "ProductRecord")
UserProductView = get_model("analytics", "UserProductView")
UserRecord = get_model("analytics", "UserRecord")

# How long a counted task is remembered: far longer than a redelivery takes.
COUNTED_MARK_SECONDS = 24 * 3600


@shared_task(bind=True)
def record_product_view(self, product_id: int, user_id: int | None = None) -> None:
    """Oscar's analytics of one product view: the product's view count and, for a signed-in visitor,
    theirs and a product-view row. Counted at most once: a redelivered task finds its mark and stops."""
    if not Product.objects.filter(pk=product_id).exists():
        return  # deleted since the view
    if not cache.add(f"product-view-counted:{self.request.id}", True, timeout=COUNTED_MARK_SECONDS):
        return
    try:
        with transaction.atomic():
            _increment(ProductRecord, "num_views", product_id=product_id)
            if user_id is not None:
                _increment(UserRecord, "num_product_views", user_id=user_id)
                UserProductView.objects.create(product_id=product_id, user_id=user_id)
    except IntegrityError:
        pass  # the product or the user was deleted meanwhile: nothing left to count


def _increment(model, field: str, **lookup) -> None:
    if not model.objects.filter(**lookup).update(**{field: F(field) + 1}):
        record, created = model.objects.get_or_create(**lookup, defaults={field: 1})
        if not created:  # another view created it in between
            model.objects.filter(pk=record.pk).update(**{field: F(field) + 1})

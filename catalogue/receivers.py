from catalogue.tasks import record_product_view
from core import outbox


def count_product_view(sender, product, user, **kwargs):
    """Oscar counts a view with three writes inside the request; a task does them after the answer."""
    if kwargs.get("raw", False):
        return
    user_id = user.pk if user is not None and user.is_authenticated else None
    outbox.send_lossy(record_product_view, product.pk, user_id)

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from oscar.apps.order import exceptions
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.apps.order.utils import OrderDispatcher, OrderNumberGenerator  # noqa: F401
from oscar.core.loading import get_model

from order.stock import stock_record_saved
from sellers.availability import lock_sellers_taking_orders

StockRecord = get_model("partner", "StockRecord")


class OrderCreator(OscarOrderCreator):
    def create_order_model(self, user, basket, *args, **kwargs):
        """The order row, once every pesantren of the basket is checked, under a share lock, to take orders.

        The first write of placing an order, inside its transaction (Oscar's place_order and
        CompanyOrderCreator alike): a pesantren suspended since its products went into the basket
        refuses the whole order here, before any line or stock reservation is written.
        """
        lock_sellers_taking_orders(
            partner_ids=[line.stockrecord.partner_id for line in basket.all_lines() if line.stockrecord_id]
        )
        return super().create_order_model(user, basket, *args, **kwargs)

    def update_stock_records(self, line):
        """Reserve the line's stock, or refuse the whole order if it is no longer there.

        Oscar's allocate() adds to num_allocated unconditionally, so two customers could both buy
        the last item. This single conditional UPDATE is atomic in the database: of concurrent
        checkouts for the last units, only those that still fit succeed. Like allocate(), it then sends
        post_save, which raises Oscar's low-stock alert and re-indexes the product for search.
        """
        if not line.product.get_product_class().track_stock:
            return
        reserved = StockRecord.objects.filter(
            pk=line.stockrecord_id,
            num_in_stock__gte=Coalesce(F("num_allocated"), 0) + line.quantity,
        ).update(num_allocated=Coalesce(F("num_allocated"), 0) + line.quantity)
        if not reserved:
            raise exceptions.UnableToPlaceOrder(
                _("Sorry, “%(product)s” is no longer in stock in the quantity you asked for.")
                % {"product": line.product.get_title()}
            )
        stock_record_saved(line.stockrecord)

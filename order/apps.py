import oscar.apps.order.apps as apps


class OrderConfig(apps.OrderConfig):
    name = "order"

    def ready(self):
        super().ready()
        from oscar.apps.analytics.receivers import receive_order_placed
        from oscar.apps.order.signals import order_placed

        # Oscar's analytics adds every order to the buyer's UserRecord.total_spent, a 12-digit column
        # that a wholesale buyer overflows at Rp 10 billion (and then can no longer order), at one or two
        # queries per line. Nothing here reads those totals; units sold come from our own order lines.
        order_placed.disconnect(receive_order_placed)

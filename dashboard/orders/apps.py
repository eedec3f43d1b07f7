import oscar.apps.dashboard.orders.apps as apps


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    """Oscar's order dashboard, for platform staff only.

    Its order detail shows every pesantren's lines and lets the viewer change the whole order's
    status, so pesantren users are not let in at all: they work in the fulfilment dashboard
    (/dashboard/pesanan/), which shows only their own SellerOrders.
    """

    name = "dashboard.orders"

    def configure_permissions(self):
        super().configure_permissions()
        self.permissions_map = {
            url_name: ["is_staff", *(perms[0] if isinstance(perms, tuple) else perms)]
            for url_name, perms in self.permissions_map.items()
        }

import oscar.apps.dashboard.catalogue.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    """Oscar's catalogue dashboard; pesantren users may also add variants, see their stock alerts
    and import or export their products by CSV. Categories stay read-only for them."""

    name = "dashboard.catalogue"

    def configure_permissions(self):
        super().configure_permissions()
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        partner = DashboardPermission.partner_dashboard_access
        self.permissions_map["catalogue-product-create-child"] = (
            self.permissions_map["catalogue-product-create-child"],
            partner,
        )
        self.permissions_map["stock-alert-list"] = (self.permissions_map["stock-alert-list"], partner)
        for url_name in (
            "product-import",
            "product-import-job",
            "product-import-status",
            "product-export",
            "seller-product-create",
            "seller-product-edit",
        ):
            self.permissions_map[url_name] = (DashboardPermission.get("catalogue", "add_product"), partner)

    def ready(self):
        super().ready()
        self.product_import_view = get_class("dashboard.catalogue.import_views", "ProductImportView")
        self.product_import_job_view = get_class("dashboard.catalogue.import_views", "ImportJobView")
        self.product_import_status_view = get_class("dashboard.catalogue.import_views", "ImportJobStatusView")
        self.product_export_view = get_class("dashboard.catalogue.import_views", "ProductExportView")
        self.seller_product_form_view = get_class("dashboard.catalogue.views", "SellerProductFormView")

    def get_urls(self):
        urls = [
            path("products/import/", self.product_import_view.as_view(), name="product-import"),
            path("products/import/<int:pk>/", self.product_import_job_view.as_view(), name="product-import-job"),
            path(
                "products/import/<int:pk>/status/",
                self.product_import_status_view.as_view(),
                name="product-import-status",
            ),
            path("products/export.csv", self.product_export_view.as_view(), name="product-export"),
            # The seller centre's product form for pesantren (staff use Oscar's, above).
            path("products/baru/", self.seller_product_form_view.as_view(), name="seller-product-create"),
            path("products/<int:pk>/ubah/", self.seller_product_form_view.as_view(), name="seller-product-edit"),
        ]
        return self.post_process_urls(urls) + super().get_urls()

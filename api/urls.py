from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import pages, views

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("products", views.ProductViewSet, basename="product")
router.register("orders", views.OrderViewSet, basename="order")
router.register("purchase-requests", views.PurchaseRequestViewSet, basename="purchase-request")
router.register("rfqs", views.RfqViewSet, basename="rfq")
router.register("invoices", views.InvoiceViewSet, basename="invoice")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", pages.DocsView.as_view(), name="docs"),
    path("tokens/", pages.TokenListView.as_view(), name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.TokenRevokeView.as_view(), name="token-revoke"),
    path("bulk-orders/", views.BulkOrderView.as_view(), name="bulk-order"),
    path(
        "rfqs/<int:pk>/quotes/<int:quote_pk>/accept/",
        views.QuoteAcceptView.as_view(),
        name="quote-accept",
    ),
    *router.urls,
]

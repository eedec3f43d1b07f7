from django.urls import path

from purchasing import bulk_views, checkout_views, views

app_name = "purchasing"
urlpatterns = [
    path("pesanan/", views.CompanyOrderListView.as_view(), name="order-list"),
    path("pesanan/<str:number>/", views.CompanyOrderDetailView.as_view(), name="order-detail"),
    path("checkout/", checkout_views.BusinessCheckoutView.as_view(), name="checkout"),
    path("persetujuan/", checkout_views.ApprovalListView.as_view(), name="approval-list"),
    path("persetujuan/<int:pk>/", checkout_views.ApprovalDetailView.as_view(), name="approval-detail"),
    path("pesan-massal/", bulk_views.BulkOrderView.as_view(), name="bulk-order"),
    path("pesan-massal/pesan/", bulk_views.BulkOrderPlaceView.as_view(), name="bulk-order-place"),
    path("pesan-massal/templat.csv", bulk_views.BulkTemplateView.as_view(), name="bulk-order-template"),
    path("pesan-massal/cari-sku/", bulk_views.SkuLookupView.as_view(), name="bulk-order-lookup"),
    path("pesan-ulang/<str:order_number>/", bulk_views.ReorderView.as_view(), name="reorder"),
]

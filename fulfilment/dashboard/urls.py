from django.urls import path

from fulfilment.dashboard import views

app_name = "fulfilment-dashboard"
urlpatterns = [
    path("", views.SellerOrderListView.as_view(), name="seller-order-list"),
    path("terima/", views.SellerOrderBulkAcceptView.as_view(), name="seller-order-bulk-accept"),
    path("label/", views.PackingSlipView.as_view(), name="seller-order-slips"),
    path("<int:pk>/", views.SellerOrderDetailView.as_view(), name="seller-order-detail"),
]

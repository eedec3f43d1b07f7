from django.urls import path

from fulfilment.dashboard import views

app_name = "fulfilment-dashboard"
urlpatterns = [
    path("", views.SellerOrderListView.as_view(), name="seller-order-list"),
    path("<int:pk>/", views.SellerOrderDetailView.as_view(), name="seller-order-detail"),
]

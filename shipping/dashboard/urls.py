from django.urls import path

from shipping.dashboard.views import ShippingRateView

app_name = "shipping-dashboard"
urlpatterns = [
    path("", ShippingRateView.as_view(), name="rates"),
]

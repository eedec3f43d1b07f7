from django.urls import path

from midtrans import views

app_name = "midtrans"
urlpatterns = [
    path("status/<str:order_number>/", views.order_charge_status, name="order-status"),
    path("<str:order_number>/", views.OrderPayView.as_view(), name="order-pay"),
]
# Midtrans's notification URL, agreed with the local server: /payments/midtrans/notification/.
notification_urlpatterns = [path("notification/", views.notification, name="notification")]

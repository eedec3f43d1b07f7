from django.urls import path

from couriers import views

app_name = "couriers"
urlpatterns = [
    path("webhook/biteship/", views.biteship_webhook, name="biteship-webhook"),
]

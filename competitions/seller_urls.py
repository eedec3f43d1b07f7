from django.urls import path

from competitions import views

app_name = "competitions-seller"
urlpatterns = [
    path("", views.SellerEntriesView.as_view(), name="entries"),
]

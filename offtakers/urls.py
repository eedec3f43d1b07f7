from django.urls import path

from offtakers import views

app_name = "offtakers"
urlpatterns = [
    path("daftar/", views.RegisterView.as_view(), name="register"),
]

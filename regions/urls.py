from django.urls import path

from regions import views

app_name = "regions"
urlpatterns = [path("anak/", views.children, name="children")]

from django.urls import path

from reports import views

app_name = "open-data"
urlpatterns = [
    path("", views.OpenDataView.as_view(), name="index"),
    path("<slug:slug>.<slug:fmt>", views.OpenDataFileView.as_view(), name="file"),
]

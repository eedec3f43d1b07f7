from django.urls import path

from sellers import views

app_name = "sellers"
urlpatterns = [
    path("pesantren/", views.DirectoryView.as_view(), name="directory"),
    path("pesantren/daftar/", views.ApplyView.as_view(), name="apply"),
    path("pesantren/daftar/status/", views.ApplicationStatusView.as_view(), name="application-status"),
]

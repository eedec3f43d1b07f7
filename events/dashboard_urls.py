"""A pesantren's own registrations, in the seller centre."""

from django.urls import path

from events import views

app_name = "events-dashboard"
urlpatterns = [
    path("", views.SellerRegistrationListView.as_view(), name="registrations"),
    path("<int:pk>/", views.SellerRegistrationView.as_view(), name="registration"),
    path("<int:pk>/batal/", views.SellerCancelView.as_view(), name="registration-cancel"),
    path("<int:pk>/sertifikat.pdf", views.CertificateDownloadView.as_view(), name="registration-certificate"),
]

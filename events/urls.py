from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("", views.CalendarView.as_view(), name="calendar"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="detail"),
    path("<int:pk>/daftar/", views.RegisterView.as_view(), name="register"),
    path("<int:pk>/etalase/", views.ShowcaseView.as_view(), name="showcase"),
    path("sertifikat/", views.CertificateVerifyView.as_view(), name="certificate-lookup"),
    path("sertifikat/<str:code>/", views.CertificateVerifyView.as_view(), name="certificate-verify"),
]

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ProvinceReportView.as_view(), name="province"),
    path("ringkasan-provinsi.pdf", views.ProvinceSummaryPdfView.as_view(), name="province-pdf"),
    path("kecamatan/<str:code>/", views.KecamatanReportView.as_view(), name="kecamatan"),
    path("<str:code>/", views.KabupatenReportView.as_view(), name="kabupaten"),
]

from django.urls import path

from programme import views

app_name = "programme"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("wilayah/", views.MappingView.as_view(), name="mapping"),
    path("wilayah/<str:code>/", views.KabupatenDetailView.as_view(), name="kabupaten"),
    path("peta/jumlah.json", views.MapCountsView.as_view(), name="map-counts"),
    path("peta/batas-<slug:level>.geojson", views.BoundariesView.as_view(), name="boundaries"),
    path("pesantren/", views.DirectoryView.as_view(), name="directory"),
    path("ekspor/<slug:kind>.csv", views.ExportView.as_view(), name="export"),
]

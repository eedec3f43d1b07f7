from django.urls import path

from couriers import dashboard_views as views

app_name = "couriers-dashboard"
urlpatterns = [
    path("", views.CourierSettingsView.as_view(), name="settings"),
    path("label/", views.LabelsView.as_view(), name="labels"),
    path("<int:pk>/pesan/", views.BookCourierView.as_view(), name="book"),
    path("<int:pk>/batal/", views.CancelCourierView.as_view(), name="cancel"),
]

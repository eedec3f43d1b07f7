from django.urls import path

from companies import dashboard_views

app_name = "companies-dashboard"
urlpatterns = [
    path("", dashboard_views.CompanyListView.as_view(), name="company-list"),
    path("<int:pk>/", dashboard_views.CompanyDetailView.as_view(), name="company-detail"),
]

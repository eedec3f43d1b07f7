from django.urls import path

from invoices import dashboard_views as views

app_name = "invoices-dashboard"
urlpatterns = [
    path("", views.InvoiceListView.as_view(), name="list"),
    path("<int:pk>/", views.InvoiceDetailView.as_view(), name="detail"),
    path("<int:pk>/pdf/", views.InvoicePdfView.as_view(), name="pdf"),
    path("kredit/", views.CompanyCreditListView.as_view(), name="credit"),
]

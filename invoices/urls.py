from django.urls import path

from invoices import views

app_name = "invoices"
urlpatterns = [
    path("", views.InvoiceListView.as_view(), name="list"),
    path("<int:pk>/", views.InvoiceDetailView.as_view(), name="detail"),
    path("<int:pk>/pdf/", views.InvoicePdfView.as_view(), name="pdf"),
    path("<int:pk>/bayar/", views.InvoiceCardPaymentView.as_view(), name="pay"),
    path("<int:pk>/status/", views.invoice_payment_status, name="status"),
    path("<int:pk>/bayar-dengan/", views.InvoiceStartPaymentView.as_view(), name="start-payment"),
    path("<int:pk>/virtual-account/", views.InvoiceVirtualAccountView.as_view(), name="virtual-account"),
]

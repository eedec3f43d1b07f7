from django.urls import path

from bank_transfers import views
from bank_transfers.dashboard import views as dashboard_views

app_name = "bank_transfers"
urlpatterns = [
    path("dashboard/", dashboard_views.TransferQueueView.as_view(), name="dashboard-list"),
    path("dashboard/<int:pk>/", dashboard_views.TransferReviewView.as_view(), name="dashboard-detail"),
    path("dashboard/<int:pk>/bukti/", dashboard_views.ProofDownloadView.as_view(), name="dashboard-proof"),
    path("<str:order_number>/", views.TransferDetailView.as_view(), name="detail"),
]

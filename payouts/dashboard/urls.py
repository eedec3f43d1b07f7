from django.urls import path

from payouts.dashboard import views

app_name = "payouts-dashboard"
urlpatterns = [
    path("", views.BatchListView.as_view(), name="batch-list"),
    path("batch/buat/", views.BatchCreateView.as_view(), name="batch-create"),
    path("batch/<int:pk>/", views.BatchDetailView.as_view(), name="batch-detail"),
    path("batch/<int:pk>/csv/", views.BatchExportView.as_view(), name="batch-export"),
    path("batch/<int:pk>/lunas/", views.BatchMarkPaidView.as_view(), name="batch-mark-paid"),
    path("pencairan/", views.PayoutListView.as_view(), name="payout-list"),
    path("pencairan/<int:pk>/lunas/", views.PayoutMarkPaidView.as_view(), name="payout-mark-paid"),
    path("pencairan/<int:pk>/gagal/", views.PayoutMarkFailedView.as_view(), name="payout-mark-failed"),
    path("saldo/", views.BalanceListView.as_view(), name="balance-list"),
    path("saya/", views.MyLedgerRedirectView.as_view(), name="my-ledger"),
    path("pesantren/<int:seller_pk>/", views.SellerLedgerView.as_view(), name="seller-ledger"),
    path("pesantren/<int:seller_pk>/csv/", views.SellerLedgerExportView.as_view(), name="seller-ledger-export"),
]

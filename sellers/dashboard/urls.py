from django.urls import path

from sellers.dashboard import views

app_name = "sellers-dashboard"
urlpatterns = [
    path("", views.SellerListView.as_view(), name="seller-list"),
    path("pengajuan/", views.ApplicationListView.as_view(), name="application-list"),
    path("<int:pk>/", views.SellerReviewView.as_view(), name="seller-review"),
    path("dokumen/<int:pk>/", views.DocumentDownloadView.as_view(), name="document"),
]

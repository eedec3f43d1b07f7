from django.urls import path

from quotes import dashboard_views as views

app_name = "quotes-dashboard"
urlpatterns = [
    path("", views.SellerRfqListView.as_view(), name="rfq-list"),
    path("<int:pk>/", views.SellerRfqDetailView.as_view(), name="rfq-detail"),
]

from django.urls import path

from ratings import views

app_name = "ratings"
urlpatterns = [
    path("tulis/<int:line_id>/", views.WriteReviewView.as_view(), name="write"),
    path("produk/<int:pk>/", views.ProductReviewListView.as_view(), name="product-reviews"),
    path("pesantren/<slug:slug>/", views.SellerReviewListView.as_view(), name="seller-reviews"),
]

from django.urls import path

from ratings.dashboard import views

app_name = "ratings-dashboard"
urlpatterns = [
    path("", views.SellerReviewListView.as_view(), name="seller-review-list"),
    path("<int:pk>/balas/", views.ReplyView.as_view(), name="reply"),
    path("moderasi/", views.ModerationListView.as_view(), name="moderation-list"),
    path("moderasi/<int:pk>/", views.ModerationDetailView.as_view(), name="moderation-detail"),
]

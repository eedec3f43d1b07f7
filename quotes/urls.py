from django.urls import path

from quotes import views

app_name = "quotes"
urlpatterns = [
    path("", views.RfqListView.as_view(), name="list"),
    path("baru/", views.RfqCreateView.as_view(), name="create"),
    path("<int:pk>/", views.RfqDetailView.as_view(), name="detail"),
    path("<int:pk>/pesantren/<int:seller_pk>/", views.ThreadView.as_view(), name="thread"),
    path("<int:pk>/penawaran/<int:quote_pk>/terima/", views.QuoteAcceptView.as_view(), name="accept"),
]

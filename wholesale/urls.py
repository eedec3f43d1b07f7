from django.urls import path

from wholesale import views

app_name = "wholesale"
urlpatterns = [
    path("", views.WholesalePriceListView.as_view(), name="stockrecord-list"),
    path("<int:pk>/", views.WholesalePriceEditView.as_view(), name="stockrecord-wholesale"),
]

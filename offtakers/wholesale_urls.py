from django.urls import path

from offtakers import wholesale_views

app_name = "wholesale"
urlpatterns = [
    path("", wholesale_views.WholesalePriceListView.as_view(), name="stockrecord-list"),
    path("<int:pk>/", wholesale_views.WholesalePriceEditView.as_view(), name="stockrecord-wholesale"),
]

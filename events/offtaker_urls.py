"""A company's registrations for business meetings, in the business area."""

from django.urls import path

from events import views

app_name = "events-offtaker"
urlpatterns = [
    path("", views.CompanyRegistrationListView.as_view(), name="registrations"),
    path("<int:pk>/", views.CompanyRegistrationView.as_view(), name="registration"),
    path("<int:pk>/batal/", views.CompanyCancelView.as_view(), name="registration-cancel"),
]

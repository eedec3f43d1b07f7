from django.urls import path

from programme import public_views

app_name = "programme-public"
urlpatterns = [
    path("<str:token>/", public_views.InvitationApplyView.as_view(), name="invitation"),
]

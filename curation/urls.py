from django.urls import path

from curation import views

app_name = "curation"
urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("ajukan/", views.RequestView.as_view(), name="request"),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/ambil/", views.TakeView.as_view(), name="take"),
    path("<int:pk>/nilai/", views.ScoreView.as_view(), name="score"),
    path("<int:pk>/tarik/", views.WithdrawView.as_view(), name="withdraw"),
    path("rubrik/", views.RubricView.as_view(), name="rubric"),
    path("rubrik/ubah/", views.RubricEditView.as_view(), name="rubric-edit"),
]

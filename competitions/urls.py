from django.urls import path

from competitions import views

app_name = "competitions"
urlpatterns = [
    path("", views.CompetitionListView.as_view(), name="list"),
    path("<int:pk>/", views.CompetitionDetailView.as_view(), name="detail"),
    path("<int:pk>/juri/", views.JudgeAssignView.as_view(), name="judge-assign"),
    path("<int:pk>/konflik/", views.ConflictDeclareView.as_view(), name="conflict-declare"),
    path("<int:pk>/mulai/", views.JudgingStartView.as_view(), name="judging-start"),
    path("babak/<int:pk>/", views.RankingView.as_view(), name="ranking"),
    path("babak/<int:pk>/tutup/", views.RoundCloseView.as_view(), name="round-close"),
    path("entri/<int:pk>/nilai/", views.ScoreView.as_view(), name="score"),
    path("entri/<int:pk>/mundur/", views.RecuseView.as_view(), name="recuse"),
]

from django.urls import path

from companies import views

app_name = "companies"
urlpatterns = [
    path("daftar/", views.RegisterView.as_view(), name="register"),
    path("", views.BusinessHomeView.as_view(), name="home"),
    path("anggota/", views.MemberListView.as_view(), name="member-list"),
    path("anggota/<int:pk>/peran/", views.MemberRoleView.as_view(), name="member-role"),
    path("anggota/<int:pk>/hapus/", views.MemberRemoveView.as_view(), name="member-remove"),
    path("undangan/<int:pk>/batal/", views.InvitationRevokeView.as_view(), name="invitation-revoke"),
    path("undangan/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    path("pengaturan/", views.CompanySettingsView.as_view(), name="settings"),
]

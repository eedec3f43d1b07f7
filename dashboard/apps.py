import oscar.apps.dashboard.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard with the pesantren's own pages: overview, storefront profile and team."""

    name = "dashboard"

    def configure_permissions(self):
        super().configure_permissions()
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        for url_name in ("seller-profile", "seller-bank-account", "team", "team-remove", "team-revoke"):
            self.permissions_map[url_name] = DashboardPermission.partner_dashboard_access
        # team-accept is absent on purpose: the invited person may not have an account yet.

    def ready(self):
        super().ready()
        self.seller_profile_view = get_class("dashboard.views", "StorefrontProfileView")
        self.bank_account_view = get_class("dashboard.views", "BankAccountView")
        from sellers import team_views

        self.team_views = team_views

    def get_urls(self):
        urls = [
            path("toko/profil/", self.seller_profile_view.as_view(), name="seller-profile"),
            path("toko/rekening/", self.bank_account_view.as_view(), name="seller-bank-account"),
            path("toko/tim/", self.team_views.TeamView.as_view(), name="team"),
            path("toko/tim/<int:user_pk>/hapus/", self.team_views.TeamMemberRemoveView.as_view(), name="team-remove"),
            path(
                "toko/tim/undangan/<int:pk>/tarik/",
                self.team_views.TeamInvitationRevokeView.as_view(),
                name="team-revoke",
            ),
            path("undangan-tim/<str:token>/", self.team_views.TeamAcceptView.as_view(), name="team-accept"),
        ]
        return self.post_process_urls(urls) + super().get_urls()

import functools

import oscar.apps.dashboard.apps as apps
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from oscar.core.loading import get_class
from oscar.forms.widgets import RemoteSelect
from oscar.views.generic import BulkEditMixin


def whole_number_ids(patterns: list) -> list:
    """Oscar 4.2 routes some dashboard ids as <str:pk> (options, option groups, pages): "NaN" there
    reached the database lookup and failed with a 500. Their views now answer 404 to an id that is not
    a whole number. The routes stay <str:pk> because Oscar's templates reverse them with "__fk__"."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            whole_number_ids(entry.url_patterns)
        elif isinstance(entry, URLPattern) and "<str:pk>" in str(entry.pattern):
            entry.callback = _pk_must_be_whole_number(entry.callback)
    return patterns


def _pk_must_be_whole_number(view):
    @functools.wraps(view)
    def checked(request, *args, pk, **kwargs):
        if not pk.isdigit():
            raise Http404
        return view(request, *args, pk=pk, **kwargs)

    return checked


def _selected_ids(self, request):
    """Oscar's bulk actions (products, orders, users, reviews, ranges) filter by the ticked ids as
    posted: a tampered non-numeric id was a ValueError in the query. Such ids now select nothing."""
    if request.POST.get(self.select_across_param, "").lower() == "1":
        return list(self.get_select_across_queryset().values_list("pk", flat=True))
    pk_field = self.model._meta.pk
    posted = request.POST.getlist(f"selected_{self.get_checkbox_object_name()}")
    ids = [value for value in posted if _is_id(pk_field, value)]
    return list(self.get_queryset().filter(pk__in=ids).values_list("pk", flat=True))


def _remote_select_optgroups(self, name, value, attrs=None):
    """Oscar's remote select re-renders an invalid form by looking up the posted values as ids: a
    tampered non-numeric one was a ValueError (500). Values that are no id are not looked up."""
    if isinstance(self.choices, ModelChoiceIterator):
        pk_field = self.choices.queryset.model._meta.pk
        value = [item for item in value if _is_id(pk_field, item)]
    return _oscar_remote_select_optgroups(self, name, value, attrs=attrs)


def _is_id(pk_field, value) -> bool:
    try:
        pk_field.to_python(value)
    except ValidationError:
        return False
    return True


_oscar_remote_select_optgroups = RemoteSelect.optgroups


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard with the pesantren's own pages: overview, storefront profile and team."""

    name = "dashboard"

    def configure_permissions(self):
        super().configure_permissions()
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        for url_name in ("seller-sales", "seller-profile", "seller-bank-account", "team", "team-remove", "team-revoke"):
            self.permissions_map[url_name] = DashboardPermission.partner_dashboard_access
        # team-accept is absent on purpose: the invited person may not have an account yet.

    def ready(self):
        super().ready()
        BulkEditMixin.get_selected_ids = _selected_ids
        RemoteSelect.optgroups = _remote_select_optgroups
        self.seller_profile_view = get_class("dashboard.views", "StorefrontProfileView")
        self.bank_account_view = get_class("dashboard.views", "BankAccountView")
        self.seller_sales_view = get_class("dashboard.views", "SellerSalesView")
        from sellers import team_views

        self.team_views = team_views

    def get_urls(self):
        urls = [
            path("toko/penjualan/", self.seller_sales_view.as_view(), name="seller-sales"),
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
        return whole_number_ids(self.post_process_urls(urls) + super().get_urls())

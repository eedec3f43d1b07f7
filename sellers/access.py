"""Who works for which pesantren, and what they may do there: the one access layer of pesantren staff.

Every pesantren page (views, the dashboard menu, template tags) asks here which pesantren the
signed-in user works for and with which role:

- `seller_for_user` is the pesantren of a dashboard user: one whose partner staff the user is in,
  verified or suspended (a suspended pesantren still sees its data, read-only), the oldest first if
  an old account is in several.
- `seller_role` is the user's role in it: owner (the account owner and members invited as owners)
  or staff. Owners alone manage the team and the payout bank account.
- A suspended pesantren is read-only: `SuspendedPesantrenReadOnlyMiddleware` refuses every
  state-changing request on a dashboard page with 403 and a clear message, except fulfilling orders
  already placed (views that set `allowed_when_suspended`), because the buyers of those orders have
  paid and are owed their goods or refund whatever the programme decides about the pesantren.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from sellers.models import Seller, SellerStatus
from sellers.team_models import TeamMembership, TeamRole

DASHBOARD_PERMISSION = "partner.dashboard_access"
# Statuses whose pesantren has a dashboard: verified, and suspended (read-only).
DASHBOARD_STATUSES = (SellerStatus.VERIFIED, SellerStatus.SUSPENDED)
# Dashboard pages that stay usable for a suspended pesantren's staff: signing in and out.
ALWAYS_ALLOWED_URL_NAMES = {"dashboard:login", "dashboard:logout"}
_UNSET = object()


def seller_for_user(*, user) -> Seller | None:
    """The pesantren `user` works for in the dashboard, or None. Cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_pesantren", _UNSET)
    if cached is _UNSET:
        cached = (
            Seller.objects.filter(partner__users=user, status__in=DASHBOARD_STATUSES)
            .select_related("partner")
            .order_by("pk")
            .first()
        )
        user._pesantren = cached
    return cached


def seller_role(*, seller: Seller, user) -> str | None:
    """The user's role in the pesantren's team (TeamRole), or None when it is not on the team.

    The account owner is always an owner; other members have the role of their TeamMembership, and
    partner staff without one (added before teams existed) are staff.
    """
    if user is None or not user.is_authenticated:
        return None
    if seller.owner_id == user.pk:
        return TeamRole.OWNER
    membership = TeamMembership.objects.filter(seller=seller, user=user).only("role").first()
    if membership is not None:
        return membership.role
    if seller.partner_id and seller.partner.users.filter(pk=user.pk).exists():
        return TeamRole.STAFF
    return None


def is_seller_owner(*, seller: Seller, user) -> bool:
    return seller_role(seller=seller, user=user) == TeamRole.OWNER


def owner_emails(*, seller: Seller) -> list[str]:
    """Every owner's email address: the account owner first, then members invited as owners."""
    emails = [seller.owner.email] if seller.owner.email else []
    for email in (
        TeamMembership.objects.filter(seller=seller, role=TeamRole.OWNER)
        .exclude(user_id=seller.owner_id)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    ):
        if email and email not in emails:
            emails.append(email)
    return emails


def is_read_only(seller: Seller | None) -> bool:
    """A suspended pesantren's dashboard may be looked at, not changed."""
    return seller is not None and seller.status == SellerStatus.SUSPENDED


def suspended_message() -> str:
    return _(
        "Your shop is suspended by the programme office: its pages can only be viewed, and nothing can be "
        "changed, except fulfilling orders already placed."
    )


def owner_only_message() -> str:
    return _("Only an owner of the pesantren can do this.")


class PesantrenStaffRequiredMixin(LoginRequiredMixin):
    """Pages of a pesantren's own dashboard. Sets `self.seller`, `self.seller_role` and `self.is_owner`.

    Anonymous visitors are sent to sign in; anyone who does not work for a pesantren gets 404, never
    another pesantren's data.
    """

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.seller = seller_for_user(user=request.user)
        if self.seller is None or not request.user.has_perm(DASHBOARD_PERMISSION):
            raise Http404
        self.seller_role = seller_role(seller=self.seller, user=request.user)
        self.is_owner = self.seller_role == TeamRole.OWNER
        self.check_role()
        return super().dispatch(request, *args, **kwargs)

    def check_role(self) -> None:
        """Subclasses refuse roles here (raise PermissionDenied)."""


class PesantrenOwnerRequiredMixin(PesantrenStaffRequiredMixin):
    """Pages for the pesantren's owners only (team, bank account): its staff get 403."""

    def check_role(self) -> None:
        if not self.is_owner:
            raise PermissionDenied(owner_only_message())


def _is_dashboard_path(path: str) -> bool:
    try:
        return path.startswith(reverse("dashboard:index"))
    except NoReverseMatch:  # a URLconf without the dashboard (some tests use their own)
        return False


class SuspendedPesantrenReadOnlyMiddleware:
    """Refuses state-changing requests of a suspended pesantren's staff on every dashboard page.

    One rule for all dashboard pages, Oscar's own (products, stock alerts) and ours alike. GET and
    HEAD pass, so everything can still be seen; a view class may set `allowed_when_suspended = True`
    for work that must go on (fulfilling orders already placed).
    """

    SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in self.SAFE_METHODS or not _is_dashboard_path(request.path_info):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_staff:
            return None
        if getattr(request.resolver_match, "view_name", "") in ALWAYS_ALLOWED_URL_NAMES:
            return None
        view_class = getattr(view_func, "view_class", None)
        if getattr(view_class, "allowed_when_suspended", False):
            return None
        seller = seller_for_user(user=user)
        if not is_read_only(seller):
            return None
        return render(
            request,
            "sellers/dashboard/suspended_refused.html",
            {"seller": seller, "title": _("Shop suspended")},
            status=403,
        )

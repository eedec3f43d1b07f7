"""The one access layer of the programme: who works in it and which records each one reaches.

Every programme view and selector asks this module; no view decides scope itself.

- The **provincial office** (the `programme.view_programme` permission, a `provincial` role, or a
  superuser) reaches all of the programme province (Jawa Barat).
- A **district officer** reaches the one kabupaten/kota of each of their `district` roles: its
  kecamatan, mapped pesantren, nominations and cohort participants. Anything else is "not found"
  (404), whatever id is put in the URL.
- A **mentor** reaches only the pesantren assigned to them (`MentorAssignment`).
- **Curators** and **judges** hold their roles for curation and competitions; they reach no mapping,
  nomination or cohort page. A curator reaches only curation: its queue and the products assigned to
  it (`curation/access.py` builds those querysets on this scope); officers put products up for
  curation in their scope, and only the provincial office edits the rubric.
- A **judge** reaches only the competitions they are assigned to, and never an entry of a pesantren
  they are linked to (`linked_seller_ids`: its staff, or its mentor) or declared a conflict with.
  The competition records live above this app, so `competitions/access.py` builds its querysets
  on this scope and on `linked_seller_ids`; the rules are stated here.

Who works in the programme is itself scoped: only the provincial office grants and revokes roles;
officers assign mentors to (and end the assignments of) the pesantren of their own area. An ended
assignment is history: its mentor no longer reaches the pesantren.
"""

import dataclasses
import functools
import operator

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from programme.models import (
    AccessEvent,
    ActionItem,
    MappedPesantren,
    MentorAssignment,
    Nomination,
    Participant,
    ProgrammeRole,
    ProgrammeTarget,
    RoleKind,
    VisitPhoto,
)
from regions.models import Region, RegionLevel
from sellers.models import Seller

PROVINCIAL_PERMISSION = "programme.view_programme"
_CACHE_ATTRIBUTE = "_programme_scope"


@dataclasses.dataclass(frozen=True)
class ProgrammeScope:
    """What one user may reach in the programme. Build it with `scope_for(user)`."""

    user_id: int | None
    provincial: bool = False
    kabupaten_codes: frozenset[str] = frozenset()
    mentor: bool = False
    curator: bool = False
    judge: bool = False

    @property
    def is_officer(self) -> bool:
        """Provincial office or district officer: the people who map, nominate and run cohorts."""
        return self.provincial or bool(self.kabupaten_codes)

    @property
    def any_role(self) -> bool:
        return self.is_officer or self.mentor or self.curator or self.judge

    @property
    def home_kabupaten(self) -> str | None:
        """A district officer's kabupaten code (the first, if several); None for the provincial office."""
        if self.provincial or not self.kabupaten_codes:
            return None
        return sorted(self.kabupaten_codes)[0]

    def covers_kabupaten(self, code: str) -> bool:
        return self.provincial or code in self.kabupaten_codes

    def region_filter(self, field: str) -> Q:
        """A Q limiting `field` (a kabupaten foreign key or code) to the scope."""
        if self.provincial:
            return Q()
        return Q(**{f"{field}__in": sorted(self.kabupaten_codes)})


NO_SCOPE = ProgrammeScope(user_id=None)


def scope_for(user) -> ProgrammeScope:
    """The user's programme scope, looked up once per user object (so once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    roles = list(ProgrammeRole.objects.filter(user=user).values_list("kind", "kabupaten_id"))
    kinds = {kind for kind, _code in roles}
    scope = ProgrammeScope(
        user_id=user.pk,
        provincial=user.is_superuser or RoleKind.PROVINCIAL in kinds or user.has_perm(PROVINCIAL_PERMISSION),
        kabupaten_codes=frozenset(code for kind, code in roles if kind == RoleKind.DISTRICT and code),
        mentor=RoleKind.MENTOR in kinds,
        curator=RoleKind.CURATOR in kinds,
        judge=RoleKind.JUDGE in kinds,
    )
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


# --- Regions --------------------------------------------------------------------------------------


def province_code() -> str:
    return settings.MARKETPLACE_PROGRAMME_PROVINCE_CODE


def kabupaten_in_scope(scope: ProgrammeScope) -> QuerySet[Region]:
    if not scope.is_officer:
        return Region.objects.none()
    return Region.objects.filter(parent_id=province_code(), level=RegionLevel.REGENCY).filter(
        scope.region_filter("code")
    )


def kabupaten_for(scope: ProgrammeScope, code: str) -> Region | None:
    return kabupaten_in_scope(scope).filter(code=code).first()


def kecamatan_in_scope(scope: ProgrammeScope, *, kabupaten: Region | None = None) -> QuerySet[Region]:
    districts = Region.objects.filter(level=RegionLevel.DISTRICT, parent__in=kabupaten_in_scope(scope))
    if kabupaten is not None:
        districts = districts.filter(parent=kabupaten)
    return districts.order_by("code")


def kecamatan_for(scope: ProgrammeScope, code: str) -> Region | None:
    """A kecamatan of a kabupaten in scope (with its kabupaten), else None: the caller answers 404."""
    return kecamatan_in_scope(scope).select_related("parent").filter(code=code).first()


# --- Records --------------------------------------------------------------------------------------


def mapped_pesantren(scope: ProgrammeScope) -> QuerySet[MappedPesantren]:
    """Mapped pesantren the scope reaches: officers by kabupaten, mentors by assignment."""
    records = MappedPesantren.objects.all()
    if scope.is_officer:
        return records.filter(scope.region_filter("kabupaten_id"))
    if scope.mentor:
        return records.filter(
            mentor_assignments__mentor_id=scope.user_id, mentor_assignments__ended_at__isnull=True
        ).distinct()
    return records.none()


def mapped_pesantren_for(scope: ProgrammeScope, pk) -> MappedPesantren | None:
    return mapped_pesantren(scope).select_related("kabupaten", "kecamatan", "seller").filter(pk=pk).first()


def mapped_pesantren_editable(scope: ProgrammeScope) -> QuerySet[MappedPesantren]:
    """What a user may change (record, nominate, invite, enrol): officers only, never mentors."""
    if not scope.is_officer:
        return MappedPesantren.objects.none()
    return MappedPesantren.objects.filter(scope.region_filter("kabupaten_id"))


def nominations(scope: ProgrammeScope) -> QuerySet[Nomination]:
    if not scope.is_officer:
        return Nomination.objects.none()
    return Nomination.objects.filter(scope.region_filter("pesantren__kabupaten_id"))


def nomination_for(scope: ProgrammeScope, pk) -> Nomination | None:
    return nominations(scope).select_related("pesantren", "kecamatan").filter(pk=pk).first()


def participants(scope: ProgrammeScope) -> QuerySet[Participant]:
    if scope.is_officer:
        return Participant.objects.filter(scope.region_filter("pesantren__kabupaten_id"))
    if scope.mentor:
        return Participant.objects.filter(
            pesantren__mentor_assignments__mentor_id=scope.user_id, pesantren__mentor_assignments__ended_at__isnull=True
        ).distinct()
    return Participant.objects.none()


def participant_for(scope: ProgrammeScope, pk) -> Participant | None:
    if not scope.is_officer:
        return None
    return participants(scope).select_related("stage", "cohort", "pesantren").filter(pk=pk).first()


def mentor_assignments(scope: ProgrammeScope) -> QuerySet[MentorAssignment]:
    """The mentor's own running assignments (an ended one is out of reach)."""
    if not scope.mentor:
        return MentorAssignment.objects.none()
    return MentorAssignment.objects.filter(mentor_id=scope.user_id, ended_at__isnull=True)


def mentor_action_items(scope: ProgrammeScope) -> QuerySet[ActionItem]:
    """Action items of the mentor's own visits to the pesantren still assigned to them."""
    if not scope.mentor:
        return ActionItem.objects.none()
    return ActionItem.objects.filter(
        visit__assignment__mentor_id=scope.user_id, visit__assignment__ended_at__isnull=True
    )


def visit_photos(scope: ProgrammeScope) -> QuerySet[VisitPhoto]:
    """Visit photos: a mentor's of their running assignments, an officer's of the pesantren in their area."""
    if scope.provincial:
        return VisitPhoto.objects.all()
    allowed = []
    if scope.mentor:
        allowed.append(Q(visit__assignment__mentor_id=scope.user_id, visit__assignment__ended_at__isnull=True))
    if scope.is_officer:
        allowed.append(scope.region_filter("visit__assignment__pesantren__kabupaten_id"))
    if not allowed:
        return VisitPhoto.objects.none()
    return VisitPhoto.objects.filter(functools.reduce(operator.or_, allowed))


def assignments_managed(scope: ProgrammeScope) -> QuerySet[MentorAssignment]:
    """Running mentor assignments an officer sees and may end: those of the pesantren in their area."""
    if not scope.is_officer:
        return MentorAssignment.objects.none()
    return MentorAssignment.objects.filter(ended_at__isnull=True).filter(scope.region_filter("pesantren__kabupaten_id"))


def roles_managed(scope: ProgrammeScope) -> QuerySet[ProgrammeRole]:
    """Programme roles: only the provincial office sees, grants and revokes them."""
    if not scope.provincial:
        return ProgrammeRole.objects.none()
    return ProgrammeRole.objects.all()


def access_events(scope: ProgrammeScope) -> QuerySet[AccessEvent]:
    """The audit of grants and assignments: the province sees all, a district officer its kabupaten's
    assignments."""
    if scope.provincial:
        return AccessEvent.objects.all()
    if scope.is_officer:
        return AccessEvent.objects.filter(scope.region_filter("pesantren__kabupaten_id"))
    return AccessEvent.objects.none()


def linked_seller_ids(scope: ProgrammeScope) -> frozenset[int]:
    """Pesantren the user works for (owner, team, partner staff) or mentors: a judge's conflicts of interest."""
    if scope.user_id is None:
        return frozenset()
    linked = Seller.objects.filter(
        Q(owner_id=scope.user_id)
        | Q(partner__users__id=scope.user_id)
        | Q(team_memberships__user_id=scope.user_id)
        | Q(mapped_record__mentor_assignments__mentor_id=scope.user_id)
    )
    return frozenset(linked.values_list("pk", flat=True).distinct())


def targets_editable(scope: ProgrammeScope) -> QuerySet[ProgrammeTarget]:
    """Targets are the province's: only the provincial office edits them."""
    if not scope.provincial:
        return ProgrammeTarget.objects.none()
    return ProgrammeTarget.objects.all()


def officer_records(scope: ProgrammeScope, records: QuerySet, *, kabupaten_field: str = "kabupaten_id") -> QuerySet:
    """Records of an app above programme (events, ...) that officers run per kabupaten: the provincial
    office reaches all, a district officer those of its kabupaten, everyone else none."""
    if not scope.is_officer:
        return records.none()
    return records.filter(scope.region_filter(kabupaten_field))


def may_run_events(scope: ProgrammeScope) -> bool:
    """Programme events (trainings, business meetings, ...) are created and run by officers."""
    return scope.is_officer


# --- View mixins ----------------------------------------------------------------------------------


class _ScopeRequiredMixin(LoginRequiredMixin):
    """Signed-in users whose scope passes `allowed(scope)`; others get 403. Sets `self.scope`."""

    def allowed(self, scope: ProgrammeScope) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.scope = scope_for(request.user)
        if not self.allowed(self.scope):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProvincialOfficeRequiredMixin(_ScopeRequiredMixin):
    """Province-wide pages: overview, all kabupaten, directory, exports, targets and cohorts set-up."""

    def allowed(self, scope):
        return scope.provincial


class ProgrammeOfficerRequiredMixin(_ScopeRequiredMixin):
    """Pages of the provincial office and district officers; objects are then looked up in scope."""

    def allowed(self, scope):
        return scope.is_officer


class MentorRequiredMixin(_ScopeRequiredMixin):
    def allowed(self, scope):
        return scope.mentor


# --- Curation (the curation app's pages ask these; its querysets live in curation/access.py) -------


def can_work_in_curation(scope: ProgrammeScope) -> bool:
    """Officers (who put products up, in their scope) and curators (who score them) open curation pages."""
    return scope.is_officer or scope.curator


def can_request_curation(scope: ProgrammeScope) -> bool:
    return scope.is_officer


def can_edit_rubric(scope: ProgrammeScope) -> bool:
    """The rubric is the province's: only the provincial office edits it."""
    return scope.provincial


class CurationWorkRequiredMixin(_ScopeRequiredMixin):
    """The curation queue and a curation's page: officers and curators; objects are then looked up in scope."""

    def allowed(self, scope):
        return can_work_in_curation(scope)


class CurationRequestRequiredMixin(_ScopeRequiredMixin):
    """Putting a product up for curation, or withdrawing it: officers, for pesantren in their scope."""

    def allowed(self, scope):
        return can_request_curation(scope)


class CuratorRequiredMixin(_ScopeRequiredMixin):
    """Taking and scoring a curation: curators only."""

    def allowed(self, scope):
        return scope.curator


class RubricEditorRequiredMixin(_ScopeRequiredMixin):
    def allowed(self, scope):
        return can_edit_rubric(scope)


class JudgeRequiredMixin(_ScopeRequiredMixin):
    """Judges' pages: then only the competitions they are assigned to (competitions/access.py)."""

    def allowed(self, scope):
        return scope.judge


class ProvincialOrJudgeRequiredMixin(_ScopeRequiredMixin):
    """Pages of a competition shown to the provincial office, and (blind, scoped) to its judges."""

    def allowed(self, scope):
        return scope.provincial or scope.judge


class MentorOrOfficerRequiredMixin(_ScopeRequiredMixin):
    """Pages shared by mentors and officers (a visit's photos); the object is then looked up in scope."""

    def allowed(self, scope):
        return scope.mentor or scope.is_officer


def can_open_url(user, url_name: str) -> bool:
    """For the dashboard menu: whether the programme page `url_name` is open to the user at all."""
    scope = scope_for(user)
    namespace, _colon, short = url_name.partition(":")
    if namespace == "competitions":
        return scope.provincial or scope.judge
    if short in PROVINCIAL_URL_NAMES:
        return scope.provincial
    if short in MENTOR_URL_NAMES:
        return scope.mentor
    return scope.is_officer


def home_url_name(scope: ProgrammeScope) -> str:
    """The first programme page of a user's roles: where the programme centre's name leads them."""
    if scope.is_officer:
        return "programme:overview"
    if scope.mentor:
        return "programme:mentor-home"
    if scope.curator:
        return "curation:queue"
    if scope.judge:
        return "competitions:list"
    return "dashboard:index"


def can_open_curation_url(user, url_name: str) -> bool:
    """For the dashboard menu: whether the curation page `url_name` (curation:<name>) is open to the user."""
    scope = scope_for(user)
    short = url_name.partition(":")[2]
    if short in RUBRIC_URL_NAMES:
        return can_edit_rubric(scope)
    if short in CURATION_REQUEST_URL_NAMES:
        return can_request_curation(scope)
    return can_work_in_curation(scope)


# Menu entries (programme:<name>) by who may open them.
PROVINCIAL_URL_NAMES = {"mapping"}
MENTOR_URL_NAMES = {"mentor-home", "mentor-visits"}
# Curation entries (curation:<name>) by who may open them; the rest are the queue's (officers, curators).
RUBRIC_URL_NAMES = {"rubric", "rubric-edit"}
CURATION_REQUEST_URL_NAMES = {"request"}
PROVINCIAL_URL_NAMES = {"mapping", "roles", "role-revoke"}
MENTOR_URL_NAMES = {"mentor-home", "mentor-visits", "mentor-action-done"}

"""The one access layer of the programme: who works in it and which records each one reaches.

Every programme view and selector asks this module; no view decides scope itself.

- The **provincial office** (the `programme.view_programme` permission, a `provincial` role, or a
  superuser) reaches all of the programme province (Jawa Barat).
- A **district officer** reaches the one kabupaten/kota of each of their `district` roles: its
  kecamatan, mapped pesantren, nominations and cohort participants. Anything else is "not found"
  (404), whatever id is put in the URL.
- A **mentor** reaches only the pesantren assigned to them (`MentorAssignment`).
- **Curators** and **judges** hold their roles for curation and competitions; they reach no mapping,
  nomination or cohort page.
"""

import dataclasses

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from programme.models import (
    MappedPesantren,
    MentorAssignment,
    Nomination,
    Participant,
    ProgrammeRole,
    ProgrammeTarget,
    RoleKind,
)
from regions.models import Region, RegionLevel

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
        return records.filter(mentor_assignments__mentor_id=scope.user_id).distinct()
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
        return Participant.objects.filter(pesantren__mentor_assignments__mentor_id=scope.user_id).distinct()
    return Participant.objects.none()


def participant_for(scope: ProgrammeScope, pk) -> Participant | None:
    if not scope.is_officer:
        return None
    return participants(scope).select_related("stage", "cohort", "pesantren").filter(pk=pk).first()


def mentor_assignments(scope: ProgrammeScope) -> QuerySet[MentorAssignment]:
    if not scope.mentor:
        return MentorAssignment.objects.none()
    return MentorAssignment.objects.filter(mentor_id=scope.user_id)


def targets_editable(scope: ProgrammeScope) -> QuerySet[ProgrammeTarget]:
    """Targets are the province's: only the provincial office edits them."""
    if not scope.provincial:
        return ProgrammeTarget.objects.none()
    return ProgrammeTarget.objects.all()


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


def can_open_url(user, url_name: str) -> bool:
    """For the dashboard menu: whether the programme page `url_name` is open to the user at all."""
    scope = scope_for(user)
    short = url_name.partition(":")[2]
    if short in PROVINCIAL_URL_NAMES:
        return scope.provincial
    if short in MENTOR_URL_NAMES:
        return scope.mentor
    return scope.is_officer


# Menu entries (programme:<name>) by who may open them.
PROVINCIAL_URL_NAMES = {"mapping"}
MENTOR_URL_NAMES = {"mentor-home", "mentor-visits"}

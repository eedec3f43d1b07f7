from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.identifiers import validate_nspp
from core.invitations import InvitationBase
from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed
from sellers.storage import private_storage


class TargetMeasure(models.TextChoices):
    """Which pesantren a target counts."""

    REGISTERED = "registered", _("Registered pesantren")
    VERIFIED = "verified", _("Verified pesantren")
    SELLING = "selling", _("Selling pesantren")


class ProgrammeTarget(models.Model):
    """A goal of the programme office, e.g. 1,250 verified pesantren by the end of the first year.

    Edited by the provincial office in the programme dashboard (per cohort); the overview shows the
    progress towards each one.
    The model also carries the `view_programme` permission of the programme officer role.
    """

    cohort = models.ForeignKey(
        "programme.Cohort",
        verbose_name=_("cohort"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    name = models.CharField(_("name"), max_length=128)
    target_count = models.PositiveIntegerField(
        _("target count"), validators=[MinValueValidator(1)], help_text=_("Number of pesantren to reach.")
    )
    deadline = models.DateField(_("deadline"))
    measure = models.CharField(
        _("counts"),
        max_length=20,
        choices=TargetMeasure.choices,
        default=TargetMeasure.VERIFIED,
        help_text=_("Which pesantren count towards the target."),
    )

    class Meta:
        ordering = ["deadline", "target_count"]
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        permissions = [("view_programme", _("Can view the programme office dashboard"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(target_count__gte=1), name="programme_target_positive")
        ]

    def __str__(self):
        return self.name


# --- Roles and their scope -------------------------------------------------------------------------


class RoleKind(models.TextChoices):
    """Who works in the programme, and over what (programme/access.py decides what each may reach)."""

    PROVINCIAL = "provincial", _("Provincial office")
    DISTRICT = "district", _("District officer")
    MENTOR = "mentor", _("Mentor")
    CURATOR = "curator", _("Curator")
    JUDGE = "judge", _("Judge")


class ProgrammeRole(models.Model):
    """A programme role held by a user. A district officer's role names the one kabupaten it covers.

    A user may hold several roles (a mentor who is also a judge); each at most once. The older
    `view_programme` permission still means the provincial office (programme/access.py).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="programme_roles"
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    kabupaten = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kabupaten/kota"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("District officers only: the kabupaten/kota they work for."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["user_id", "kind"]
        verbose_name = _("programme role")
        verbose_name_plural = _("programme roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="programme_role_once_per_user"),
            models.CheckConstraint(
                condition=(models.Q(kind="district") & models.Q(kabupaten__isnull=False))
                | (~models.Q(kind="district") & models.Q(kabupaten__isnull=True)),
                name="programme_role_kabupaten_for_district_only",
            ),
        ]

    def __str__(self):
        if self.kabupaten_id:
            return f"{self.user} — {self.get_kind_display()} ({self.kabupaten_id})"
        return f"{self.user} — {self.get_kind_display()}"


# --- Mapping: pesantren of each kecamatan, registered or not yet ------------------------------------


class MappedPesantren(models.Model):
    """A pesantren a district office has recorded in one of its kecamatan, registered or not yet.

    `seller` links the marketplace registration once there is one (same NSPP). Written only through
    programme.services (by form or CSV import).
    """

    name = models.CharField(_("pesantren name"), max_length=128)
    nspp = models.CharField(
        _("NSPP"),
        max_length=12,
        unique=True,
        validators=[validate_nspp],
        help_text=_("12 digits, starting with 51."),
        error_messages={"unique": _("A pesantren with this NSPP is already mapped.")},
    )
    kabupaten = models.ForeignKey(
        "regions.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+"
    )
    kecamatan = models.ForeignKey(
        "regions.Region", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    business_units = models.TextField(
        _("business units"), blank=True, help_text=_("What the pesantren already runs, e.g. catfish ponds, a bakery.")
    )
    products = models.TextField(_("products"), blank=True, help_text=_("Products it already makes or sells."))
    contact_name = models.CharField(_("contact name"), max_length=128, blank=True)
    email = models.EmailField(_("email"), blank=True, help_text=_("Where an invitation to register is sent."))
    seller = models.OneToOneField(
        "sellers.Seller",
        verbose_name=_("registered pesantren"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mapped_record",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kecamatan_id", "name", "pk"]
        verbose_name = _("mapped pesantren")
        verbose_name_plural = _("mapped pesantren")
        indexes = [models.Index(fields=["kabupaten", "kecamatan"])]

    def __str__(self):
        return self.name


class PesantrenInvitation(InvitationBase):
    """An emailed invitation to a mapped pesantren to register, with its application pre-filled."""

    pesantren = models.ForeignKey(
        MappedPesantren, verbose_name=_("mapped pesantren"), on_delete=models.CASCADE, related_name="invitations"
    )

    class Meta(InvitationBase.Meta):
        verbose_name = _("registration invitation")
        verbose_name_plural = _("registration invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["pesantren"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="pesantren_invitation_one_open",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.pesantren}"


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Nomination(models.Model):
    """A kecamatan's nomination of one of its mapped pesantren to the programme.

    Each kecamatan nominates at least one; a pesantren holds at most one standing nomination.
    Created and withdrawn only through programme.services, which writes a NominationEvent.
    """

    pesantren = models.ForeignKey(
        MappedPesantren, verbose_name=_("pesantren"), on_delete=models.PROTECT, related_name="nominations"
    )
    kecamatan = models.ForeignKey(
        "regions.Region", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NominationStatus.choices, default=NominationStatus.NOMINATED
    )
    reason = models.TextField(_("reason"), blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("nominated by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("nominated"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["pesantren"], condition=models.Q(status="nominated"), name="nomination_one_standing"
            )
        ]

    def __str__(self):
        return f"{self.pesantren} ({self.get_status_display()})"


class NominationEvent(StatusEvent):
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="events"
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("nomination event")
        verbose_name_plural = _("nomination history")


class NominationTransitionError(TransitionNotAllowed):
    pass


NOMINATION_MACHINE = StateMachine(
    model=Nomination,
    transitions={NominationStatus.NOMINATED: {NominationStatus.WITHDRAWN}, NominationStatus.WITHDRAWN: set()},
    event_model=NominationEvent,
    event_fk="nomination",
    error=NominationTransitionError,
)


# --- Cohorts and their stages ----------------------------------------------------------------------

DEFAULT_STAGES = [
    ("registered", _("Registered")),
    ("administrative_check", _("Administrative check")),
    ("mentoring", _("Mentoring and apprenticeship")),
    ("curation", _("Curation")),
    ("champion", _("Champion")),
]


class Cohort(models.Model):
    """A programme year: its pesantren, the stages they move through and the year's targets."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(_("name"), max_length=128)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self):
        return self.name


class Stage(models.Model):
    """One step of a cohort's path, in `position` order (configurable per cohort)."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["cohort_id", "position"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "position"], name="stage_position_unique"),
            models.UniqueConstraint(fields=["cohort", "code"], name="stage_code_unique"),
        ]

    def __str__(self):
        return self.name


class Participant(models.Model):
    """A registered pesantren taking part in a cohort, at one of its stages.

    The stage changes only through programme.services.participant_move, which writes a StageEvent.
    """

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="participants")
    pesantren = models.ForeignKey(
        MappedPesantren, verbose_name=_("pesantren"), on_delete=models.PROTECT, related_name="participations"
    )
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="participants")
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["cohort_id", "pesantren__name", "pk"]
        verbose_name = _("cohort participant")
        verbose_name_plural = _("cohort participants")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "pesantren"], name="participant_once_per_cohort"),
        ]

    def __str__(self):
        return f"{self.pesantren} — {self.stage}"


class StageEvent(models.Model):
    """The history of a participant's stages: every move, who made it, when and why."""

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="events"
    )
    from_stage = models.ForeignKey(
        Stage, verbose_name=_("from stage"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, verbose_name=_("to stage"), on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("stage event")
        verbose_name_plural = _("stage history")

    def __str__(self):
        return f"{self.participant_id}: {self.from_stage_id or '-'} → {self.to_stage_id}"


# --- Mentoring -------------------------------------------------------------------------------------


class MentorAssignment(models.Model):
    """A mentor assigned to a pesantren: the mentor's whole scope (programme/access.py)."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="mentor_assignments"
    )
    pesantren = models.ForeignKey(
        MappedPesantren, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="mentor_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    ended_at = models.DateTimeField(
        _("ended"),
        null=True,
        blank=True,
        help_text=_("When the assignment ended; its visits stay on record, the mentor no longer reaches them."),
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["pesantren__name", "pk"]
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        # A mentor holds one running assignment per pesantren; ended ones are kept as history.
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "pesantren"], condition=models.Q(ended_at__isnull=True), name="mentor_assignment_once"
            )
        ]

    def __str__(self):
        return f"{self.mentor} → {self.pesantren}"


class MentorVisit(models.Model):
    """A mentor's visit to an assigned pesantren: when, what was worked on, and what comes next."""

    assignment = models.ForeignKey(
        MentorAssignment, verbose_name=_("mentor assignment"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(_("visit date"))
    topics = models.CharField(_("topics"), max_length=255, help_text=_("What was worked on, e.g. packaging, pricing."))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("mentor visit")
        verbose_name_plural = _("mentor visits")

    def __str__(self):
        return f"{self.assignment.pesantren} — {self.visited_on}"


class ActionItem(models.Model):
    """Something the pesantren (or the mentor) agreed to do after a visit, by a due date."""

    visit = models.ForeignKey(
        MentorVisit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="action_items"
    )
    description = models.CharField(_("action"), max_length=255)
    due_on = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True, help_text=_("When the mentor marked it done."))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [
            models.Index(fields=["due_on"], condition=models.Q(done_at__isnull=True), name="action_item_open_due")
        ]

    def __str__(self):
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today) -> bool:
        return self.done_at is None and self.due_on < today


def visit_photo_path(photo: "VisitPhoto", filename: str) -> str:
    """A random name: the file is served only through the programme's access check, never by its path."""
    import uuid

    extension = filename.rpartition(".")[2].lower()[:5] if "." in filename else "jpg"
    return f"programme/visits/{uuid.uuid4().hex}.{extension}"


class VisitPhoto(models.Model):
    """A photo taken on a mentor visit (products, packaging, the workshop). Kept out of MEDIA_ROOT:
    programme views serve it to those who reach the visit's pesantren (programme/access.py)."""

    visit = models.ForeignKey(MentorVisit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=visit_photo_path, storage=private_storage)
    content_type = models.CharField(_("file type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self):
        return f"{self.visit} — {self.pk}"


# --- Audit of who may do what ----------------------------------------------------------------------


class AccessAction(models.TextChoices):
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REVOKED = "role_revoked", _("Role revoked")
    MENTOR_ASSIGNED = "mentor_assigned", _("Mentor assigned")
    MENTOR_ENDED = "mentor_ended", _("Mentor assignment ended")


class AccessEvent(models.Model):
    """Audit row of every role grant or revocation and every mentor assignment made or ended:
    who did it, when, and what (the user, role, kabupaten or pesantren). Written only by
    programme.services; the user's email is copied so the row still reads after the user is gone."""

    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_email = models.EmailField(_("user's email"))
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    kabupaten = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kabupaten/kota"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pesantren = models.ForeignKey(
        MappedPesantren,
        verbose_name=_("pesantren"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("programme access event")
        verbose_name_plural = _("programme access history")

    def __str__(self):
        return f"{self.get_action_display()}: {self.user_email} ({self.kind})"

"""Curation (kurasi): a weighted rubric, versioned, and the queue of products curators score on it.

- A `Rubric` is one version of the scoring sheet: criteria grouped in sections, each worth some
  points, 100 in all (as Vietnam's OCOP: product and community, marketing and story, quality).
  The provincial office edits it in the programme dashboard; every edit creates the next version, so
  a finalised curation keeps the version (and the criteria) it was scored on.
- A `Curation` is one product put up for curation by programme staff: queued, taken by (or
  assigned to) a curator, then finalised with one `CriterionScore` per criterion. The total maps to
  stars (`stars_for_points`), valid for the rubric's validity period; curation.services copies them
  onto catalogue.Product, where the listing pages read them.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed

RUBRIC_TOTAL_POINTS = 100
MAX_CRITERION_POINTS = 100
MAX_VALIDITY_MONTHS = 120
DEFAULT_VALIDITY_MONTHS = 36

# Stars by total points (out of 100), highest first: 90+ 5★, 70+ 4★, 50+ 3★, 30+ 2★, below 30 1★.
# These are OCOP's published bands (Decision 1048/QD-TTg): every finalised curation earns 1 to 5 stars.
STAR_THRESHOLDS: tuple[tuple[int, int], ...] = ((90, 5), (70, 4), (50, 3), (30, 2), (0, 1))


def stars_for_points(points: int) -> int:
    """The stars of a total out of 100 (STAR_THRESHOLDS)."""
    for lower, stars in STAR_THRESHOLDS:
        if points >= lower:
            return stars
    return 1


class Rubric(models.Model):
    """One version of the curation rubric. The newest version is the current one; none is ever edited."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    validity_months = models.PositiveSmallIntegerField(
        _("stars valid for (months)"),
        default=DEFAULT_VALIDITY_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VALIDITY_MONTHS)],
        help_text=_("How long the stars of a curation scored on this version stay valid."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("curation rubric")
        verbose_name_plural = _("curation rubrics")

    def __str__(self):
        return _("Rubric version %(version)s") % {"version": self.version}

    @property
    def total_points(self) -> int:
        return sum(criterion.max_points for criterion in self.criteria.all())

    def sections(self) -> list[tuple[str, list["Criterion"]]]:
        """The criteria grouped by section, in order (uses the prefetched criteria)."""
        grouped: dict[str, list[Criterion]] = {}
        for criterion in self.criteria.all():
            grouped.setdefault(criterion.section, []).append(criterion)
        return list(grouped.items())


class Criterion(models.Model):
    """One line of a rubric version: what the curator judges and how many points it is worth at most."""

    rubric = models.ForeignKey(Rubric, verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    section = models.CharField(_("section"), max_length=80)
    name = models.CharField(_("criterion"), max_length=160)
    max_points = models.PositiveSmallIntegerField(
        _("maximum points"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CRITERION_POINTS)]
    )

    class Meta:
        ordering = ["rubric_id", "position"]
        verbose_name = _("curation criterion")
        verbose_name_plural = _("curation criteria")
        constraints = [
            models.UniqueConstraint(fields=["rubric", "position"], name="curation_criterion_position_unique"),
            models.CheckConstraint(condition=models.Q(max_points__gte=1), name="curation_criterion_points_positive"),
        ]

    def __str__(self):
        return f"{self.section}: {self.name} ({self.max_points})"


class CurationStatus(models.TextChoices):
    QUEUED = "queued", _("In the queue")
    ASSIGNED = "assigned", _("With a curator")
    FINALISED = "finalised", _("Finalised")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (CurationStatus.QUEUED, CurationStatus.ASSIGNED)


class Curation(models.Model):
    """A product put up for curation, and once finalised its score, stars and their validity.

    Status changes only through curation.services (CURATION_MACHINE), which writes a CurationEvent.
    `seller` is the product's pesantren when it was put up: programme/access scopes by its kabupaten.
    """

    product = models.ForeignKey(
        "catalogue.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="curations"
    )
    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="curations"
    )
    rubric = models.ForeignKey(Rubric, verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="curations")
    status = models.CharField(_("status"), max_length=20, choices=CurationStatus.choices, default=CurationStatus.QUEUED)
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("curator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="curations_assigned",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("put up by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    total_points = models.PositiveSmallIntegerField(_("total points"), null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True)
    curator_note = models.TextField(_("curator's note"), max_length=2000, blank=True)
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    valid_until = models.DateField(_("stars valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("put up"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("curation")
        verbose_name_plural = _("curations")
        constraints = [
            # One open curation per product at a time.
            models.UniqueConstraint(
                fields=["product"],
                condition=models.Q(status__in=["queued", "assigned"]),
                name="curation_one_open_per_product",
            ),
            models.CheckConstraint(
                condition=models.Q(stars__isnull=True) | models.Q(stars__gte=1, stars__lte=5),
                name="curation_stars_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until"], name="curation_status_valid")]

    def __str__(self):
        return f"{self.product} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def stars_valid_on(self, day: datetime.date) -> bool:
        return self.status == CurationStatus.FINALISED and self.valid_until is not None and self.valid_until >= day


class CriterionScore(models.Model):
    """The points a curator gave one criterion of a curation, within 0 and the criterion's maximum."""

    curation = models.ForeignKey(Curation, verbose_name=_("curation"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    points = models.PositiveSmallIntegerField(_("points"), validators=[MaxValueValidator(MAX_CRITERION_POINTS)])

    class Meta:
        ordering = ["curation_id", "criterion__position"]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["curation", "criterion"], name="curation_score_once_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion.name}: {self.points}"


class CurationEvent(StatusEvent):
    curation = models.ForeignKey(Curation, verbose_name=_("curation"), on_delete=models.CASCADE, related_name="events")

    class Meta(StatusEvent.Meta):
        verbose_name = _("curation event")
        verbose_name_plural = _("curation history")


class CurationTransitionError(TransitionNotAllowed):
    pass


CURATION_MACHINE = StateMachine(
    model=Curation,
    transitions={
        CurationStatus.QUEUED: {CurationStatus.ASSIGNED, CurationStatus.WITHDRAWN},
        CurationStatus.ASSIGNED: {CurationStatus.FINALISED, CurationStatus.QUEUED, CurationStatus.WITHDRAWN},
        CurationStatus.FINALISED: set(),
        CurationStatus.WITHDRAWN: set(),
    },
    event_model=CurationEvent,
    event_fk="curation",
    error=CurationTransitionError,
)

"""Competitions (lomba produk unggulan): a rubric, rounds, entries, judges and their scores.

The provincial office creates a competition with its criteria (max points and weight) and rounds;
pesantren enter their own products while it is open; judges assigned to it score each entry once
per round (a scorecard they may edit until the round closes); closing a round ranks the entries and
advances the top N, and closing the final round awards juara 1–3 and harapan. Every status moves
through a StateMachine below (core/transitions.py). Writes only in competitions.services.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed
from sellers.models import Sector

MAX_POINTS_LIMIT = 100
MAX_WEIGHT = 100


class CompetitionStatus(models.TextChoices):
    OPEN = "open", _("Open for entries")
    JUDGING = "judging", _("Judging")
    FINISHED = "finished", _("Finished")


class Competition(models.Model):
    name = models.CharField(_("name"), max_length=128)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    sector = models.CharField(
        _("sector"), max_length=20, choices=Sector.choices, blank=True, help_text=_("Empty: every sector.")
    )
    opens_on = models.DateField(_("entries open"))
    closes_on = models.DateField(_("entries close"))
    blind = models.BooleanField(
        _("blind judging"), default=True, help_text=_("Judges do not see the pesantren's name or storefront.")
    )
    harapan_count = models.PositiveSmallIntegerField(
        _("honourable mentions"), default=1, validators=[MaxValueValidator(10)]
    )
    status = models.CharField(_("status"), max_length=20, choices=CompetitionStatus.choices, default="open")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "name", "pk"]
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="competition_closes_after_opening"
            )
        ]

    def __str__(self):
        return f"{self.name} {self.year}"


class CompetitionEvent(StatusEvent):
    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="events"
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("competition event")
        verbose_name_plural = _("competition history")


class CompetitionTransitionError(TransitionNotAllowed):
    pass


COMPETITION_MACHINE = StateMachine(
    model=Competition,
    transitions={
        CompetitionStatus.OPEN: {CompetitionStatus.JUDGING},
        CompetitionStatus.JUDGING: {CompetitionStatus.FINISHED},
        CompetitionStatus.FINISHED: set(),
    },
    event_model=CompetitionEvent,
    event_fk="competition",
    error=CompetitionTransitionError,
)


class Criterion(models.Model):
    """One line of the competition's rubric: a judge gives 0..max_points; weights share the total."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("criterion"), max_length=128)
    max_points = models.PositiveSmallIntegerField(
        _("maximum points"), validators=[MinValueValidator(1), MaxValueValidator(MAX_POINTS_LIMIT)]
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(MAX_WEIGHT)]
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["competition_id", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["competition", "position"], name="criterion_position_unique"),
            models.CheckConstraint(condition=models.Q(max_points__gte=1), name="criterion_max_points_positive"),
            models.CheckConstraint(condition=models.Q(weight__gte=1), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.name


class RoundStatus(models.TextChoices):
    PENDING = "pending", _("Not started")
    OPEN = "open", _("Judging")
    CLOSED = "closed", _("Closed")


class Round(models.Model):
    """A stage of judging (seleksi administrasi, penjurian, final). The last one is the final."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="rounds"
    )
    name = models.CharField(_("round"), max_length=64)
    position = models.PositiveSmallIntegerField(_("position"))
    advance_count = models.PositiveSmallIntegerField(
        _("entries that advance"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("How many of the best entries go on to the next round; empty for the final."),
    )
    status = models.CharField(_("status"), max_length=20, choices=RoundStatus.choices, default="pending")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["competition_id", "position"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [models.UniqueConstraint(fields=["competition", "position"], name="round_position_unique")]

    def __str__(self):
        return self.name


class RoundEvent(StatusEvent):
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="events")

    class Meta(StatusEvent.Meta):
        verbose_name = _("round event")
        verbose_name_plural = _("round history")


class RoundTransitionError(TransitionNotAllowed):
    pass


ROUND_MACHINE = StateMachine(
    model=Round,
    transitions={
        RoundStatus.PENDING: {RoundStatus.OPEN},
        RoundStatus.OPEN: {RoundStatus.CLOSED},
        RoundStatus.CLOSED: set(),
    },
    event_model=RoundEvent,
    event_fk="round",
    error=RoundTransitionError,
)


class EntryStatus(models.TextChoices):
    ENTERED = "entered", _("Entered")
    ADVANCED = "advanced", _("Advanced")
    FINALIST = "finalist", _("Finalist")
    AWARDED = "awarded", _("Winner")
    ELIMINATED = "eliminated", _("Not advanced")


class Award(models.TextChoices):
    JUARA_1 = "juara_1", _("1st place")
    JUARA_2 = "juara_2", _("2nd place")
    JUARA_3 = "juara_3", _("3rd place")
    HARAPAN = "harapan", _("Honourable mention")


class Entry(models.Model):
    """One product of a pesantren in a competition; `round` is the round it competes in now."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="entries"
    )
    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="competition_entries"
    )
    product = models.ForeignKey(
        "catalogue.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="competition_entries"
    )
    code = models.CharField(_("entry code"), max_length=16)
    round = models.ForeignKey(
        Round, verbose_name=_("round"), null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    status = models.CharField(_("status"), max_length=20, choices=EntryStatus.choices, default="entered")
    award = models.CharField(_("award"), max_length=20, choices=Award.choices, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["competition_id", "code"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["competition", "product"], name="entry_once_per_product"),
            models.UniqueConstraint(fields=["competition", "code"], name="entry_code_unique"),
        ]

    def __str__(self):
        return self.code


class EntryEvent(StatusEvent):
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="events")

    class Meta(StatusEvent.Meta):
        verbose_name = _("entry event")
        verbose_name_plural = _("entry history")


class EntryTransitionError(TransitionNotAllowed):
    pass


ENTRY_MACHINE = StateMachine(
    model=Entry,
    transitions={
        EntryStatus.ENTERED: {EntryStatus.ADVANCED, EntryStatus.FINALIST, EntryStatus.ELIMINATED},
        # Advancing again (a third round before the final) is a move to the same status: one event.
        EntryStatus.ADVANCED: {EntryStatus.ADVANCED, EntryStatus.FINALIST, EntryStatus.ELIMINATED},
        EntryStatus.FINALIST: {EntryStatus.AWARDED},
        EntryStatus.AWARDED: set(),
        EntryStatus.ELIMINATED: set(),
    },
    event_model=EntryEvent,
    event_fk="entry",
    kinds={
        EntryStatus.ADVANCED: "advanced",
        EntryStatus.FINALIST: "finalist",
        EntryStatus.AWARDED: "awarded",
        EntryStatus.ELIMINATED: "eliminated",
    },
    error=EntryTransitionError,
)


class CompetitionJudge(models.Model):
    """A judge (programme role `judge`) assigned to a competition: the only competitions they see."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="judges"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="judging"
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        ordering = ["competition_id", "pk"]
        verbose_name = _("competition judge")
        verbose_name_plural = _("competition judges")
        constraints = [models.UniqueConstraint(fields=["competition", "judge"], name="competition_judge_once")]

    def __str__(self):
        return f"{self.judge} → {self.competition}"


class JudgeConflict(models.Model):
    """A declared conflict of interest: the judge never sees nor scores this pesantren's entries."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="conflicts"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="+"
    )
    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("declared by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        ordering = ["competition_id", "pk"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["competition", "judge", "seller"], name="judge_conflict_once")]

    def __str__(self):
        return f"{self.judge} × {self.seller}"


class Scorecard(models.Model):
    """A judge's scores of one entry in one round: once per round, editable until the round closes."""

    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="scorecards")
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="scorecards")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("scored"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["round_id", "entry_id", "pk"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [models.UniqueConstraint(fields=["entry", "round", "judge"], name="scorecard_once_per_round")]

    def __str__(self):
        return f"{self.entry} / {self.round} / {self.judge}"


class Score(models.Model):
    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"), validators=[MaxValueValidator(MAX_POINTS_LIMIT)])

    class Meta:
        ordering = ["scorecard_id", "criterion__position"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["scorecard", "criterion"], name="score_once_per_criterion")]

    def __str__(self):
        return f"{self.criterion}: {self.points}"

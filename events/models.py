"""Programme events: trainings, apprenticeships, business meetings and exhibitions.

An `Event` belongs to one kabupaten (the district officer of that kabupaten runs it). Pesantren, and
for business meetings companies, register; a `Registration` is registered, waitlisted (over
capacity), cancelled or attended (checked in), and moves only through `REGISTRATION_MACHINE`.
Business meetings have one-to-one `Meeting`s between a company's and a pesantren's registrations;
exhibitions a curated `ShowcaseItem` list of the exhibitors' products.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed


class EventKind(models.TextChoices):
    TRAINING = "training", _("Training")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    BUSINESS_MEETING = "business_meeting", _("Business meeting")
    EXHIBITION = "exhibition", _("Exhibition")


class Event(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    kabupaten = models.ForeignKey(
        "regions.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+"
    )
    venue = models.CharField(_("venue"), max_length=200)
    host_seller = models.ForeignKey(
        "sellers.Seller",
        verbose_name=_("host pesantren"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_events",
        help_text=_("For an apprenticeship: the established pesantren that hosts it."),
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    registration_closes_at = models.DateTimeField(_("registration closes at"))
    capacity = models.PositiveIntegerField(_("seats"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="events_event_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="events_event_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_business_meeting(self) -> bool:
        return self.kind == EventKind.BUSINESS_MEETING

    @property
    def is_exhibition(self) -> bool:
        return self.kind == EventKind.EXHIBITION


# What programme staff set on an event (the form and events.services.event_create/event_update).
EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "kabupaten",
    "venue",
    "host_seller",
    "starts_at",
    "ends_at",
    "registration_closes_at",
    "capacity",
)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")


# Registrations holding (or waiting for) a seat: one per pesantren or company per event.
ACTIVE_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED, RegistrationStatus.ATTENDED)
SEATED_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED)


class Registration(models.Model):
    """One pesantren's (or, for business meetings, one company's) place at an event."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations")
    seller = models.ForeignKey(
        "sellers.Seller",
        verbose_name=_("pesantren"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    certificate_code = models.CharField(_("certificate code"), max_length=16, null=True, blank=True, unique=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seller__isnull=False, company__isnull=True) | Q(seller__isnull=True, company__isnull=False),
                name="events_registration_one_party",
            ),
            models.UniqueConstraint(
                fields=["event", "seller"],
                condition=Q(status__in=ACTIVE_STATUSES, seller__isnull=False),
                name="events_registration_one_per_pesantren",
            ),
            models.UniqueConstraint(
                fields=["event", "company"],
                condition=Q(status__in=ACTIVE_STATUSES, company__isnull=False),
                name="events_registration_one_per_company",
            ),
        ]

    def __str__(self):
        return f"{self.party_name} · {self.event}"

    @property
    def party_name(self) -> str:
        return self.seller.name if self.seller_id else self.company.legal_name


class RegistrationEvent(StatusEvent):
    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="events"
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("registration event")
        verbose_name_plural = _("registration history")


class RegistrationTransitionError(TransitionNotAllowed):
    pass


REGISTRATION_MACHINE = StateMachine(
    model=Registration,
    transitions={
        RegistrationStatus.REGISTERED: {RegistrationStatus.CANCELLED, RegistrationStatus.ATTENDED},
        RegistrationStatus.WAITLISTED: {RegistrationStatus.REGISTERED, RegistrationStatus.CANCELLED},
        RegistrationStatus.CANCELLED: set(),
        RegistrationStatus.ATTENDED: set(),
    },
    event_model=RegistrationEvent,
    event_fk="registration",
    kinds={
        RegistrationStatus.REGISTERED: "registered",
        RegistrationStatus.CANCELLED: "cancelled",
        RegistrationStatus.ATTENDED: "checked_in",
    },
    error=RegistrationTransitionError,
)


class Meeting(models.Model):
    """A one-to-one meeting at a business meeting: a company and a pesantren, both registered, at one time.

    The time slot is (event, starts_at, table): one meeting per slot, and neither party twice at the
    same time (the constraints; `events.services.meeting_book` also checks overlaps under the event's lock).
    """

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    table = models.CharField(_("table"), max_length=20)
    company_registration = models.ForeignKey(
        Registration, verbose_name=_("company"), on_delete=models.CASCADE, related_name="company_meetings"
    )
    seller_registration = models.ForeignKey(
        Registration, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="seller_meetings"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "table", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at", "table"], name="events_meeting_one_per_slot"),
            models.UniqueConstraint(
                fields=["company_registration", "starts_at"], name="events_meeting_company_once_at_a_time"
            ),
            models.UniqueConstraint(
                fields=["seller_registration", "starts_at"], name="events_meeting_pesantren_once_at_a_time"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="events_meeting_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.event} · {self.table} · {self.starts_at:%Y-%m-%d %H:%M}"


class ShowcaseItem(models.Model):
    """A product of a registered exhibitor picked by programme staff for an exhibition's showcase page."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="showcase_items")
    product = models.ForeignKey(
        "catalogue.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="showcase_items"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("showcase product")
        verbose_name_plural = _("showcase products")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "product"], name="events_showcase_product_once")]

    def __str__(self):
        return f"{self.event} · {self.product_id}"

"""Reads of programme events: the public calendar, one party's registrations, staff lists, showcases."""

import datetime
import itertools

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from oscar.core.loading import get_model

from events.models import ACTIVE_STATUSES, SEATED_STATUSES, Event, EventKind, Meeting, Registration, RegistrationStatus
from programme import access as programme_access
from regions.models import Region, RegionLevel
from search.selectors import browsable_products, products_in_order

StockRecord = get_model("partner", "StockRecord")


def with_counts(events: QuerySet) -> QuerySet:
    return events.annotate(
        seated_count=Count("registrations", filter=Q(registrations__status__in=SEATED_STATUSES)),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
    )


def public_events() -> QuerySet:
    return with_counts(Event.objects.select_related("kabupaten", "host_seller"))


def calendar(*, kind: str = "", kabupaten: str = "", now=None) -> list[tuple[datetime.date, list[Event]]]:
    """Events not yet over, by month (first day of the month, events of that month)."""
    now = now or timezone.now()
    events = public_events().filter(ends_at__gte=now).order_by("starts_at", "pk")
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    if kabupaten:
        events = events.filter(kabupaten_id=kabupaten)
    months = []
    for month, group in itertools.groupby(
        events[:200], key=lambda event: timezone.localtime(event.starts_at).date().replace(day=1)
    ):
        months.append((month, list(group)))
    return months


def calendar_kabupaten() -> QuerySet[Region]:
    """Kabupaten/kota of the programme province, for the calendar's filter."""
    return Region.objects.filter(parent_id=programme_access.province_code(), level=RegionLevel.REGENCY).order_by("name")


def event_for_public(pk) -> Event | None:
    return public_events().filter(pk=pk).first()


def registration_of(*, event: Event, seller=None, company=None) -> Registration | None:
    """The active registration of this pesantren or company at the event, if any."""
    if seller is None and company is None:
        return None
    party = Q(seller=seller) if seller is not None else Q(company=company)
    return event.registrations.filter(party, status__in=ACTIVE_STATUSES).first()


def waitlist_position(registration: Registration) -> int:
    if registration.status != RegistrationStatus.WAITLISTED:
        return 0
    ahead = registration.event.registrations.filter(status=RegistrationStatus.WAITLISTED).filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


# --- A pesantren's or a company's own -------------------------------------------------------------


def seller_registrations(seller) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(seller=seller)
        .select_related("event", "event__kabupaten")
        .order_by("-event__starts_at", "-pk")
    )


def seller_registration_for(seller, pk) -> Registration | None:
    return seller_registrations(seller).filter(pk=pk).first()


def company_registrations(company) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(company=company)
        .select_related("event", "event__kabupaten")
        .order_by("-event__starts_at", "-pk")
    )


def company_registration_for(company, pk) -> Registration | None:
    return company_registrations(company).filter(pk=pk).first()


def meetings_of(registrations) -> QuerySet[Meeting]:
    """The meetings of these registrations (either side), with both parties."""
    ids = [registration.pk for registration in registrations]
    return (
        Meeting.objects.filter(Q(company_registration_id__in=ids) | Q(seller_registration_id__in=ids))
        .select_related("event", "company_registration__company", "seller_registration__seller")
        .order_by("starts_at", "table")
    )


def certificate_for_code(code: str) -> Registration | None:
    code = code.strip().upper()
    if not code or len(code) > 16:
        return None
    return (
        Registration.objects.filter(certificate_code=code, status=RegistrationStatus.ATTENDED)
        .select_related("event", "event__kabupaten", "seller")
        .first()
    )


# --- Programme staff ------------------------------------------------------------------------------


def staff_events(scope) -> QuerySet[Event]:
    return with_counts(programme_access.officer_records(scope, Event.objects.select_related("kabupaten"))).order_by(
        "-starts_at", "-pk"
    )


def staff_event_for(scope, pk) -> Event | None:
    return staff_events(scope).select_related("host_seller").filter(pk=pk).first()


def event_registrations(event: Event) -> list[Registration]:
    return list(event.registrations.select_related("seller", "company").order_by("created_at", "pk"))


def exhibitor_products(event: Event) -> list:
    """Browsable products of the pesantren with a seat at the exhibition; each carries `showcase_seller`."""
    sellers = {
        registration.seller_id: registration.seller
        for registration in event.registrations.filter(status__in=SEATED_STATUSES, seller__isnull=False).select_related(
            "seller"
        )
    }
    if not sellers:
        return []
    pairs = dict(
        StockRecord.objects.filter(partner__seller__in=list(sellers)).values_list("product_id", "partner__seller")
    )
    products = list(browsable_products().filter(pk__in=list(pairs))[:500])
    for product in products:
        product.showcase_seller = sellers[pairs[product.pk]]
    return products


def showcase_products(event: Event) -> list:
    """The showcase's product cards, in the curated order (one query and the card prefetches)."""
    return products_in_order(list(event.showcase_items.values_list("product_id", flat=True)))

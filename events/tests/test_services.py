import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from events import services, tasks
from events.models import EventKind, Meeting, Registration, RegistrationEvent, RegistrationStatus
from events.tests.helpers import make_event
from programme import access
from programme.tests.helpers import make_areas, make_district_officer, make_provincial_officer
from tests.factories import make_company, make_seller, make_seller_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    return make_areas()


def test_seats_then_waiting_list_then_a_cancellation_promotes_the_first_waitlisted(
    areas, django_capture_on_commit_callbacks
):
    event = make_event(kabupaten=areas["sukabumi"]["kabupaten"], capacity=2)
    sellers = [make_seller(regions=areas["sukabumi"]) for _ in range(4)]

    registrations = [services.register(event=event, seller=seller, actor=seller.owner) for seller in sellers]

    assert [r.status for r in registrations] == ["registered", "registered", "waitlisted", "waitlisted"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=registrations[0], actor=sellers[0].owner)
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses[registrations[0].pk] == "cancelled"
    assert statuses[registrations[2].pk] == "registered"
    assert statuses[registrations[3].pk] == "waitlisted"
    kinds = list(RegistrationEvent.objects.filter(registration=registrations[2]).values_list("kind", flat=True))
    assert kinds == ["waitlisted", "promoted"]
    assert [message.to for message in mail.outbox] == [[sellers[2].owner.email]]
    assert event.title in mail.outbox[0].subject


def test_a_pesantren_registers_once_and_not_after_registration_closed(areas):
    event = make_event(kabupaten=areas["sukabumi"]["kabupaten"])
    seller = make_seller(regions=areas["sukabumi"])
    services.register(event=event, seller=seller, actor=seller.owner)

    with pytest.raises(ValidationError, match="sudah terdaftar|already registered"):
        services.register(event=event, seller=seller, actor=seller.owner)
    closed = make_event(
        kabupaten=areas["sukabumi"]["kabupaten"], registration_closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with pytest.raises(ValidationError):
        services.register(event=closed, seller=seller, actor=seller.owner)
    assert not closed.registrations.exists()


def test_the_database_refuses_a_second_active_registration(areas):
    event = make_event(kabupaten=areas["sukabumi"]["kabupaten"])
    seller = make_seller(regions=areas["sukabumi"])
    Registration.objects.create(event=event, seller=seller, status=RegistrationStatus.REGISTERED)

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, seller=seller, status=RegistrationStatus.WAITLISTED)


def test_companies_register_only_for_business_meetings_and_unverified_pesantren_not_at_all(areas):
    training = make_event(kabupaten=areas["sukabumi"]["kabupaten"])
    company = make_company()

    with pytest.raises(ValidationError):
        services.register(event=training, company=company, actor=None)
    with pytest.raises(ValidationError):
        services.register(event=training, seller=make_seller(status="applied", regions=areas["sukabumi"]), actor=None)
    meeting = make_event(kabupaten=areas["sukabumi"]["kabupaten"], kind=EventKind.BUSINESS_MEETING)
    assert services.register(event=meeting, company=company, actor=None).status == "registered"


def test_check_in_by_token_once_with_a_certificate_and_refuses_twice_forged_and_other_events(areas):
    event = make_event(kabupaten=areas["sukabumi"]["kabupaten"])
    other = make_event(kabupaten=areas["sukabumi"]["kabupaten"], title="Lain")
    seller = make_seller(regions=areas["sukabumi"])
    registration = services.register(event=event, seller=seller, actor=seller.owner)
    token = services.checkin_token(registration)

    with pytest.raises(ValidationError, match="acara lain|another event"):
        services.check_in(event=other, token=token, actor=None)
    pk, _dash, signature = token.partition("-")
    for forged in (f"{pk}-{'0' * len(signature)}", f"{int(pk) + 1}-{signature}", "abc", "", "12-"):
        with pytest.raises(ValidationError, match="tidak valid|not valid"):
            services.check_in(event=event, token=forged, actor=None)
    checked = services.check_in(event=event, token=token.lower(), actor=None)
    assert checked.status == "attended" and checked.certificate_code and checked.checked_in_at
    events_before = RegistrationEvent.objects.count()
    with pytest.raises(ValidationError, match="sudah check-in|already checked in"):
        services.check_in(event=event, token=token, actor=None)
    registration.refresh_from_db()
    assert registration.certificate_code == checked.certificate_code
    assert RegistrationEvent.objects.count() == events_before


def test_a_waitlisted_registration_cannot_be_checked_in(areas):
    event = make_event(kabupaten=areas["sukabumi"]["kabupaten"], capacity=1)
    first, second = make_seller(regions=areas["sukabumi"]), make_seller(regions=areas["sukabumi"])
    services.register(event=event, seller=first, actor=None)
    waiting = services.register(event=event, seller=second, actor=None)

    with pytest.raises(ValidationError):
        services.check_in(event=event, token=services.checkin_token(waiting), actor=None)


def test_officers_run_events_only_in_their_kabupaten(areas):
    officer = access.scope_for(make_district_officer(areas["sukabumi"]["kabupaten"]))
    data = {
        "kind": EventKind.TRAINING,
        "title": "Pelatihan",
        "description": "",
        "kabupaten": areas["bandung"]["kabupaten"],
        "venue": "Aula",
        "host_seller": None,
        "starts_at": timezone.now() + datetime.timedelta(days=3),
        "ends_at": timezone.now() + datetime.timedelta(days=3, hours=2),
        "registration_closes_at": timezone.now() + datetime.timedelta(days=2),
        "capacity": 5,
    }
    with pytest.raises(ValidationError):
        services.event_create(scope=officer, data=data, actor=None)
    data["kabupaten"] = areas["sukabumi"]["kabupaten"]
    event = services.event_create(scope=officer, data=data, actor=None)
    with pytest.raises(ValidationError):
        services.event_create(scope=officer, data={**data, "kind": EventKind.APPRENTICESHIP}, actor=None)
    with pytest.raises(ValidationError):
        services.event_create(scope=access.NO_SCOPE, data=data, actor=None)
    assert event.kabupaten_id == "32.02"


def test_more_seats_promote_the_waiting_list(areas):
    province = access.scope_for(make_provincial_officer())
    event = make_event(kabupaten=areas["sukabumi"]["kabupaten"], capacity=1)
    sellers = [make_seller(regions=areas["sukabumi"]) for _ in range(3)]
    registrations = [services.register(event=event, seller=seller, actor=None) for seller in sellers]
    data = {name: getattr(event, name) for name in services.EVENT_FIELDS}

    with pytest.raises(ValidationError):
        services.event_update(scope=province, event=event, data={**data, "capacity": 0}, actor=None)
    services.event_update(scope=province, event=event, data={**data, "capacity": 2}, actor=None)

    assert [Registration.objects.get(pk=r.pk).status for r in registrations] == [
        "registered",
        "registered",
        "waitlisted",
    ]


def _meeting_world(areas):
    event = make_event(kabupaten=areas["sukabumi"]["kabupaten"], kind=EventKind.BUSINESS_MEETING)
    companies = [services.register(event=event, company=make_company(), actor=None) for _ in range(2)]
    sellers = [
        services.register(event=event, seller=make_seller(regions=areas["sukabumi"]), actor=None) for _ in range(2)
    ]
    return event, companies, sellers


def test_meetings_never_double_book_a_party_or_a_table(areas):
    event, (company_a, company_b), (seller_a, seller_b) = _meeting_world(areas)
    start = event.starts_at
    slot = {"starts_at": start, "ends_at": start + datetime.timedelta(minutes=30)}
    services.meeting_book(event=event, company_registration=company_a, seller_registration=seller_a, table="1", **slot)

    with pytest.raises(ValidationError, match="[Mm]eja|table"):
        services.meeting_book(
            event=event, company_registration=company_b, seller_registration=seller_b, table="1", **slot
        )
    with pytest.raises(ValidationError):
        services.meeting_book(
            event=event, company_registration=company_a, seller_registration=seller_b, table="2", **slot
        )
    overlapping = {
        "starts_at": start + datetime.timedelta(minutes=15),
        "ends_at": start + datetime.timedelta(minutes=45),
    }
    with pytest.raises(ValidationError):
        services.meeting_book(
            event=event, company_registration=company_b, seller_registration=seller_a, table="2", **overlapping
        )
    with pytest.raises(ValidationError):  # a pesantren in the company's place
        services.meeting_book(
            event=event, company_registration=seller_b, seller_registration=seller_a, table="3", **slot
        )
    with pytest.raises(ValidationError):  # outside the event
        services.meeting_book(
            event=event,
            company_registration=company_b,
            seller_registration=seller_b,
            table="3",
            starts_at=start - datetime.timedelta(hours=2),
            ends_at=start - datetime.timedelta(hours=1),
        )
    services.meeting_book(event=event, company_registration=company_b, seller_registration=seller_b, table="2", **slot)
    assert Meeting.objects.count() == 2


def test_the_database_refuses_a_double_booked_slot(areas):
    event, (company_a, company_b), (seller_a, seller_b) = _meeting_world(areas)
    start = event.starts_at
    Meeting.objects.create(
        event=event,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
        table="1",
        company_registration=company_a,
        seller_registration=seller_a,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            event=event,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=30),
            table="2",
            company_registration=company_b,
            seller_registration=seller_a,
        )


def test_cancelling_removes_the_meetings_of_the_registration(areas):
    event, (company_a, _b), (seller_a, _c) = _meeting_world(areas)
    services.meeting_book(
        event=event,
        company_registration=company_a,
        seller_registration=seller_a,
        table="1",
        starts_at=event.starts_at,
        ends_at=event.starts_at + datetime.timedelta(minutes=30),
    )
    services.registration_cancel(registration=seller_a, actor=None)
    assert not Meeting.objects.exists()


def test_the_showcase_takes_only_products_of_seated_exhibitors(areas):
    event = make_event(kabupaten=areas["sukabumi"]["kabupaten"], kind=EventKind.EXHIBITION)
    exhibitor, outsider = make_seller(regions=areas["sukabumi"]), make_seller(regions=areas["sukabumi"])
    services.register(event=event, seller=exhibitor, actor=None)
    mine = make_seller_product(exhibitor, title="Kopi Pameran")
    theirs = make_seller_product(outsider, title="Teh Luar")

    with pytest.raises(ValidationError):
        services.showcase_set(event=event, product_ids=[mine.pk, theirs.pk])
    items = services.showcase_set(event=event, product_ids=[mine.pk])
    assert [(item.product_id, item.seller_id) for item in items] == [(mine.pk, exhibitor.pk)]


def test_reminders_go_once_a_day_before_to_seats_only(areas, django_capture_on_commit_callbacks):
    soon = make_event(
        kabupaten=areas["sukabumi"]["kabupaten"],
        days=0,
        capacity=1,
        starts_at=timezone.now() + datetime.timedelta(hours=20),
        ends_at=timezone.now() + datetime.timedelta(hours=22),
        registration_closes_at=timezone.now() + datetime.timedelta(hours=10),
    )
    later = make_event(kabupaten=areas["sukabumi"]["kabupaten"], days=5)
    seated = services.register(event=soon, seller=make_seller(regions=areas["sukabumi"]), actor=None)
    services.register(event=soon, seller=make_seller(regions=areas["sukabumi"]), actor=None)  # waitlisted
    services.register(event=later, seller=make_seller(regions=areas["sukabumi"]), actor=None)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_event_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_event_reminders() == 0
    tasks.send_event_reminder(seated.pk)

    assert len(mail.outbox) == 1
    assert soon.title in mail.outbox[0].subject
    seated.refresh_from_db()
    assert seated.reminded_at is not None

"""Concurrent registrations, cancellations and meeting bookings on PostgreSQL never overbook."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from events import services
from events.models import EventKind, Meeting, Registration, RegistrationStatus
from events.tests.helpers import make_event
from tests.factories import make_company, make_region_tree, make_seller

PESANTREN = 12
SEATS = 4


def _run_at_once(targets) -> list[str]:
    start = threading.Barrier(len(targets))
    outcomes = []

    def run(target):
        try:
            start.wait(timeout=30)
            outcomes.append(target())
        except ValidationError as error:
            outcomes.append(f"refused: {error.messages[0]}")
        except Exception as error:  # a deadlock or an IntegrityError must fail the test loudly
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_twelve_concurrent_registrations_for_four_seats_seat_exactly_four():
    regions = make_region_tree("32.02", "Kabupaten Sukabumi")
    event = make_event(kabupaten=regions["kabupaten"], capacity=SEATS)
    sellers = [make_seller(regions=regions) for _ in range(PESANTREN)]

    outcomes = _run_at_once(
        [lambda seller=seller: services.register(event=event, seller=seller, actor=None).status for seller in sellers]
    )

    assert sorted(outcomes) == ["registered"] * SEATS + ["waitlisted"] * (PESANTREN - SEATS)
    assert event.registrations.filter(status=RegistrationStatus.REGISTERED).count() == SEATS


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_promote_one_waitlisted_each_and_never_overbook():
    regions = make_region_tree("32.02", "Kabupaten Sukabumi")
    event = make_event(kabupaten=regions["kabupaten"], capacity=SEATS)
    registrations = [
        services.register(event=event, seller=make_seller(regions=regions), actor=None) for _ in range(SEATS + 3)
    ]
    seated = registrations[:SEATS]

    # the seated cancel while three more pesantren try to register
    latecomers = [make_seller(regions=regions) for _ in range(3)]
    outcomes = _run_at_once(
        [lambda r=r: services.registration_cancel(registration=r, actor=None).status for r in seated[:3]]
        + [lambda s=s: services.register(event=event, seller=s, actor=None).status for s in latecomers]
    )

    assert not [outcome for outcome in outcomes if outcome.startswith(("<", "Integrity", "Operational"))], outcomes
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.REGISTERED) == SEATS
    # the three who waited first got the seats, in order
    first_waiting = [r.pk for r in registrations[SEATS:]]
    assert set(Registration.objects.filter(pk__in=first_waiting).values_list("status", flat=True)) == {
        RegistrationStatus.REGISTERED
    }


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_pesantren_at_one_time_book_it_once():
    regions = make_region_tree("32.02", "Kabupaten Sukabumi")
    event = make_event(kabupaten=regions["kabupaten"], kind=EventKind.BUSINESS_MEETING, capacity=20)
    seller = services.register(event=event, seller=make_seller(regions=regions), actor=None)
    companies = [services.register(event=event, company=make_company(), actor=None) for _ in range(6)]
    slot = {"starts_at": event.starts_at, "ends_at": event.starts_at + datetime.timedelta(minutes=30)}

    outcomes = _run_at_once(
        [
            lambda c=c, n=n: (
                services.meeting_book(
                    event=event, company_registration=c, seller_registration=seller, table=str(n), **slot
                )
                and "booked"
            )
            for n, c in enumerate(companies)
        ]
    )

    assert sorted(outcomes)[0] == "booked" and outcomes.count("booked") == 1
    assert all(outcome == "booked" or outcome.startswith("refused") for outcome in outcomes), outcomes
    assert Meeting.objects.count() == 1

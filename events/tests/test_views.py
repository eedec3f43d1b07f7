import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, EventKind, Registration, RegistrationStatus
from events.tests.helpers import make_event
from programme.tests.helpers import make_areas, make_district_officer, make_provincial_officer
from tests.factories import make_company, make_seller, make_seller_product, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    areas = make_areas()
    training = make_event(kabupaten=areas["sukabumi"]["kabupaten"], capacity=1, title="Pelatihan Kemasan Sukabumi")
    bandung = make_event(kabupaten=areas["bandung"]["kabupaten"], kind=EventKind.EXHIBITION, title="Pameran Bandung")
    return {
        "areas": areas,
        "training": training,
        "bandung": bandung,
        "seller": make_seller(regions=areas["sukabumi"]),
        "other_seller": make_seller(regions=areas["sukabumi"]),
        "officer": make_district_officer(areas["sukabumi"]["kabupaten"]),
    }


def test_the_calendar_lists_upcoming_events_by_month_and_filters_by_kind_and_kabupaten(client, world):
    make_event(
        kabupaten=world["areas"]["sukabumi"]["kabupaten"],
        title="Sudah Lewat",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=2),
        registration_closes_at=timezone.now() - datetime.timedelta(days=4),
    )
    page = client.get(reverse("events:calendar")).content.decode()
    by_kind = client.get(reverse("events:calendar"), {"kind": "exhibition"}).content.decode()
    by_place = client.get(reverse("events:calendar"), {"kabupaten": "32.02"}).content.decode()
    bad = client.get(reverse("events:calendar"), {"kind": "x" * 500, "kabupaten": "y" * 500})

    assert "Pelatihan Kemasan Sukabumi" in page and "Pameran Bandung" in page and "Sudah Lewat" not in page
    assert "Pameran Bandung" in by_kind and "Pelatihan Kemasan Sukabumi" not in by_kind
    assert "Pelatihan Kemasan Sukabumi" in by_place and "Pameran Bandung" not in by_place
    assert bad.status_code == 200


def test_a_pesantren_registers_and_sees_its_qr_code_then_a_second_one_is_waitlisted(client, world):
    event, seller, other = world["training"], world["seller"], world["other_seller"]
    client.force_login(seller.owner)

    response = client.post(reverse("events:register", args=[event.pk]))
    registration = Registration.objects.get(seller=seller)
    assert response.status_code == 302 and response["Location"] == reverse(
        "events-dashboard:registration", args=[registration.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and services.checkin_token(registration) in page

    client.force_login(other.owner)
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert Registration.objects.get(seller=other).status == RegistrationStatus.WAITLISTED
    assert "daftar tunggu" in response.content.decode().lower()
    again = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert Registration.objects.filter(seller=other).count() == 1
    assert again.status_code == 200


def test_registration_after_close_and_by_a_consumer_is_refused_with_a_message(client, world):
    closed = make_event(
        kabupaten=world["areas"]["sukabumi"]["kabupaten"],
        registration_closes_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    client.force_login(world["seller"].owner)
    response = client.post(reverse("events:register", args=[closed.pk]), follow=True)
    assert not closed.registrations.exists()
    assert "ditutup" in response.content.decode()

    client.force_login(make_user())
    response = client.post(reverse("events:register", args=[world["training"].pk]), follow=True)
    assert not world["training"].registrations.exists()
    assert response.status_code == 200


def test_a_company_registers_for_a_business_meeting_and_sees_its_schedule(client, world):
    meeting = make_event(kabupaten=world["areas"]["sukabumi"]["kabupaten"], kind=EventKind.BUSINESS_MEETING)
    buyer = make_user()
    company = make_company(members=[(buyer, "approver")])
    client.force_login(buyer)

    response = client.post(reverse("events:register", args=[meeting.pk]))
    registration = Registration.objects.get(company=company)
    seller_registration = services.register(event=meeting, seller=world["seller"], actor=None)
    services.meeting_book(
        event=meeting,
        company_registration=registration,
        seller_registration=seller_registration,
        starts_at=meeting.starts_at,
        ends_at=meeting.starts_at + datetime.timedelta(minutes=30),
        table="A1",
    )
    schedule = client.get(reverse("events-offtaker:registrations")).content.decode()
    client.force_login(world["seller"].owner)
    seller_schedule = client.get(reverse("events-dashboard:registrations")).content.decode()

    assert response["Location"] == reverse("events-offtaker:registration", args=[registration.pk])
    assert world["seller"].name in schedule and "A1" in schedule
    assert company.legal_name in seller_schedule and "A1" in seller_schedule


def test_staff_check_in_by_code_twice_and_forged_and_the_certificate(client, world):
    event, seller = world["training"], world["seller"]
    registration = services.register(event=event, seller=seller, actor=None)
    token = services.checkin_token(registration)
    url = reverse("events-programme:checkin", args=[event.pk])
    client.force_login(world["officer"])

    prefilled = client.get(url, {"kode": token}).content.decode()
    forged = client.post(url, {"token": token[:-1] + ("A" if token[-1] != "A" else "B")})
    first = client.post(url, {"token": token}, follow=True)
    twice = client.post(url, {"token": token})

    assert token in prefilled
    assert forged.status_code == 400 and "tidak valid" in forged.content.decode()
    assert first.status_code == 200 and seller.name in first.content.decode()
    assert twice.status_code == 400 and "sudah check-in" in twice.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ATTENDED

    client.force_login(world["other_seller"].owner)
    assert client.get(reverse("events-dashboard:registration-certificate", args=[registration.pk])).status_code == 404
    client.force_login(seller.owner)
    pdf = client.get(reverse("events-dashboard:registration-certificate", args=[registration.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.logout()
    verify = client.get(reverse("events:certificate-verify", args=[registration.certificate_code]))
    unknown = client.get(reverse("events:certificate-verify", args=["BUKANKODE"]))
    lookup = client.get(reverse("events:certificate-lookup"), {"code": registration.certificate_code.lower()})
    assert verify.status_code == 200 and seller.name in verify.content.decode()
    assert unknown.status_code == 404
    assert lookup.status_code == 302


def test_a_district_officer_creates_events_in_its_kabupaten_only(client, world):
    client.force_login(world["officer"])
    start = timezone.localtime() + datetime.timedelta(days=10)
    data = {
        "kind": "training",
        "title": "Pelatihan Pemasaran Digital",
        "description": "Materi <script>alert(1)</script>",
        "kabupaten": "32.04",
        "venue": "Aula",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "registration_closes_at": (start - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "30",
    }
    refused = client.post(reverse("events-programme:create"), data)
    assert refused.status_code == 400 and not Event.objects.filter(title="Pelatihan Pemasaran Digital").exists()
    huge = client.post(reverse("events-programme:create"), {**data, "kabupaten": "32.02", "capacity": "9" * 30})
    assert huge.status_code == 400
    created = client.post(reverse("events-programme:create"), {**data, "kabupaten": "32.02"})
    event = Event.objects.get(title="Pelatihan Pemasaran Digital")
    assert created.status_code == 302
    public = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "<script>alert(1)</script>" not in public
    assert client.get(reverse("events-programme:detail", args=[world["bandung"].pk])).status_code == 404
    assert client.get(reverse("events-programme:edit", args=[world["bandung"].pk])).status_code == 404
    client.force_login(make_provincial_officer())
    assert client.get(reverse("events-programme:detail", args=[world["bandung"].pk])).status_code == 200


def test_the_exhibition_showcase_is_curated_and_its_page_takes_at_most_twelve_queries(client, world):
    exhibition = world["bandung"]
    exhibitors = [make_seller(regions=world["areas"]["bandung"]) for _ in range(3)]
    for seller in exhibitors:
        services.register(event=exhibition, seller=seller, actor=None)
    products = [make_seller_product(seller, title=f"Produk Pameran {n}") for n, seller in enumerate(exhibitors * 3)]
    client.force_login(make_provincial_officer())
    edit = client.get(reverse("events-programme:showcase", args=[exhibition.pk]))
    assert edit.status_code == 200 and "Produk Pameran 0" in edit.content.decode()
    saved = client.post(
        reverse("events-programme:showcase", args=[exhibition.pk]), {"products": [p.pk for p in products]}
    )
    assert saved.status_code == 302
    outsider = make_seller_product(world["seller"], title="Bukan Peserta")
    refused = client.post(reverse("events-programme:showcase", args=[exhibition.pk]), {"products": [outsider.pk]})
    assert refused.status_code == 400
    client.logout()

    url = reverse("events:showcase", args=[exhibition.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    body = page.content.decode()
    assert all(f"Produk Pameran {n}" in body for n in range(9)) and "Bukan Peserta" not in body
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_a_company_and_a_pesantren_reach_only_their_own_registrations(client, world):
    meeting = make_event(kabupaten=world["areas"]["sukabumi"]["kabupaten"], kind=EventKind.BUSINESS_MEETING)
    mine, theirs = make_user(), make_user()
    make_company(members=[(mine, "buyer")])
    other = make_company(members=[(theirs, "approver")], legal_name="PT Pesaing Rahasia")
    their_registration = services.register(event=meeting, company=other, actor=theirs)
    seller_registration = services.register(event=meeting, seller=world["other_seller"], actor=None)
    client.force_login(mine)

    for name in ("events-offtaker:registration", "events-offtaker:registration-cancel"):
        method = client.post if name.endswith("cancel") else client.get
        assert method(reverse(name, args=[their_registration.pk])).status_code == 404
    assert "PT Pesaing Rahasia" not in client.get(reverse("events-offtaker:registrations")).content.decode()
    client.force_login(world["seller"].owner)
    assert client.get(reverse("events-dashboard:registration", args=[seller_registration.pk])).status_code == 404
    assert (
        client.post(reverse("events-dashboard:registration-cancel", args=[seller_registration.pk])).status_code == 404
    )
    their_registration.refresh_from_db()
    seller_registration.refresh_from_db()
    assert their_registration.status == seller_registration.status == RegistrationStatus.REGISTERED


def test_an_apprenticeship_shows_its_host_pesantren(client, world):
    host = make_seller(regions=world["areas"]["sukabumi"], name="Pondok Mapan Tuan Rumah")
    apprenticeship = make_event(
        kabupaten=world["areas"]["sukabumi"]["kabupaten"], kind=EventKind.APPRENTICESHIP, host_seller=host
    )
    page = client.get(reverse("events:detail", args=[apprenticeship.pk])).content.decode()
    assert "Pondok Mapan Tuan Rumah" in page and reverse("sellers:storefront", args=[host.slug]) in page

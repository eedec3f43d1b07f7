"""The isolation walk for the programme's roles: every programme and report URL, as every role, against
the records of a kabupaten outside that role's scope.

The URL patterns are discovered from the URLconf (the `programme` and `reports` namespaces), not listed, so a page
added later is walked too. Each pattern's kwargs are filled with Kabupaten Bandung's objects; a
district officer of Kabupaten Sukabumi, a mentor, a curator, a judge and a pesantren user request it
with GET and POST (empty and plausible data). None may see Bandung's mapped pesantren, and none may
change them: afterwards Bandung's records, nominations, invitation, cohort stage and the province's
targets and stages are as they were. (The public invitation page is reached only by its secret token
and is covered in programme/tests/test_mapping.py.)
"""

import datetime

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse

from programme import access, services
from programme.models import (
    AccessEvent,
    ActionItem,
    Cohort,
    MappedPesantren,
    MentorAssignment,
    MentorVisit,
    Nomination,
    NominationStatus,
    Participant,
    PesantrenInvitation,
    ProgrammeRole,
    ProgrammeTarget,
    RoleKind,
    Stage,
    StageEvent,
    VisitPhoto,
)
from programme.tests.helpers import (
    make_areas,
    make_district_officer,
    make_mapped,
    make_provincial_officer,
    make_role,
    photo_upload,
)
from tests.factories import make_seller
from tests.test_dashboard_isolation import KWARG_RE, _body, _walk

pytestmark = pytest.mark.django_db

B_RECORD = "Pondok Rahasia Bandung"
B_REGISTERED = "Pondok Terdaftar Bandung"
B_EMAIL = "rahasia-bandung@example.com"
B_MENTOR_EMAIL = "mentor.bandung@example.com"
B_OFFICER_EMAIL = "dinas.bandung@example.com"
B_SECRETS = [
    B_RECORD,
    B_REGISTERED,
    B_EMAIL,
    B_MENTOR_EMAIL,
    B_OFFICER_EMAIL,
    "510032049991",
    "510032049992",
    "Kemasan rahasia",
    "label rahasia",
    "PT Rahasia Bandung",
]

# Pages whose kwargs name no record of a kabupaten: the cohort (province-wide; each user sees only the
# participants of its own scope), export kinds and boundary levels.
NEUTRAL_URL_NAMES = {"cohort", "cohort-stages", "enrol", "target-create", "target-edit", "export", "boundaries"}
# Pages a mentor opens (its own assigned pesantren).
MENTOR_PAGES = {"programme:mentor-home"}
# Pages without a record in their URL that a district officer opens (and sees only its own kabupaten's).
DISTRICT_PAGES = {"programme:assignments"}


# The programme's pages and those of the apps above it (events, reports), walked like its own; the
# public open data has no secret to keep and is checked for personal data in reports/tests/test_open_data.py.
PROGRAMME_NAMESPACES = {"programme:", "events-programme:", "reports:"}


def programme_patterns(namespace: str | None = None) -> list[tuple[str, list[str]]]:
    """The programme's own URL patterns (and those of the apps above it), or one namespace's."""
    namespaces = PROGRAMME_NAMESPACES if namespace is None else {f"{namespace}:"}
    found = []
    for route, found_namespace, pattern in _walk(get_resolver().url_patterns):
        if found_namespace not in namespaces:
            continue
        kwargs = sorted({name for pair in KWARG_RE.findall(route) for name in pair if name})
        found.append((f"{found_namespace}{pattern.name}", kwargs))
    return found


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    areas = make_areas()
    sukabumi, bandung = areas["sukabumi"], areas["bandung"]
    provincial = make_provincial_officer()
    province = access.scope_for(provincial)
    # Bandung's records: one mapped and nominated with an open invitation, one registered in a cohort.
    b_record = make_mapped(bandung, name=B_RECORD, nspp="510032049991", email=B_EMAIL, products="Rahasia")
    b_nomination = services.nominate(scope=province, pesantren=b_record, nominated_by=provincial)
    b_invitation = services.invitation_send(scope=province, pesantren=b_record, email=B_EMAIL, invited_by=provincial)
    b_seller = make_seller(name=B_REGISTERED, regions=bandung, nspp="510032049992")
    b_registered = make_mapped(bandung, index=1, name=B_REGISTERED, nspp="510032049992", seller=b_seller)
    services.nominate(scope=province, pesantren=b_registered, nominated_by=provincial)
    cohort = services.cohort_create(
        scope=province, year=2027, name="Angkatan 2027", stage_names=["Daftar", "Cek", "Juara"]
    )
    b_participant = services.participant_enrol(scope=province, cohort=cohort, pesantren=b_registered, actor=None)
    target = ProgrammeTarget.objects.create(
        cohort=cohort, name="Juara 2027", target_count=1250, measure="verified", deadline="2027-12-31"
    )
    # Sukabumi's own: a mapped pesantren with a mentor.
    s_record = make_mapped(sukabumi, name="Pondok Sukabumi", nspp="510032020001")
    mentor = make_role(RoleKind.MENTOR)
    services.mentor_assign(scope=province, mentor=mentor, pesantren=s_record, assigned_by=provincial)
    # Another mentor's pesantren in Bandung, with a logged visit, its action item and photo; Bandung's officer.
    other_mentor = make_role(RoleKind.MENTOR, email=B_MENTOR_EMAIL)
    make_district_officer(bandung["kabupaten"], email=B_OFFICER_EMAIL)
    b_assignment = services.mentor_assign(scope=province, mentor=other_mentor, pesantren=b_record, assigned_by=None)
    b_visit = services.mentor_visit_log(
        scope=access.scope_for(other_mentor),
        assignment=b_assignment,
        visited_on=datetime.date(2026, 1, 5),
        topics="Kemasan rahasia",
        notes="",
        actions=[],
        photos=[photo_upload("rahasia.jpg")],
    )
    # An action item logged before its due date passed (the service refuses past due dates today).
    b_action = ActionItem.objects.create(visit=b_visit, description="Cetak label rahasia", due_on="2026-02-01")
    # Bandung's events: a business meeting with B's registered pesantren and a company in a meeting,
    # and an exhibition with it on the showcase.
    b_meeting_event, b_meeting, b_exhibition = _bandung_events(bandung, b_seller)
    pesantren_owner = make_seller(name="Pondok Penjual", regions=sukabumi).owner
    users = {
        "district officer of Sukabumi": make_district_officer(sukabumi["kabupaten"]),
        "mentor": mentor,
        "curator": make_role(RoleKind.CURATOR),
        "judge": make_role(RoleKind.JUDGE),
        "pesantren staff": pesantren_owner,
    }
    return {
        "users": users,
        "b_record": b_record,
        "b_registered": b_registered,
        "b_nomination": b_nomination,
        "b_invitation": b_invitation,
        "b_participant": b_participant,
        "cohort": cohort,
        "target": target,
        "bandung": bandung,
        "b_assignment": b_assignment,
        "b_action": b_action,
        "b_photo": b_visit.photos.get(),
        "b_role": ProgrammeRole.objects.get(user=other_mentor),
        "b_events": [b_meeting_event.pk, b_exhibition.pk],
        "b_meeting": b_meeting,
    }


def _bandung_events(bandung, b_seller):
    from events import services as event_services
    from events.models import EventKind
    from events.tests.helpers import make_event
    from tests.factories import make_company, make_seller_product

    meeting_event = make_event(
        kabupaten=bandung["kabupaten"], kind=EventKind.BUSINESS_MEETING, title="Temu Usaha Bandung"
    )
    company = event_services.register(
        event=meeting_event, company=make_company(legal_name="PT Rahasia Bandung"), actor=None
    )
    pesantren = event_services.register(event=meeting_event, seller=b_seller, actor=None)
    meeting = event_services.meeting_book(
        event=meeting_event,
        company_registration=company,
        seller_registration=pesantren,
        starts_at=meeting_event.starts_at,
        ends_at=meeting_event.starts_at + datetime.timedelta(minutes=30),
        table="B1",
    )
    exhibition = make_event(kabupaten=bandung["kabupaten"], kind=EventKind.EXHIBITION, title="Pameran Bandung")
    event_services.register(event=exhibition, seller=b_seller, actor=None)
    product = make_seller_product(b_seller, title="Produk Pameran Bandung")
    event_services.showcase_set(event=exhibition, product_ids=[product.pk])
    return meeting_event, meeting, exhibition


def _events_state():
    from events.models import Event, Meeting, Registration, ShowcaseItem

    return {
        "events": sorted(Event.objects.values_list("pk", "title", "capacity", "kabupaten_id", "starts_at")),
        "registrations": sorted(Registration.objects.values_list("pk", "status", "certificate_code")),
        "meetings": sorted(Meeting.objects.values_list("pk", "table", "starts_at")),
        "showcase": sorted(ShowcaseItem.objects.values_list("pk", "product_id")),
    }


def kwarg_candidates(url_name: str, kwarg: str, world) -> list:
    if url_name.startswith("events-programme:"):
        return [world["b_meeting"].pk] if kwarg == "meeting_pk" else world["b_events"]
    short = url_name.rpartition(":")[2]
    if kwarg == "code":
        return ["32.04.01"] if url_name == "reports:kecamatan" else ["32.04"]
    if kwarg == "kind":
        return ["directory", "kecamatan", "kabupaten", "sales-sector", "sales-kabupaten"]
    if kwarg == "level":
        return ["kecamatan", "kabkota"]
    by_url = {
        "nomination-withdraw": [world["b_nomination"].pk],
        "participant": [world["b_participant"].pk],
        "mentor-visits": [world["b_assignment"].pk],
        "mentor-action-done": [world["b_action"].pk],
        "visit-photo": [world["b_photo"].pk],
        "role-revoke": [world["b_role"].pk],
        "assignment-end": [world["b_assignment"].pk],
        "target-edit": [world["target"].pk],
        "cohort": [world["cohort"].pk],
        "cohort-stages": [world["cohort"].pk],
        "enrol": [world["cohort"].pk],
        "target-create": [world["cohort"].pk],
    }
    if short in by_url:
        return by_url[short]
    # mapped-detail, mapped-edit, nominate, invite, and any pk added later: Bandung's records.
    return [world["b_record"].pk, world["b_registered"].pk]


def plausible_post(world) -> dict:
    kecamatan = world["bandung"]["kecamatan"][0].code
    return {
        "name": "Dibajak",
        "nspp": "510032049993",
        "kecamatan": kecamatan,
        "email": "pembajak@example.com",
        "reason": "dibajak",
        "pesantren": world["b_registered"].pk,
        "stage": Stage.objects.filter(cohort=world["cohort"], position=2).values_list("pk", flat=True).first(),
        "note": "dibajak",
        "year": "2099",
        "stages": "Satu\nDua",
        "target_count": "1",
        "measure": "registered",
        "deadline": "2099-01-01",
        "delete": "1",
        "visited_on": "2026-01-01",
        "topics": "dibajak",
        "action_1": "dibajak",
        "due_1": "2026-01-02",
        "kind": "provincial",
        "back": "visits",
    }


def test_programme_urls_are_discovered_from_the_urlconf():
    names = {name for name, _kwargs in programme_patterns()}

    assert {"programme:mapped-import", "programme:nominate", "programme:participant", "programme:cohort"} <= names
    assert MENTOR_PAGES <= names
    assert DISTRICT_PAGES | {"programme:roles", "programme:role-revoke", "programme:assignment-end"} <= names
    assert {"events-programme:list", "events-programme:checkin", "events-programme:meetings"} <= names
    assert {"programme:mentor-action-done", "programme:visit-photo"} <= names
    assert {"reports:province", "reports:kabupaten", "reports:kecamatan", "reports:province-pdf"} <= names


def test_no_programme_role_reaches_the_records_of_a_kabupaten_outside_its_scope(client, world):
    failures = []
    checked = 0
    before = {
        "records": sorted(MappedPesantren.objects.values_list("pk", "name", "nspp", "kecamatan_id", "email")),
        "nominations": sorted(Nomination.objects.values_list("pk", "status")),
        "stage_events": StageEvent.objects.count(),
        "stages": sorted(Stage.objects.values_list("pk", "name", "position")),
        "targets": sorted(ProgrammeTarget.objects.values_list("pk", "target_count")),
        "cohorts": Cohort.objects.count(),
        "visits": sorted(MentorVisit.objects.values_list("pk", "assignment_id", "topics")),
        "actions": sorted(ActionItem.objects.values_list("pk", "done_at")),
        "photos": VisitPhoto.objects.count(),
        "roles": sorted(ProgrammeRole.objects.values_list("pk", "user_id", "kind", "kabupaten_id")),
        "assignments": sorted(MentorAssignment.objects.values_list("pk", "mentor_id", "pesantren_id", "ended_at")),
        "access events": AccessEvent.objects.count(),
        **_events_state(),
    }

    for role, user in world["users"].items():
        for url_name, kwargs in programme_patterns():
            short = url_name.rpartition(":")[2]
            names_a_record = bool(kwargs) and short not in NEUTRAL_URL_NAMES
            candidates = {kwarg: kwarg_candidates(url_name, kwarg, world) for kwarg in kwargs}
            variants = [{}] if not kwargs else []
            for kwarg in kwargs:
                for value in candidates[kwarg]:
                    variants.append({**{k: v[0] for k, v in candidates.items()}, kwarg: value})
            for filled in variants:
                try:
                    url = reverse(url_name, kwargs=filled)
                except NoReverseMatch:
                    continue
                for method, data in (("get", None), ("post", {}), ("post", plausible_post(world))):
                    client.force_login(user)
                    response = client.get(url) if data is None else client.post(url, data)
                    checked += 1
                    status = response.status_code
                    body = _body(response)
                    leaked = [secret for secret in B_SECRETS if secret in body]
                    if leaked:
                        failures.append(f"{role}: {method.upper()} {url} shows Bandung's {leaked}")
                    if status >= 500:
                        failures.append(f"{role}: {method.upper()} {url} answered {status}")
                    if role == "district officer of Sukabumi":
                        if names_a_record and status not in (403, 404, 405):
                            failures.append(f"{role}: {method.upper()} {url} with Bandung's record answered {status}")
                    elif role == "mentor" and url_name in MENTOR_PAGES:
                        if status not in (200, 405):
                            failures.append(f"{role}: {method.upper()} {url} is its own page but answered {status}")
                    elif role == "district officer of Sukabumi" and url_name in DISTRICT_PAGES:
                        if status not in (200, 400):
                            failures.append(f"{role}: {method.upper()} {url} is its own page but answered {status}")
                    elif status not in (403, 404, 405):
                        failures.append(f"{role}: {method.upper()} {url} ({url_name}) answered {status}")

    assert checked > 200
    assert not failures, "\n".join(failures)
    after = {
        "records": sorted(MappedPesantren.objects.values_list("pk", "name", "nspp", "kecamatan_id", "email")),
        "nominations": sorted(Nomination.objects.values_list("pk", "status")),
        "stage_events": StageEvent.objects.count(),
        "stages": sorted(Stage.objects.values_list("pk", "name", "position")),
        "targets": sorted(ProgrammeTarget.objects.values_list("pk", "target_count")),
        "cohorts": Cohort.objects.count(),
        "visits": sorted(MentorVisit.objects.values_list("pk", "assignment_id", "topics")),
        "actions": sorted(ActionItem.objects.values_list("pk", "done_at")),
        "photos": VisitPhoto.objects.count(),
        "roles": sorted(ProgrammeRole.objects.values_list("pk", "user_id", "kind", "kabupaten_id")),
        "assignments": sorted(MentorAssignment.objects.values_list("pk", "mentor_id", "pesantren_id", "ended_at")),
        "access events": AccessEvent.objects.count(),
        **_events_state(),
    }
    assert after == before
    assert Nomination.objects.get(pk=world["b_nomination"].pk).status == NominationStatus.NOMINATED
    assert PesantrenInvitation.objects.get(pk=world["b_invitation"].pk).is_open
    assert PesantrenInvitation.objects.count() == 1
    assert Participant.objects.get(pk=world["b_participant"].pk).stage.position == 1


def test_a_district_officer_works_in_its_own_kabupaten(client, world):
    officer = world["users"]["district officer of Sukabumi"]
    client.force_login(officer)

    home = client.get(reverse("programme:overview"))
    own = client.get(reverse("programme:kabupaten", args=["32.02"]))
    listing = client.get(reverse("programme:mapped-list", args=["32.02"]))
    directory = client.get(reverse("programme:directory"))
    report = client.get(reverse("reports:kabupaten", args=["32.02"]))
    other_report = client.get(reverse("reports:kabupaten", args=["32.04"]))
    summary = client.get(reverse("reports:province-pdf"))
    own_kecamatan = client.get(reverse("reports:kecamatan", args=["32.02.01"]))

    assert home.status_code == 302 and home["Location"] == reverse("programme:kabupaten", args=["32.02"])
    assert own.status_code == 200
    assert "Pondok Sukabumi" in listing.content.decode()
    assert [seller.name for seller in directory.context["sellers"]] == ["Pondok Penjual"]
    assert report.status_code == 200 and [row.code for row in report.context["progress"].rows] == [
        "32.02.01",
        "32.02.02",
        "32.02.03",
    ]
    assert report.context["progress"].total.registered == 1  # Pondok Penjual; Bandung's do not count
    assert other_report.status_code == 404 and summary.status_code == 403
    assert [row.name for row in own_kecamatan.context["detail"].rows] == ["Pondok Penjual", "Pondok Sukabumi"]
    events = client.get(reverse("events-programme:list")).content.decode()
    assert "Temu Usaha Bandung" not in events and "Pameran Bandung" not in events


# --- Curation (curation: namespace, under the programme dashboard) ---------------------------------

C_QUEUED = "Dodol Antrian Bandung"  # in the queue: any curator may see it, no Sukabumi officer
C_SECRET = "Dodol Rahasia Bandung"  # assigned to another curator
C_FINALISED = "Kopi Rahasia Bandung"  # finalised by another curator
C_SUKABUMI = "Keripik Sukabumi"
# Pages without kwargs: who may open each (others get 403).
CURATION_OPEN = {
    "curation:queue": {"district officer of Sukabumi", "curator"},
    "curation:request": {"district officer of Sukabumi"},
    "curation:rubric": set(),
    "curation:rubric-edit": set(),
}


def curation_patterns() -> list[tuple[str, list[str]]]:
    found = []
    for route, namespace, pattern in _walk(get_resolver().url_patterns):
        if namespace == "curation:":
            found.append(
                (f"{namespace}{pattern.name}", sorted({n for pair in KWARG_RE.findall(route) for n in pair if n}))
            )
    return found


@pytest.fixture
def curation_world(settings, tmp_path):
    from curation import services as curation_services
    from curation.tests.helpers import full_points, make_rubric
    from tests.factories import make_seller_product

    settings.MEDIA_ROOT = tmp_path
    areas = make_areas()
    provincial = make_provincial_officer()
    province = access.scope_for(provincial)
    make_rubric(provincial)
    b_seller = make_seller(name="Pondok Kurasi Bandung", regions=areas["bandung"], nspp="510032049995")
    s_seller = make_seller(name="Pondok Kurasi Sukabumi", regions=areas["sukabumi"], nspp="510032020005")
    other_curator = make_role(RoleKind.CURATOR)

    def put_up(product, curator=None):
        return curation_services.curation_request(
            scope=province, product=product, requested_by=provincial, curator=curator
        )

    queued = put_up(make_seller_product(b_seller, title=C_QUEUED))
    secret = put_up(make_seller_product(b_seller, title=C_SECRET), other_curator)
    finalised = put_up(make_seller_product(b_seller, title=C_FINALISED), other_curator)
    curation_services.curation_finalise(
        scope=access.scope_for(other_curator),
        curation=finalised,
        points=full_points(finalised.rubric),
        note="catatan rahasia",
        curator=other_curator,
    )
    sukabumi_product = make_seller_product(s_seller, title=C_SUKABUMI)
    users = {
        "district officer of Sukabumi": make_district_officer(areas["sukabumi"]["kabupaten"]),
        "curator": make_role(RoleKind.CURATOR),
        "mentor": make_role(RoleKind.MENTOR),
        "judge": make_role(RoleKind.JUDGE),
        "pesantren staff": make_seller(name="Pondok Penjual Kurasi", regions=areas["sukabumi"]).owner,
    }
    return {
        "users": users,
        "queued": queued,
        "secret": secret,
        "finalised": finalised,
        "b_product": queued.product,
        "sukabumi_product": sukabumi_product,
    }


def test_no_role_reaches_curations_outside_its_scope(client, curation_world):
    from curation.models import CriterionScore, Curation, Rubric

    w = curation_world
    snapshot = lambda: (  # noqa: E731
        sorted(Curation.objects.values_list("pk", "status", "curator_id", "total_points")),
        CriterionScore.objects.count(),
        Rubric.objects.count(),
    )
    before = snapshot()
    failures, checked = [], 0
    for role, user in w["users"].items():
        # A curator may open queued curations (the queue is province-wide); every role is walked on the others.
        pks = [w["secret"].pk, w["finalised"].pk] + ([] if role == "curator" else [w["queued"].pk])
        secrets = [C_SECRET, C_FINALISED, "catatan rahasia"] + ([] if role == "curator" else [C_QUEUED])
        post = {
            "product": w["b_product"].pk,
            "note": "dibajak",
            "validity_months": "1",
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-section": "Dibajak",
            "criteria-0-name": "Dibajak",
            "criteria-0-max_points": "100",
        }
        for url_name, kwargs in curation_patterns():
            urls = [reverse(url_name, kwargs={"pk": pk}) for pk in pks] if kwargs else [reverse(url_name)]
            for url in urls:
                for method, data in (("get", None), ("post", {}), ("post", post)):
                    client.force_login(user)
                    response = client.get(url) if data is None else client.post(url, data)
                    checked += 1
                    status = response.status_code
                    leaked = [secret for secret in secrets if secret in _body(response)]
                    if leaked:
                        failures.append(f"{role}: {method.upper()} {url} shows {leaked}")
                    opens = not kwargs and role in CURATION_OPEN.get(url_name, set())
                    if opens and method == "get" and status != 200:
                        failures.append(f"{role}: GET {url} is its page but answered {status}")
                    if opens and method == "post" and status >= 500:
                        failures.append(f"{role}: POST {url} answered {status}")
                    if not opens and status not in (403, 404, 405):
                        failures.append(f"{role}: {method.upper()} {url} ({url_name}) answered {status}")

    assert checked > 100
    assert not failures, "\n".join(failures)
    assert snapshot() == before


def test_a_district_officer_sees_only_its_kabupaten_in_curation(client, curation_world):
    from curation import services as curation_services

    w = curation_world
    officer = w["users"]["district officer of Sukabumi"]
    own = curation_services.curation_request(
        scope=access.scope_for(officer), product=w["sukabumi_product"], requested_by=officer
    )
    client.force_login(officer)

    queue = client.get(reverse("curation:queue")).content.decode()
    detail = client.get(reverse("curation:detail", args=[own.pk]))

    assert C_SUKABUMI in queue and C_QUEUED not in queue
    assert detail.status_code == 200


def test_a_curator_sees_the_queue_and_its_own_but_no_programme_page(client, curation_world):
    curator = curation_world["users"]["curator"]
    client.force_login(curator)

    queue = client.get(reverse("curation:queue")).content.decode()
    overview = client.get(reverse("programme:overview"))
    directory = client.get(reverse("programme:directory"))

    assert C_QUEUED in queue and C_SECRET not in queue and C_FINALISED not in queue
    assert overview.status_code == 403 and directory.status_code == 403


# --- Competitions (dashboard/program/lomba/): every URL, every role ---------------------------------

C_PESANTREN = "Pondok Rahasia Lomba"
C_PRODUCT = "Dodol Rahasia Lomba"
C_OTHER_PESANTREN = "Pondok Terbuka Lomba"


@pytest.fixture
def contest(settings, tmp_path):
    """A competition being judged with two entries; one judge has a conflict with the secret one."""
    from competitions import services as competition_services
    from competitions.models import CompetitionJudge
    from competitions.tests.helpers import make_competition
    from tests.factories import make_seller_product

    settings.MEDIA_ROOT = tmp_path
    areas = make_areas()
    office = make_provincial_officer()
    competition = make_competition(office, name="Lomba Rahasia")
    other_competition = make_competition(office, name="Lomba Lain")
    secret = make_seller(name=C_PESANTREN, regions=areas["bandung"], nspp="510032049995")
    visible = make_seller(name=C_OTHER_PESANTREN, regions=areas["bandung"], nspp="510032049996")
    secret_entry = competition_services.entry_submit(
        seller=secret,
        competition=competition,
        product=make_seller_product(secret, title=C_PRODUCT),
        entered_by=secret.owner,
    )
    visible_entry = competition_services.entry_submit(
        seller=visible,
        competition=competition,
        product=make_seller_product(visible, title="Keripik Terbuka Lomba"),
        entered_by=visible.owner,
    )
    competition_round = competition_services.judging_start(
        scope=access.scope_for(office), competition=competition, actor=office
    )
    conflicted = make_role(RoleKind.JUDGE)
    assigned = make_role(RoleKind.JUDGE)
    for judge in (conflicted, assigned):
        CompetitionJudge.objects.create(competition=competition, judge=judge)
    # The conflicted judge mentors the secret pesantren: no declaration needed.
    record = make_mapped(areas["bandung"], name="Pondok Mentor Lomba", nspp="510032049995", seller=secret)
    ProgrammeRole.objects.create(user=conflicted, kind=RoleKind.MENTOR)
    services.mentor_assign(scope=access.scope_for(office), mentor=conflicted, pesantren=record, assigned_by=office)
    users = {
        "district officer of Sukabumi": make_district_officer(areas["sukabumi"]["kabupaten"]),
        "mentor": make_role(RoleKind.MENTOR),
        "curator": make_role(RoleKind.CURATOR),
        "judge of no competition": make_role(RoleKind.JUDGE),
        "pesantren staff": make_seller(name="Pondok Penjual Lomba", regions=areas["sukabumi"]).owner,
        "judge with a conflict": conflicted,
        "assigned judge (blind)": assigned,
    }
    return {
        "users": users,
        "competition": competition,
        "other_competition": other_competition,
        "round": competition_round,
        "secret_entry": secret_entry,
        "visible_entry": visible_entry,
    }


# What each role must never see anywhere: a conflicted judge nothing of the secret entry, a blind
# judge no pesantren name, the others nothing of the competition at all.
ROLE_SECRETS = {
    "judge with a conflict": [C_PESANTREN, C_PRODUCT, C_OTHER_PESANTREN],
    "assigned judge (blind)": [C_PESANTREN, C_OTHER_PESANTREN],
}
JUDGE_PAGES = {"competitions:list", "competitions:detail", "competitions:ranking"}


def test_no_programme_role_reaches_a_competition_it_does_not_judge_nor_an_entry_it_has_a_conflict_with(client, contest):
    from django.db.models import F

    from competitions.models import Entry, JudgeConflict, Round, Scorecard

    failures, checked = [], 0
    secret, visible = contest["secret_entry"], contest["visible_entry"]
    before = {
        "entries": sorted(Entry.objects.values_list("pk", "status", "round_id")),
        "rounds": sorted(Round.objects.values_list("pk", "status")),
        "conflicts": JudgeConflict.objects.count(),
        "judges": contest["competition"].judges.count(),
    }
    by_kind = {
        "competition": [contest["competition"].pk, contest["other_competition"].pk],
        "round": [contest["round"].pk],
        "entry": [secret.pk, visible.pk],
    }
    kind_of = {"ranking": "round", "round-close": "round", "score": "entry", "recuse": "entry"}
    post = {"email": "juri-pembajak@example.com", "judge": 1, "seller": secret.seller_id, "reason": "x"}
    post.update({f"criterion_{c.pk}": 1 for c in contest["competition"].criteria.all()})
    for role, user in contest["users"].items():
        secrets = ROLE_SECRETS.get(role, [C_PESANTREN, C_PRODUCT, C_OTHER_PESANTREN, "Lomba Rahasia"])
        for url_name, kwargs in programme_patterns("competitions"):
            short = url_name.rpartition(":")[2]
            values = by_kind[kind_of.get(short, "competition")] if kwargs else [None]
            for value in values:
                url = reverse(url_name, kwargs={"pk": value} if kwargs else {})
                for method, data in (("get", None), ("post", {}), ("post", post)):
                    client.force_login(user)
                    response = client.get(url) if data is None else client.post(url, data)
                    checked += 1
                    status, body = response.status_code, _body(response)
                    leaked = [text for text in secrets if text in body]
                    if leaked:
                        failures.append(f"{role}: {method.upper()} {url} shows {leaked}")
                    if status >= 500:
                        failures.append(f"{role}: {method.upper()} {url} answered {status}")
                    judging = role in ROLE_SECRETS
                    own_competition = value in (None, contest["competition"].pk, contest["round"].pk)
                    may_open = judging and url_name in JUDGE_PAGES and own_competition
                    # every judge's own list, empty for a judge of no competition
                    may_open = may_open or ("judge" in role and short == "list" and data is None)
                    may_score = judging and short == "score" and (role != "judge with a conflict" or value != secret.pk)
                    may_recuse = (
                        judging and short == "recuse" and (role != "judge with a conflict" or value != secret.pk)
                    )
                    if may_open or may_score or may_recuse:
                        continue
                    if status not in (403, 404, 405):
                        failures.append(f"{role}: {method.upper()} {url} ({url_name}) answered {status}")

    assert checked > 200
    assert not failures, "\n".join(failures)
    # Only the judges' own writes happened: their scores, and their recusals from entries.
    assert not Scorecard.objects.filter(judge=contest["users"]["judge with a conflict"], entry=secret).exists()
    after = {
        "entries": sorted(Entry.objects.values_list("pk", "status", "round_id")),
        "rounds": sorted(Round.objects.values_list("pk", "status")),
        "conflicts": JudgeConflict.objects.exclude(declared_by_id=F("judge_id")).count(),
        "judges": contest["competition"].judges.count(),
    }
    assert after == before

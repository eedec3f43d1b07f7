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
    ActionItem,
    Cohort,
    MappedPesantren,
    MentorVisit,
    Nomination,
    NominationStatus,
    Participant,
    PesantrenInvitation,
    ProgrammeTarget,
    RoleKind,
    Stage,
    StageEvent,
)
from programme.tests.helpers import make_areas, make_district_officer, make_mapped, make_provincial_officer, make_role
from tests.factories import make_seller
from tests.test_dashboard_isolation import KWARG_RE, _body, _walk

pytestmark = pytest.mark.django_db

B_RECORD = "Pondok Rahasia Bandung"
B_REGISTERED = "Pondok Terdaftar Bandung"
B_EMAIL = "rahasia-bandung@example.com"
B_SECRETS = [B_RECORD, B_REGISTERED, B_EMAIL, "510032049991", "510032049992", "Kemasan rahasia", "label rahasia"]

# Pages whose kwargs name no record of a kabupaten: the cohort (province-wide; each user sees only the
# participants of its own scope), export kinds and boundary levels.
NEUTRAL_URL_NAMES = {"cohort", "cohort-stages", "enrol", "target-create", "target-edit", "export", "boundaries"}
# The programme's own pages and its reports (reports/; the public open data has no secret to keep and is
# checked for personal data in reports/tests/test_open_data.py).
WALKED_NAMESPACES = {"programme:", "reports:"}
# Pages a mentor opens (its own assigned pesantren).
MENTOR_PAGES = {"programme:mentor-home"}


def programme_patterns() -> list[tuple[str, list[str]]]:
    found = []
    for route, namespace, pattern in _walk(get_resolver().url_patterns):
        if namespace not in WALKED_NAMESPACES:
            continue
        kwargs = sorted({name for pair in KWARG_RE.findall(route) for name in pair if name})
        found.append((f"{namespace}{pattern.name}", kwargs))
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
    # Another mentor's pesantren in Bandung, with a logged visit.
    other_mentor = make_role(RoleKind.MENTOR)
    b_assignment = services.mentor_assign(scope=province, mentor=other_mentor, pesantren=b_record, assigned_by=None)
    services.mentor_visit_log(
        scope=access.scope_for(other_mentor),
        assignment=b_assignment,
        visited_on=datetime.date(2026, 1, 5),
        topics="Kemasan rahasia",
        notes="",
        actions=[("Cetak label rahasia", datetime.date(2026, 2, 1))],
    )
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
    }


def kwarg_candidates(url_name: str, kwarg: str, world) -> list:
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
    }


def test_programme_urls_are_discovered_from_the_urlconf():
    names = {name for name, _kwargs in programme_patterns()}

    assert {"programme:mapped-import", "programme:nominate", "programme:participant", "programme:cohort"} <= names
    assert MENTOR_PAGES <= names
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
        "actions": ActionItem.objects.count(),
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
        "actions": ActionItem.objects.count(),
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

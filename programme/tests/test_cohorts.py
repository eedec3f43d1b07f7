"""Cohorts, their targets (edited in the dashboard), stages and the funnel per kabupaten."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from programme import access, selectors, services
from programme.models import Cohort, Participant, ProgrammeTarget, StageEvent, TargetMeasure
from programme.tests.helpers import make_areas, make_district_officer, make_mapped, make_provincial_officer
from tests.factories import make_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def world():
    areas = make_areas()
    provincial = make_provincial_officer()
    officer = make_district_officer(areas["sukabumi"]["kabupaten"])
    cohort = services.cohort_create(
        scope=access.scope_for(provincial),
        year=2027,
        name="Angkatan 2027",
        stage_names=["Registered", "Administrative check", "Mentoring and apprenticeship", "Curation", "Champion"],
    )
    return {"areas": areas, "provincial": provincial, "officer": officer, "cohort": cohort}


def registered_record(tree, *, nspp: str, name: str, index: int = 0):
    seller = make_seller(name=name, regions=tree, nspp=nspp)
    return make_mapped(tree, index=index, name=name, nspp=nspp, seller=seller)


def test_the_provincial_office_creates_a_cohort_with_configurable_stages(english, world):
    english.force_login(world["provincial"])

    response = english.post(
        reverse("programme:cohorts"), {"year": "2028", "name": "Angkatan 2028", "stages": "Daftar\nSeleksi\n\nJuara\n"}
    )
    duplicate = english.post(reverse("programme:cohorts"), {"year": "2027", "name": "Lagi", "stages": "A\nB"})
    one_stage = english.post(reverse("programme:cohorts"), {"year": "2029", "name": "X", "stages": "Hanya satu"})

    cohort = Cohort.objects.get(year=2028)
    assert response.status_code == 302
    assert [(s.position, s.name) for s in cohort.stages.all()] == [(1, "Daftar"), (2, "Seleksi"), (3, "Juara")]
    assert duplicate.status_code == 400 and "Cohort with this Year already exists" in duplicate.content.decode()
    assert one_stage.status_code == 400 and "at least two stages" in one_stage.content.decode()
    assert Cohort.objects.count() == 2
    assert [s.code for s in world["cohort"].stages.all()] == [
        "registered",
        "administrative_check",
        "mentoring",
        "curation",
        "champion",
    ]


def test_targets_are_edited_in_the_dashboard_by_the_provincial_office_only(english, world):
    cohort = world["cohort"]
    english.force_login(world["provincial"])
    data = {"name": "Juara tahun pertama", "target_count": "1250", "measure": "verified", "deadline": "2027-12-31"}

    created = english.post(reverse("programme:target-create", args=[cohort.pk]), data)
    target = ProgrammeTarget.objects.get(cohort=cohort)
    bad = english.post(reverse("programme:target-edit", args=[target.pk]), {**data, "target_count": "0"})
    edited = english.post(reverse("programme:target-edit", args=[target.pk]), {**data, "target_count": "1300"})
    english.force_login(world["officer"])
    by_district = english.post(reverse("programme:target-edit", args=[target.pk]), {**data, "target_count": "1"})
    create_by_district = english.post(reverse("programme:target-create", args=[cohort.pk]), data)

    assert created.status_code == 302
    assert bad.status_code == 400 and "greater than or equal to 1" in bad.content.decode()
    assert edited.status_code == 302
    assert by_district.status_code == 403 and create_by_district.status_code == 403
    target.refresh_from_db()
    assert (target.target_count, target.measure, target.deadline) == (
        1300,
        TargetMeasure.VERIFIED,
        datetime.date(2027, 12, 31),
    )
    assert ProgrammeTarget.objects.filter(cohort=cohort).count() == 1


def test_targets_are_no_longer_edited_in_the_django_admin():
    from django.contrib import admin

    assert ProgrammeTarget not in admin.site._registry


def test_a_pesantren_moves_stage_by_stage_through_one_service_with_history(english, world):
    tree = world["areas"]["sukabumi"]
    record = registered_record(tree, nspp="510032020001", name="Pondok Lele")
    unregistered = make_mapped(tree, name="Belum Daftar", nspp="510032020002")
    officer = world["officer"]
    scope = access.scope_for(officer)
    cohort = world["cohort"]
    stages = selectors.cohort_stages(cohort)
    services.nominate(scope=scope, pesantren=record, nominated_by=officer)
    english.force_login(officer)

    enrolled = english.post(reverse("programme:enrol", args=[cohort.pk]), {"pesantren": record.pk})
    twice = english.post(reverse("programme:enrol", args=[cohort.pk]), {"pesantren": record.pk})
    not_registered = english.post(reverse("programme:enrol", args=[cohort.pk]), {"pesantren": unregistered.pk})
    participant = Participant.objects.get()
    url = reverse("programme:participant", args=[participant.pk])
    skipped = english.post(url, {"stage": stages[3].pk})
    moved = english.post(url, {"stage": stages[1].pk, "note": "Berkas lengkap"})
    back_without_note = english.post(url, {"stage": stages[0].pk})
    other_cohort = services.cohort_create(
        scope=access.scope_for(world["provincial"]), year=2030, name="Lain", stage_names=["A", "B"]
    )
    foreign_stage = english.post(url, {"stage": other_cohort.stages.first().pk})

    assert enrolled.status_code == 302
    assert twice.status_code == 400 and "Pondok Lele is already in Angkatan 2027." in twice.content.decode()
    assert not_registered.status_code == 400 and "has not registered yet" in not_registered.content.decode()
    assert skipped.status_code == 400 and "only to the next stage or back one" in skipped.content.decode()
    assert moved.status_code == 302
    assert back_without_note.status_code == 400 and "goes back a stage" in back_without_note.content.decode()
    assert foreign_stage.status_code == 400
    participant.refresh_from_db()
    assert participant.stage == stages[1]
    history = [(e.from_stage_id, e.to_stage_id, e.actor_id, e.note) for e in StageEvent.objects.order_by("pk")]
    assert history == [
        (None, stages[0].pk, officer.pk, ""),
        (stages[0].pk, stages[1].pk, officer.pk, "Berkas lengkap"),
    ]
    assert Participant.objects.count() == 1
    with translation.override("en"), pytest.raises(ValidationError, match="another cohort"):
        services.participant_move(scope=scope, participant=participant, to_stage=other_cohort.stages.last(), actor=None)


def test_stages_can_be_renamed_and_added_but_a_reached_stage_is_not_removed(english, world):
    tree = world["areas"]["sukabumi"]
    record = registered_record(tree, nspp="510032020001", name="Pondok Lele")
    cohort = world["cohort"]
    scope = access.scope_for(world["provincial"])
    participant = services.participant_enrol(scope=scope, cohort=cohort, pesantren=record, actor=None)
    stages = selectors.cohort_stages(cohort)
    services.participant_move(scope=scope, participant=participant, to_stage=stages[1], actor=None)
    english.force_login(world["provincial"])
    url = reverse("programme:cohort-stages", args=[cohort.pk])

    renamed = english.post(url, {"stages": "Terdaftar\nCek berkas\nPendampingan\nKurasi\nJuara\nPameran"})
    removed = english.post(url, {"stages": "Terdaftar"})
    shortened = english.post(url, {"stages": "Terdaftar\nCek berkas\nPendampingan"})

    assert renamed.status_code == 302
    assert removed.status_code == 400
    assert shortened.status_code == 302
    assert [s.name for s in selectors.cohort_stages(cohort)] == ["Terdaftar", "Cek berkas", "Pendampingan"]
    services.participant_move(scope=scope, participant=participant, to_stage=cohort.stages.get(position=3), actor=None)
    with translation.override("en"), pytest.raises(ValidationError, match="cannot be removed"):
        services.cohort_stages_update(scope=scope, cohort=cohort, stage_names=["Terdaftar", "Cek berkas"])
    assert [s.name for s in selectors.cohort_stages(cohort)] == ["Terdaftar", "Cek berkas", "Pendampingan"]


def test_the_funnel_counts_each_stage_per_kabupaten_in_scope_with_constant_queries(english, world):
    areas = world["areas"]
    scope = access.scope_for(world["provincial"])
    cohort = world["cohort"]
    stages = selectors.cohort_stages(cohort)

    def enrol(tree, nspp, name, moves=0):
        participant = services.participant_enrol(
            scope=scope, cohort=cohort, pesantren=registered_record(tree, nspp=nspp, name=name), actor=None
        )
        for stage in stages[1 : moves + 1]:
            services.participant_move(scope=scope, participant=participant, to_stage=stage, actor=None)

    enrol(areas["sukabumi"], "510032020001", "Pondok Sukabumi A", moves=2)
    enrol(areas["sukabumi"], "510032020002", "Pondok Sukabumi B")
    enrol(areas["bandung"], "510032040001", "Pondok Bandung Rahasia", moves=4)
    english.force_login(world["provincial"])
    url = reverse("programme:cohort", args=[cohort.pk])
    english.get(url)
    with CaptureQueriesContext(connection) as small:
        page = english.get(url)
    for i in range(3, 8):
        enrol(areas["bandung"], f"5100320400{i:02d}", f"Pondok Bandung {i}", moves=i % 3)
    with CaptureQueriesContext(connection) as large:
        english.get(url)

    funnel = [(row.code, row.counts) for row in page.context["funnel"]]
    assert funnel == [
        ("32.02", [1, 0, 1, 0, 0]),
        ("32.04", [0, 0, 0, 0, 1]),
        ("", [1, 0, 1, 0, 1]),
    ]
    assert len(large) == len(small)
    # a district officer's funnel and list hold its own kabupaten only
    english.force_login(world["officer"])
    own = english.get(url)
    assert [(row.code, row.counts) for row in own.context["funnel"]] == [
        ("32.02", [1, 0, 1, 0, 0]),
        ("", [1, 0, 1, 0, 0]),
    ]
    assert "Pondok Bandung" not in own.content.decode()

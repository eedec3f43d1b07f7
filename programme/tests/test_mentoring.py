"""Mentors: assigned pesantren only, visit logs with action items, bad dates refused with nothing saved."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from programme import access, services
from programme.models import ActionItem, MentorVisit, RoleKind
from programme.tests.helpers import make_areas, make_mapped, make_provincial_officer, make_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    areas = make_areas()
    province = access.scope_for(make_provincial_officer())
    mentor = make_role(RoleKind.MENTOR)
    mine = make_mapped(areas["sukabumi"], name="Pondok Lele Barokah", nspp="510032020001")
    theirs = make_mapped(areas["bandung"], name="Pondok Orang Lain", nspp="510032040001")
    assignment = services.mentor_assign(scope=province, mentor=mentor, pesantren=mine, assigned_by=None)
    other = services.mentor_assign(
        scope=province, mentor=make_role(RoleKind.MENTOR), pesantren=theirs, assigned_by=None
    )
    client.force_login(mentor)
    return {"mentor": mentor, "assignment": assignment, "other": other}


def test_a_mentor_logs_a_visit_with_action_items(client, world):
    url = reverse("programme:mentor-visits", args=[world["assignment"].pk])
    today = timezone.localdate()

    home = client.get(reverse("programme:mentor-home"))
    response = client.post(
        url,
        {
            "visited_on": today.isoformat(),
            "topics": "Kemasan dan harga",
            "notes": "Label halal sudah ada",
            "action_1": "Foto produk ulang",
            "due_1": (today + datetime.timedelta(days=7)).isoformat(),
            "action_2": "",
            "due_2": "",
        },
    )

    assert "Pondok Lele Barokah" in home.content.decode() and "Pondok Orang Lain" not in home.content.decode()
    assert response.status_code == 302
    visit = MentorVisit.objects.get()
    assert (visit.assignment, visit.visited_on, visit.topics, visit.notes) == (
        world["assignment"],
        today,
        "Kemasan dan harga",
        "Label halal sudah ada",
    )
    assert list(ActionItem.objects.values_list("description", "due_on")) == [
        ("Foto produk ulang", today + datetime.timedelta(days=7))
    ]
    assert "Foto produk ulang" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"visited_on": "2999-01-01"}, "A visit cannot be in the future."),
        ({"due_1": "2000-01-01"}, "An action cannot be due before the visit."),
        ({"due_1": ""}, "Give the action a due date."),
        ({"action_1": ""}, "Describe the action, or clear its due date."),
        ({"topics": ""}, "This field is required."),
        ({"visited_on": "kemarin"}, "Enter a valid date."),
    ],
)
def test_bad_visits_are_refused_with_a_clear_error_and_nothing_saved(client, world, data, message):
    today = timezone.localdate().isoformat()
    valid = {"visited_on": today, "topics": "Kemasan", "action_1": "Label", "due_1": today}

    response = client.post(reverse("programme:mentor-visits", args=[world["assignment"].pk]), {**valid, **data})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MentorVisit.objects.exists() and not ActionItem.objects.exists()


def test_a_mentor_cannot_reach_another_mentors_pesantren(client, world):
    url = reverse("programme:mentor-visits", args=[world["other"].pk])
    today = timezone.localdate().isoformat()

    assert client.get(url).status_code == 404
    assert client.post(url, {"visited_on": today, "topics": "Dibajak"}).status_code == 404
    assert not MentorVisit.objects.exists()

"""Roles and mentor assignments: the provincial office grants and revokes roles by email; officers
assign mentors to (and end the assignments of) pesantren of their own area only; every change writes
an audit row saying who, when and what."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from programme import access, services
from programme.models import AccessAction, AccessEvent, MentorAssignment, ProgrammeRole, RoleKind
from programme.tests.helpers import (
    make_areas,
    make_district_officer,
    make_mapped,
    make_provincial_officer,
    make_role,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    areas = make_areas()
    provincial = make_provincial_officer("kantor@example.com")
    district = make_district_officer(areas["sukabumi"]["kabupaten"], email="dinas@example.com")
    mentor = make_role(RoleKind.MENTOR, email="mentor@example.com")
    return {
        "areas": areas,
        "provincial": provincial,
        "district": district,
        "mentor": mentor,
        "sukabumi_record": make_mapped(areas["sukabumi"], name="Pondok Sukabumi", nspp="510032020001"),
        "bandung_record": make_mapped(areas["bandung"], name="Pondok Bandung", nspp="510032040001"),
    }


def test_the_provincial_office_grants_a_district_role_by_email_and_it_is_audited(client, world):
    user = make_user("Asep@Example.com")
    client.force_login(world["provincial"])

    response = client.post(
        reverse("programme:roles"), {"email": "asep@example.com", "kind": "district", "kabupaten": "32.04"}
    )

    assert response.status_code == 302
    role = ProgrammeRole.objects.get(user=user)
    assert (role.kind, role.kabupaten_id) == (RoleKind.DISTRICT, "32.04")
    assert access.scope_for(user).kabupaten_codes == {"32.04"}
    event = AccessEvent.objects.get(action=AccessAction.ROLE_GRANTED)
    assert (event.actor, event.user, event.user_email, event.kind, event.kabupaten_id) == (
        world["provincial"],
        user,
        user.email,
        "district",
        "32.04",
    )
    page = client.get(reverse("programme:roles")).content.decode()
    assert user.email in page and "kantor@example.com" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "mentor@example.com", "kind": "mentor"}, "mentor@example.com already holds the role Mentor."),
        ({"email": "nobody@example.com", "kind": "judge"}, "No active account uses nobody@example.com."),
        ({"email": "baru@example.com", "kind": "district"}, "A district officer needs the kabupaten/kota"),
        ({"email": "baru@example.com", "kind": "district", "kabupaten": "31.71"}, "Select a valid choice."),
        ({"email": "bukan-email", "kind": "curator"}, "Enter a valid email address."),
        ({"email": "baru@example.com", "kind": "raja"}, "Select a valid choice."),
    ],
    ids=["twice", "unknown-email", "district-without-kabupaten", "outside-province", "bad-email", "bad-kind"],
)
def test_bad_grants_are_refused_with_a_clear_error_and_nothing_saved(client, world, data, message):
    make_user("baru@example.com")
    client.force_login(world["provincial"])
    roles_before = ProgrammeRole.objects.count()

    response = client.post(reverse("programme:roles"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ProgrammeRole.objects.count() == roles_before
    assert not AccessEvent.objects.exists()


def test_revoking_a_mentor_role_ends_its_assignments_each_audited(client, world):
    province = access.scope_for(world["provincial"])
    assignment = services.mentor_assign(
        scope=province, mentor=world["mentor"], pesantren=world["sukabumi_record"], assigned_by=world["provincial"]
    )
    role = ProgrammeRole.objects.get(user=world["mentor"])
    client.force_login(world["provincial"])

    response = client.post(reverse("programme:role-revoke", args=[role.pk]))

    assert response.status_code == 302
    assert not ProgrammeRole.objects.filter(pk=role.pk).exists()
    assignment.refresh_from_db()
    assert assignment.ended_at is not None and assignment.ended_by == world["provincial"]
    assert list(AccessEvent.objects.order_by("pk").values_list("action", "actor__email", "user_email")) == [
        (AccessAction.MENTOR_ASSIGNED, "kantor@example.com", "mentor@example.com"),
        (AccessAction.MENTOR_ENDED, "kantor@example.com", "mentor@example.com"),
        (AccessAction.ROLE_REVOKED, "kantor@example.com", "mentor@example.com"),
    ]


def test_the_provincial_office_cannot_revoke_its_own_role(client, world):
    own = ProgrammeRole.objects.create(user=world["provincial"], kind=RoleKind.PROVINCIAL)
    client.force_login(world["provincial"])

    response = client.post(reverse("programme:role-revoke", args=[own.pk]), follow=True)

    assert "You cannot revoke your own provincial office role." in response.content.decode()
    assert ProgrammeRole.objects.filter(pk=own.pk).exists()


def test_only_the_provincial_office_grants_and_revokes_roles(client, world):
    role = ProgrammeRole.objects.get(user=world["mentor"])
    district_scope = access.scope_for(world["district"])
    client.force_login(world["district"])

    assert client.get(reverse("programme:roles")).status_code == 403
    assert client.post(reverse("programme:role-revoke", args=[role.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.role_grant(
            scope=district_scope, email="mentor@example.com", kind="judge", kabupaten=None, granted_by=None
        )
    assert ProgrammeRole.objects.filter(pk=role.pk).exists()


def test_a_district_officer_assigns_a_mentor_in_its_kabupaten_and_ends_it(client, world):
    client.force_login(world["district"])

    page = client.get(reverse("programme:assignments"))
    assigned = client.post(
        reverse("programme:assignments"), {"email": "mentor@example.com", "pesantren": world["sukabumi_record"].pk}
    )
    assignment = MentorAssignment.objects.get()
    listed = client.get(reverse("programme:assignments")).content.decode()
    ended = client.post(reverse("programme:assignment-end", args=[assignment.pk]))

    offered = [record.pk for record in page.context["form"].fields["pesantren"].queryset]
    assert offered == [world["sukabumi_record"].pk]
    assert assigned.status_code == 302 and assignment.mentor == world["mentor"]
    assert "Pondok Sukabumi" in listed and "mentor@example.com" in listed
    assert ended.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_at is not None and assignment.ended_by == world["district"]
    assert list(AccessEvent.objects.order_by("pk").values_list("action", "actor__email", "pesantren__name")) == [
        (AccessAction.MENTOR_ASSIGNED, "dinas@example.com", "Pondok Sukabumi"),
        (AccessAction.MENTOR_ENDED, "dinas@example.com", "Pondok Sukabumi"),
    ]
    # an ended assignment is history: the mentor may be assigned again
    services.mentor_assign(
        scope=access.scope_for(world["district"]),
        mentor=world["mentor"],
        pesantren=world["sukabumi_record"],
        assigned_by=world["district"],
    )
    assert MentorAssignment.objects.filter(ended_at__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("email", "record", "message"),
    [
        ("mentor@example.com", "bandung_record", "Select a valid choice."),
        ("dinas@example.com", "sukabumi_record", "dinas@example.com is not a mentor"),
        ("siapa@example.com", "sukabumi_record", "No active account uses siapa@example.com."),
    ],
    ids=["outside-the-district", "not-a-mentor", "unknown-email"],
)
def test_bad_assignments_are_refused_and_nothing_saved(client, world, email, record, message):
    client.force_login(world["district"])

    response = client.post(reverse("programme:assignments"), {"email": email, "pesantren": world[record].pk})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MentorAssignment.objects.exists() and not AccessEvent.objects.exists()


def test_assigning_the_same_mentor_twice_is_refused(client, world):
    client.force_login(world["district"])
    data = {"email": "mentor@example.com", "pesantren": world["sukabumi_record"].pk}

    client.post(reverse("programme:assignments"), data)
    again = client.post(reverse("programme:assignments"), data)

    assert again.status_code == 400
    assert "mentor@example.com is already the mentor of Pondok Sukabumi." in again.content.decode()
    assert MentorAssignment.objects.count() == 1 and AccessEvent.objects.count() == 1


def test_the_services_refuse_a_pesantren_outside_the_district_whatever_the_caller(world):
    district = access.scope_for(world["district"])
    province = access.scope_for(world["provincial"])
    bandung = services.mentor_assign(
        scope=province, mentor=world["mentor"], pesantren=world["bandung_record"], assigned_by=None
    )

    with pytest.raises(PermissionDenied):
        services.mentor_assign(
            scope=district, mentor=world["mentor"], pesantren=world["bandung_record"], assigned_by=None
        )
    with pytest.raises(PermissionDenied):
        services.mentor_assignment_end(scope=district, assignment=bandung, ended_by=None)
    with pytest.raises(ValidationError):
        services.mentor_assign(
            scope=province, mentor=world["mentor"], pesantren=world["bandung_record"], assigned_by=None
        )
    bandung.refresh_from_db()
    assert bandung.ended_at is None
    # the district officer's list and audit show nothing of Bandung
    assert not access.assignments_managed(district).exists()
    assert not access.access_events(district).exists()

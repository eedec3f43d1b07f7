"""Pesantren teams: owners invite by email and remove staff; an invitation link creates or links the account."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sellers.access import seller_role
from sellers.team_models import TeamInvitation, TeamMembership, TeamRole
from sellers.team_services import team_invitation_accept, team_invite, team_member_remove
from tests.factories import make_region_tree, make_seller, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return make_seller(name="Pesantren Alfa", regions=make_region_tree())


def join(seller, email="staf@example.com", role=TeamRole.STAFF):
    invitation = team_invite(seller=seller, email=email, role=role, invited_by=seller.owner)
    user = make_user(email=email)
    team_invitation_accept(invitation=invitation, user=user)
    return user


def test_owner_invites_by_email_and_the_link_is_mailed(client, seller, django_capture_on_commit_callbacks):
    client.force_login(seller.owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:team"), {"email": "Staf@Example.com", "role": "staff"})

    assert response.status_code == 302
    invitation = TeamInvitation.objects.get()
    assert (invitation.email, invitation.role, invitation.seller) == ("staf@example.com", "staff", seller)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["staf@example.com"]
    assert reverse("dashboard:team-accept", kwargs={"token": invitation.token}) in mail.outbox[0].body


def test_an_invitation_delivered_twice_is_mailed_once(seller, django_capture_on_commit_callbacks):
    from sellers.team_tasks import send_team_invitation_email

    with django_capture_on_commit_callbacks(execute=True):
        invitation = team_invite(seller=seller, email="staf@example.com", role=TeamRole.STAFF, invited_by=seller.owner)

    # the outbox delivers at least once: the task may run again
    send_team_invitation_email(invitation.pk)

    assert [message.to for message in mail.outbox] == [["staf@example.com"]]


def test_a_second_open_invitation_to_the_same_email_is_refused(seller):
    team_invite(seller=seller, email="staf@example.com", role=TeamRole.STAFF, invited_by=seller.owner)

    with pytest.raises(ValidationError):
        team_invite(seller=seller, email="staf@example.com", role=TeamRole.STAFF, invited_by=seller.owner)
    assert TeamInvitation.objects.count() == 1


def test_a_new_person_accepts_by_creating_an_account_and_can_use_the_dashboard(client, seller):
    # given
    invitation = team_invite(seller=seller, email="baru@example.com", role=TeamRole.STAFF, invited_by=seller.owner)
    url = reverse("dashboard:team-accept", kwargs={"token": invitation.token})
    assert "Pesantren Alfa" in client.get(url).content.decode()

    # when
    response = client.post(url, {"password1": "Sangat-Rahasia-42", "password2": "Sangat-Rahasia-42"})

    # then
    assert response.status_code == 302
    membership = TeamMembership.objects.get(seller=seller)
    user = membership.user
    assert (user.email, membership.role) == ("baru@example.com", TeamRole.STAFF)
    assert seller.partner.users.filter(pk=user.pk).exists()
    assert user.has_perm("partner.dashboard_access")
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and not invitation.is_open
    assert client.get(reverse("fulfilment-dashboard:seller-order-list")).status_code == 200


def test_an_existing_account_signs_in_and_joins(client, seller):
    user = make_user(email="lama@example.com")
    invitation = team_invite(seller=seller, email="lama@example.com", role=TeamRole.OWNER, invited_by=seller.owner)
    client.force_login(user)

    response = client.post(reverse("dashboard:team-accept", kwargs={"token": invitation.token}))

    assert response.status_code == 302
    assert seller_role(seller=seller, user=user) == TeamRole.OWNER


def test_someone_signed_in_with_another_email_sees_nothing_of_the_invitation(client, seller):
    invitation = team_invite(seller=seller, email="staf@example.com", role=TeamRole.STAFF, invited_by=seller.owner)
    client.force_login(make_user(email="lain@example.com"))
    url = reverse("dashboard:team-accept", kwargs={"token": invitation.token})

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not TeamMembership.objects.exists()


def test_expired_and_revoked_invitations_cannot_be_accepted(seller):
    expired = team_invite(seller=seller, email="a@example.com", role=TeamRole.STAFF, invited_by=seller.owner)
    TeamInvitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    revoked = team_invite(seller=seller, email="b@example.com", role=TeamRole.STAFF, invited_by=seller.owner)
    TeamInvitation.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())

    for invitation, email in ((expired, "a@example.com"), (revoked, "b@example.com")):
        with pytest.raises(ValidationError):
            team_invitation_accept(invitation=invitation, user=make_user(email=email))
    assert not TeamMembership.objects.exists()


def test_a_user_of_another_pesantren_cannot_join(seller):
    other = make_seller(name="Pesantren Beta", regions=make_region_tree())
    invitation = team_invite(seller=seller, email=other.owner.email, role=TeamRole.STAFF, invited_by=seller.owner)

    with pytest.raises(ValidationError):
        team_invitation_accept(invitation=invitation, user=other.owner)
    assert not seller.partner.users.filter(pk=other.owner_id).exists()


def test_staff_cannot_manage_the_team(client, seller):
    staff = join(seller)
    client.force_login(staff)

    assert client.get(reverse("dashboard:team")).status_code == 403
    assert client.post(reverse("dashboard:team"), {"email": "x@example.com", "role": "owner"}).status_code == 403
    remove_url = reverse("dashboard:team-remove", kwargs={"user_pk": seller.owner_id})
    assert client.post(remove_url).status_code == 403
    with pytest.raises(PermissionDenied):
        team_invite(seller=seller, email="y@example.com", role=TeamRole.STAFF, invited_by=staff)
    assert not TeamInvitation.objects.filter(email__in=["x@example.com", "y@example.com"]).exists()


def test_owner_removes_staff_who_then_loses_the_dashboard(client, seller):
    # given
    staff = join(seller)
    client.force_login(seller.owner)

    # when
    response = client.post(reverse("dashboard:team-remove", kwargs={"user_pk": staff.pk}))

    # then
    assert response.status_code == 302
    assert not seller.partner.users.filter(pk=staff.pk).exists()
    assert not TeamMembership.objects.filter(user=staff).exists()
    staff = type(staff).objects.get(pk=staff.pk)
    assert not staff.has_perm("partner.dashboard_access")
    client.force_login(staff)
    assert client.get(reverse("fulfilment-dashboard:seller-order-list")).status_code == 404


def test_the_account_owner_cannot_be_removed(seller):
    co_owner = join(seller, email="wakil@example.com", role=TeamRole.OWNER)

    with pytest.raises(ValidationError):
        team_member_remove(seller=seller, user=seller.owner, removed_by=co_owner)
    assert seller.partner.users.filter(pk=seller.owner_id).exists()


def test_team_page_lists_members_with_roles_within_a_query_budget(client, seller, django_assert_max_num_queries):
    for index in range(5):
        join(seller, email=f"staf{index}@example.com")
    client.force_login(seller.owner)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("dashboard:team"))

    assert [row["role"] for row in response.context["members"]] == ["owner"] + ["staff"] * 5

"""Members of an off-taker company: approvers add, re-role and remove them; invitations; settings."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from companies.account_models import CompanyEvent, CompanyEventKind, CompanyInvitation
from companies.models import CompanyMembership, MembershipRole
from companies.services import (
    company_invitation_accept,
    company_member_add,
    company_member_remove,
    company_member_set_role,
    company_set_approval_threshold,
)
from tests.factories import make_company, make_user

pytestmark = pytest.mark.django_db

MEMBERS_URL = "/offtaker/anggota/"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def team():
    approver, buyer = make_user("approver@mitra.id"), make_user("buyer@mitra.id")
    company = make_company(members=[(approver, "approver"), (buyer, "buyer")])
    return {"company": company, "approver": approver, "buyer": buyer}


def membership(team, key):
    return CompanyMembership.objects.get(company=team["company"], user=team[key])


def test_urls_are_where_the_business_area_expects_them():
    assert reverse("companies:member-list") == MEMBERS_URL
    assert reverse("companies:settings") == "/offtaker/pengaturan/"
    assert reverse("companies:home") == "/offtaker/"
    assert reverse("purchasing:order-list") == "/offtaker/pesanan/"


def test_approver_adds_an_existing_account_at_once_and_it_is_told_by_email(
    english, team, django_capture_on_commit_callbacks
):
    existing = make_user("Siti@Example.com")
    english.force_login(team["approver"])

    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(MEMBERS_URL, {"email": " siti@example.com ", "role": "buyer"}, follow=True)

    assert CompanyMembership.objects.get(company=team["company"], user=existing).role == MembershipRole.BUYER
    assert not CompanyInvitation.objects.exists()
    assert [m.to for m in mail.outbox] == [[existing.email]]
    assert team["company"].legal_name in mail.outbox[0].subject
    assert existing.email in response.content.decode()
    event = CompanyEvent.objects.get(kind=CompanyEventKind.MEMBER_ADDED)
    assert (event.actor, event.data) == (team["approver"], {"email": existing.email, "role": "buyer"})


def test_adding_someone_already_a_member_is_refused_with_a_message(english, team):
    english.force_login(team["approver"])

    response = english.post(MEMBERS_URL, {"email": "buyer@mitra.id", "role": "approver"})

    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    assert membership(team, "buyer").role == MembershipRole.BUYER


def test_invitation_for_a_new_person_creates_the_account_on_acceptance(
    english, team, django_capture_on_commit_callbacks
):
    english.force_login(team["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        english.post(MEMBERS_URL, {"email": "new@mitra.id", "role": "approver"})
    invitation = CompanyInvitation.objects.get()
    accept_url = reverse("companies:invitation-accept", kwargs={"token": invitation.token})
    assert mail.outbox[0].to == ["new@mitra.id"] and accept_url in mail.outbox[0].body
    english.logout()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # logout() drops every cookie

    page = english.get(accept_url)
    mismatch = english.post(accept_url, {"password1": "Kuat-Sekali-77", "password2": "lain-lagi-88"})
    response = english.post(accept_url, {"password1": "Kuat-Sekali-77", "password2": "Kuat-Sekali-77"}, follow=True)

    assert page.status_code == 200 and "Create account and join" in page.content.decode()
    assert mismatch.status_code == 400
    user = get_user_model().objects.get(email="new@mitra.id")
    assert CompanyMembership.objects.get(company=team["company"], user=user).role == MembershipRole.APPROVER
    assert response.context["user"] == user  # signed in
    assert response.redirect_chain[-1][0].startswith(reverse("companies:home"))
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.is_open) == (user, False)
    # The link works once.
    english.logout()
    assert english.post(accept_url, {"password1": "x", "password2": "x"}).status_code == 400


def test_an_existing_account_signs_in_to_accept_and_another_account_sees_nothing(english, team):
    invitation = company_member_add(
        company=team["company"], email="late@mitra.id", role="buyer", added_by=team["approver"]
    )
    assert isinstance(invitation, CompanyInvitation)
    late = make_user("late@mitra.id")  # signed up after the invitation was sent
    accept_url = reverse("companies:invitation-accept", kwargs={"token": invitation.token})

    anonymous = english.post(accept_url, {})
    english.force_login(make_user("someone@else.id"))
    stranger = english.get(accept_url)
    english.force_login(late)
    joined = english.post(accept_url)

    assert anonymous.status_code == 302 and reverse("customer:login") in anonymous["Location"]
    assert stranger.status_code == 404
    assert joined.status_code == 302
    assert CompanyMembership.objects.get(company=team["company"], user=late).role == MembershipRole.BUYER


def test_expired_or_revoked_invitations_cannot_be_accepted(team):
    invitation = company_member_add(
        company=team["company"], email="x@mitra.id", role="buyer", added_by=team["approver"]
    )
    CompanyInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    with pytest.raises(ValidationError):
        company_invitation_accept(invitation=invitation, user=make_user("x@mitra.id"))
    # An expired invitation does not block a new one.
    again = company_member_add(company=team["company"], email="x@mitra.id", role="buyer", added_by=team["approver"])
    assert again.pk != invitation.pk
    with pytest.raises(ValidationError):
        company_member_add(company=team["company"], email="x@mitra.id", role="buyer", added_by=team["approver"])


def test_approver_withdraws_an_invitation(english, team):
    invitation = company_member_add(
        company=team["company"], email="x@mitra.id", role="buyer", added_by=team["approver"]
    )
    english.force_login(team["approver"])

    english.post(reverse("companies:invitation-revoke", kwargs={"pk": invitation.pk}))

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_approver_changes_a_role_and_removes_a_member(english, team):
    english.force_login(team["approver"])

    english.post(reverse("companies:member-role", kwargs={"pk": membership(team, "buyer").pk}), {"role": "approver"})
    assert membership(team, "buyer").role == MembershipRole.APPROVER
    english.post(reverse("companies:member-remove", kwargs={"pk": membership(team, "buyer").pk}))

    assert not CompanyMembership.objects.filter(company=team["company"], user=team["buyer"]).exists()
    kinds = list(CompanyEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [CompanyEventKind.MEMBER_ROLE_CHANGED, CompanyEventKind.MEMBER_REMOVED]


def test_the_last_approver_can_be_neither_demoted_nor_removed(english, team):
    english.force_login(team["approver"])
    own = membership(team, "approver")

    demoted = english.post(reverse("companies:member-role", kwargs={"pk": own.pk}), {"role": "buyer"}, follow=True)
    removed = english.post(reverse("companies:member-remove", kwargs={"pk": own.pk}), follow=True)

    assert "at least one approver" in demoted.content.decode()
    assert "The last approver cannot be removed" in removed.content.decode()
    assert membership(team, "approver").role == MembershipRole.APPROVER
    with pytest.raises(ValidationError):
        company_member_set_role(
            company=team["company"], user=team["approver"], role="buyer", changed_by=team["approver"]
        )
    # With a second approver the first may step down.
    company_member_set_role(company=team["company"], user=team["buyer"], role="approver", changed_by=team["approver"])
    company_member_remove(company=team["company"], user=team["approver"], removed_by=team["approver"])
    assert list(team["company"].memberships.values_list("role", flat=True)) == ["approver"]


def test_buyers_see_the_members_read_only_and_cannot_change_them(english, team):
    english.force_login(team["buyer"])

    page = english.get(MEMBERS_URL)
    add = english.post(MEMBERS_URL, {"email": "x@mitra.id", "role": "buyer"})
    promote = english.post(
        reverse("companies:member-role", kwargs={"pk": membership(team, "buyer").pk}), {"role": "approver"}
    )
    remove = english.post(reverse("companies:member-remove", kwargs={"pk": membership(team, "approver").pk}))

    html = page.content.decode()
    assert page.status_code == 200 and "approver@mitra.id" in html and "buyer@mitra.id" in html
    assert 'id="member-add-form"' not in html and "Change role" not in html
    assert (add.status_code, promote.status_code, remove.status_code) == (403, 403, 403)
    assert membership(team, "buyer").role == MembershipRole.BUYER
    assert CompanyMembership.objects.filter(company=team["company"]).count() == 2
    assert not CompanyInvitation.objects.exists()


def test_another_company_members_are_out_of_reach(english, team):
    other_approver = make_user("boss@lain.id")
    other = make_company(members=[(other_approver, "approver"), (make_user("staff@lain.id"), "buyer")])
    other_membership = CompanyMembership.objects.get(company=other, user=other_approver)
    english.force_login(team["approver"])

    listing = english.get(MEMBERS_URL, {"company": other.pk})
    remove = english.post(reverse("companies:member-remove", kwargs={"pk": other_membership.pk}))
    role = english.post(reverse("companies:member-role", kwargs={"pk": other_membership.pk}), {"role": "buyer"})
    own_list = english.get(MEMBERS_URL)

    assert (listing.status_code, remove.status_code, role.status_code) == (404, 404, 404)
    assert "staff@lain.id" not in own_list.content.decode()
    assert CompanyMembership.objects.filter(company=other).count() == 2


def test_member_list_queries_stay_bounded(english, team, django_assert_max_num_queries):
    for index in range(15):
        CompanyMembership.objects.create(company=team["company"], user=make_user(f"m{index}@mitra.id"))
    english.force_login(team["approver"])

    with django_assert_max_num_queries(20):
        response = english.get(MEMBERS_URL)

    assert response.content.decode().count("data-member=") == 17


def test_approver_sets_and_clears_the_approval_threshold(english, team):
    english.force_login(team["approver"])

    english.post(reverse("companies:settings"), {"threshold": "2.500.000"})
    team["company"].refresh_from_db()
    assert team["company"].approval_threshold == 2_500_000
    english.post(reverse("companies:settings"), {"threshold": ""})
    team["company"].refresh_from_db()
    bad = english.post(reverse("companies:settings"), {"threshold": "abc"})

    assert team["company"].approval_threshold is None
    assert bad.status_code == 400
    events = CompanyEvent.objects.filter(kind=CompanyEventKind.APPROVAL_THRESHOLD_SET).order_by("pk")
    assert [e.data["approval_threshold"] for e in events] == [[None, 2_500_000], [2_500_000, None]]


def test_buyers_may_not_set_the_threshold(english, team):
    english.force_login(team["buyer"])

    page = english.get(reverse("companies:settings"))
    post = english.post(reverse("companies:settings"), {"threshold": "1"})

    assert (page.status_code, post.status_code) == (403, 403)
    team["company"].refresh_from_db()
    assert team["company"].approval_threshold is None
    with pytest.raises(PermissionDenied):
        company_set_approval_threshold(company=team["company"], threshold=5, set_by=team["buyer"])

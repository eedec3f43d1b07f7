"""The permission check reads a user's own and groups' permissions in one query, with Django's answers."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="partner", codename=codename)


def fresh(user):
    # The permission cache lives on the instance, as on request.user for one request.
    return type(user).objects.get(pk=user.pk)


def test_own_and_group_permissions_are_read_in_one_query():
    user = make_user()
    user.user_permissions.add(permission("dashboard_access"))
    group = Group.objects.create(name="Staf gudang")
    group.permissions.add(permission("change_stockrecord"))
    user.groups.add(group)
    user = fresh(user)

    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm("partner.dashboard_access")
        assert user.has_perm("partner.change_stockrecord")
        assert not user.has_perm("partner.delete_partner")

    assert len(queries) == 1
    assert user.get_all_permissions() == {"partner.dashboard_access", "partner.change_stockrecord"}


def test_a_user_without_permissions_has_none_and_an_inactive_one_none_of_theirs():
    assert not fresh(make_user()).has_perm("partner.dashboard_access")

    inactive = make_user(is_active=False)
    inactive.user_permissions.add(permission("dashboard_access"))
    assert not fresh(inactive).has_perm("partner.dashboard_access")


def test_a_superuser_has_every_permission():
    admin = make_user(is_superuser=True)

    assert fresh(admin).has_perm("partner.delete_partner")

"""The authentication backends, reading a user's permissions (own and groups') in one query instead of two.

Every page's header asks `perms.partner.dashboard_access` of a signed-in user, so Django's two permission
queries were paid on every page. Both backends below fill the same per-request cache (`_perm_cache` on
the user), so whichever is asked first reads it for the other.
"""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q
from oscar.apps.customer.auth_backends import EmailBackend as OscarEmailBackend


class OnePermissionQueryMixin:
    def get_all_permissions(self, user_obj, obj=None):
        active = user_obj.is_active and not user_obj.is_anonymous and obj is None
        # A superuser's are every permission: Django's own reading is already one query.
        if active and not user_obj.is_superuser and not hasattr(user_obj, "_perm_cache"):
            permissions = (
                Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
                .values_list("content_type__app_label", "codename")
                .distinct()
            )
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in permissions}
        return super().get_all_permissions(user_obj, obj)


class EmailBackend(OnePermissionQueryMixin, OscarEmailBackend):
    pass


class ModelBackend(OnePermissionQueryMixin, DjangoModelBackend):
    pass

"""Dashboard navigation access for our own dashboard pages, beside Oscar's."""

from oscar.apps.dashboard.nav import default_access_fn

# Our dashboard URL namespaces and the permission each requires.
PERMISSION_BY_NAMESPACE = {"sellers-dashboard": "sellers.review_seller"}


def access_fn(user, url_name, url_args=None, url_kwargs=None):
    namespace = (url_name or "").partition(":")[0]
    if namespace in PERMISSION_BY_NAMESPACE:
        return user.is_active and user.has_perm(PERMISSION_BY_NAMESPACE[namespace])
    return default_access_fn(user, url_name, url_args, url_kwargs)

"""Dashboard navigation access for our own dashboard pages, beside Oscar's."""

from oscar.apps.dashboard.nav import default_access_fn

# Our dashboard URL namespaces and the permission each requires.
from fulfilment.selectors import seller_for_user

# Our dashboard pages: the permission each needs, by URL name or else by namespace.
PERMISSION_BY_URL_NAME = {
    "payouts-dashboard:my-ledger": "partner.dashboard_access",
    "ratings-dashboard:seller-review-list": "partner.dashboard_access",
    "ratings-dashboard:reply": "partner.dashboard_access",
    "dashboard:seller-profile": "partner.dashboard_access",
    "dashboard:team": "partner.dashboard_access",
    "dashboard:product-import": "partner.dashboard_access",
}
PERMISSION_BY_NAMESPACE = {
    "sellers-dashboard": "sellers.review_seller",
    "fulfilment-dashboard": "partner.dashboard_access",
    "shipping-dashboard": "partner.dashboard_access",
    "payouts-dashboard": "payouts.manage_payouts",
    "bank_transfers": "bank_transfers.review_transfer",
    "ratings-dashboard": "ratings.moderate_review",
    "programme": "programme.view_programme",
    "invoices-dashboard": "invoices.manage_invoices",
    "offtakers-dashboard": "offtakers.verify_company",
    "wholesale": "partner.dashboard_access",
    "quotes-dashboard": "partner.dashboard_access",
}
# Pages of a pesantren's own shop: shown only to users who work for a pesantren.
SELLER_PERMISSION = "partner.dashboard_access"


def access_fn(user, url_name, url_args=None, url_kwargs=None):
    name = url_name or ""
    permission = PERMISSION_BY_URL_NAME.get(name) or PERMISSION_BY_NAMESPACE.get(name.partition(":")[0])
    if permission is None:
        return default_access_fn(user, url_name, url_args, url_kwargs)
    if not (user.is_active and user.has_perm(permission)):
        return False
    if permission != SELLER_PERMISSION:
        return True
    if not hasattr(user, "_dashboard_seller"):
        # The menu asks once per entry; look the pesantren up once per request.
        user._dashboard_seller = seller_for_user(user=user)
    return user._dashboard_seller is not None

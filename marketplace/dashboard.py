"""Dashboard navigation access for our own dashboard pages, beside Oscar's."""

from oscar.apps.dashboard.nav import default_access_fn

from programme.access import can_open_curation_url, can_open_url
from sellers.access import is_seller_owner, seller_for_user

# Our dashboard pages: the permission each needs, by URL name or else by namespace.
PERMISSION_BY_URL_NAME = {
    "payouts-dashboard:my-ledger": "partner.dashboard_access",
    "ratings-dashboard:seller-review-list": "partner.dashboard_access",
    "ratings-dashboard:reply": "partner.dashboard_access",
    "dashboard:seller-sales": "partner.dashboard_access",
    "dashboard:seller-profile": "partner.dashboard_access",
    "dashboard:seller-bank-account": "partner.dashboard_access",
    "dashboard:team": "partner.dashboard_access",
    "dashboard:product-import": "partner.dashboard_access",
}
PERMISSION_BY_NAMESPACE = {
    "sellers-dashboard": "sellers.review_seller",
    "fulfilment-dashboard": "partner.dashboard_access",
    "shipping-dashboard": "partner.dashboard_access",
    "couriers-dashboard": "partner.dashboard_access",
    "payouts-dashboard": "payouts.manage_payouts",
    "bank_transfers": "bank_transfers.review_transfer",
    "ratings-dashboard": "ratings.moderate_review",
    "invoices-dashboard": "invoices.manage_invoices",
    "companies-dashboard": "companies.verify_company",
    "wholesale": "partner.dashboard_access",
    "quotes-dashboard": "partner.dashboard_access",
    "competitions-seller": "partner.dashboard_access",
    "events-dashboard": "partner.dashboard_access",
}
# Pages of a pesantren's own shop: shown only to users who work for a pesantren.
SELLER_PERMISSION = "partner.dashboard_access"
# Pages of a pesantren's own shop for its owners only (sellers.access.PesantrenOwnerRequiredMixin).
OWNER_URL_NAMES = {"dashboard:team", "dashboard:seller-bank-account"}


def access_fn(user, url_name, url_args=None, url_kwargs=None):
    name = url_name or ""
    if name.startswith(("programme:", "competitions:", "events-programme:", "reports:")):
        # Programme roles are scoped rows, not permissions: programme/access.py decides.
        return can_open_url(user, name)
    if name.startswith("curation:"):
        return can_open_curation_url(user, name)
    permission = PERMISSION_BY_URL_NAME.get(name) or PERMISSION_BY_NAMESPACE.get(name.partition(":")[0])
    if permission is None:
        return default_access_fn(user, url_name, url_args, url_kwargs)
    if not (user.is_active and user.has_perm(permission)):
        return False
    if permission != SELLER_PERMISSION:
        return True
    # The menu asks once per entry; seller_for_user looks the pesantren up once per request.
    seller = seller_for_user(user=user)
    if seller is None:
        return False
    return name not in OWNER_URL_NAMES or is_seller_owner(seller=seller, user=user)

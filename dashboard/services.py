from django.db import transaction

from dashboard.forms import PROFILE_FIELDS
from sellers.models import Seller


def seller_profile_update(*, seller: Seller, form) -> Seller:
    """Save the storefront fields of a validated StorefrontProfileForm bound to this seller, and only those."""
    assert form.instance.pk == seller.pk and form.is_valid()
    with transaction.atomic():
        seller = form.save(commit=False)
        seller.full_clean(exclude=[f.name for f in Seller._meta.fields if f.name not in PROFILE_FIELDS])
        seller.save(update_fields=[*PROFILE_FIELDS, "updated_at"])
    return seller

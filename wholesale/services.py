from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wholesale.models import PriceTier, WholesaleTerms


@transaction.atomic
def price_tiers_set(*, stockrecord, tiers: list[tuple[int, int]]) -> list[PriceTier]:
    """Replace the stock record's tiers with (min_quantity, unit_price) pairs; a bad set saves nothing."""
    quantities = [quantity for quantity, _price in tiers]
    if len(set(quantities)) != len(quantities):
        raise ValidationError(_("Each tier needs a different minimum quantity."))
    PriceTier.objects.filter(stockrecord=stockrecord).delete()
    created = []
    for quantity, price in sorted(tiers):
        tier = PriceTier(stockrecord=stockrecord, min_quantity=quantity, unit_price=price)
        tier.full_clean()
        tier.save()
        created.append(tier)
    return created


def wholesale_moq_set(*, stockrecord, moq: int) -> WholesaleTerms:
    terms = WholesaleTerms.objects.filter(stockrecord=stockrecord).first() or WholesaleTerms(stockrecord=stockrecord)
    terms.moq = moq
    terms.full_clean()
    terms.save()
    return terms

from dataclasses import dataclass

from django.db.models import Model, QuerySet

from wholesale.models import PriceTier


def tier_for_quantity(*, stockrecord, quantity: int) -> PriceTier | None:
    return (
        PriceTier.objects.filter(stockrecord=stockrecord, min_quantity__lte=quantity).order_by("-min_quantity").first()
    )


def wholesale_stockrecords_for_user(*, user) -> QuerySet:
    """The stock records of the user's own pesantren, with their tiers and MOQ loaded (none for anyone else).

    Staff see every stock record elsewhere in the dashboard, but tiers are a pesantren's own offer: only
    the pesantren edits them, so a user without a pesantren gets nothing.
    """
    # Imported here: this module is loaded by the pricing strategy, before the dashboard app is needed.
    from dashboard.selectors import stockrecords_for_user
    from sellers.access import seller_for_user

    records = stockrecords_for_user(user=user)
    seller = seller_for_user(user=user)
    if seller is None or seller.partner_id is None:
        return records.none()
    return (
        records.filter(partner_id=seller.partner_id)
        .select_related("product__parent", "wholesale_terms")
        .prefetch_related("price_tiers")
        .order_by("product__title", "pk")
    )


def wholesale_stockrecord_for_user(*, user, pk) -> Model | None:
    return wholesale_stockrecords_for_user(user=user).filter(pk=pk).first()


@dataclass(frozen=True)
class WholesaleOffer:
    tiers: list[PriceTier]
    moq: int


def wholesale_offer_for_stockrecord(*, stockrecord) -> WholesaleOffer | None:
    """The tiers and MOQ shown to verified off-takers, or None when the stock record has neither."""
    if stockrecord is None:
        return None
    tiers = list(PriceTier.objects.filter(stockrecord=stockrecord).order_by("min_quantity"))
    moq = moq_of(stockrecord)
    if not tiers and moq <= 1:
        return None
    return WholesaleOffer(tiers=tiers, moq=moq)


def moq_of(stockrecord) -> int:
    """The wholesale minimum order quantity of a stock record (1 when it has no wholesale terms).

    No query when the terms were selected with the record (the listings and the product page do)."""
    terms = getattr(stockrecord, "wholesale_terms", None)
    return terms.moq if terms is not None else 1


def lowest_tiers(*, stockrecord_ids) -> dict[int, PriceTier]:
    """Each stock record's cheapest volume tier (the lowest unit price, then the smallest quantity).

    One query for a whole page of product cards, whatever its size."""
    ids = {pk for pk in stockrecord_ids if pk is not None}
    if not ids:
        return {}
    lowest: dict[int, PriceTier] = {}
    tiers = PriceTier.objects.filter(stockrecord_id__in=ids).order_by("stockrecord_id", "unit_price", "min_quantity")
    for tier in tiers:
        lowest.setdefault(tier.stockrecord_id, tier)
    return lowest

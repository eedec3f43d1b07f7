"""Read-side queries of requests for quotation.

A company member reaches only the requests of their companies; a pesantren only the requests it was
invited to. Every view goes through these, so a foreign id simply finds nothing (404).
"""

from django.conf import settings
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from oscar.core.loading import get_model

from companies.access import companies_for_user
from companies.models import Company, CompanyStatus
from fulfilment.services import ORDER_CANCELLED
from purchasing.models import PurchaseRequestStatus
from quotes.models import (
    LIVE_QUOTE_STATUSES,
    Message,
    Quote,
    QuoteStatus,
    RequestForQuotation,
    RfqAudience,
    RfqEvent,
    RfqInvitation,
    RfqStatus,
)
from regions.models import Region, RegionLevel
from sellers.models import Seller

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")


# Audience


def sellers_for_audience(*, audience: str, seller=None, category=None, region=None) -> QuerySet[Seller]:
    """The verified pesantren a request reaches: one, those selling in a category (or below it), or a region's."""
    sellers = Seller.objects.verified().select_related("partner")
    if audience == RfqAudience.SELLER:
        return sellers.filter(pk=seller.pk if seller else None)
    if audience == RfqAudience.CATEGORY:
        if category is None:
            return sellers.none()
        in_category = Q(categories__path__startswith=category.path) | Q(
            parent__categories__path__startswith=category.path
        )
        products = Product.objects.filter(in_category, is_public=True).values("pk")
        return sellers.filter(partner__stockrecords__product__in=products).distinct().order_by("name")
    if audience == RfqAudience.REGION:
        if region is None:
            return sellers.none()
        return sellers.filter(kabupaten=region).order_by("name")
    return sellers.none()


def programme_kabupaten() -> QuerySet[Region]:
    code = settings.MARKETPLACE_PROGRAMME_PROVINCE_CODE
    return Region.objects.filter(level=RegionLevel.REGENCY, parent_id=code).order_by("name")


def verified_sellers() -> QuerySet[Seller]:
    return Seller.objects.verified().select_related("kabupaten").order_by("name")


# Company side


def verified_companies_for_user(user) -> QuerySet[Company]:
    return companies_for_user(user).filter(status=CompanyStatus.VERIFIED).order_by("legal_name")


def rfqs_for_user(*, user, status: str = "") -> QuerySet[RequestForQuotation]:
    """Requests of every company the user belongs to, with how many live quotes each has."""
    rfqs = RequestForQuotation.objects.filter(company__in=companies_for_user(user).values("pk"))
    if status:
        rfqs = rfqs.filter(status=status)
    return (
        rfqs.select_related("company", "seller", "category", "region")
        .annotate(
            live_quote_count=Count("quotes", filter=Q(quotes__status__in=LIVE_QUOTE_STATUSES), distinct=True),
            invitation_count=Count("invitations", distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def rfq_for_user(*, user, pk: int) -> RequestForQuotation | None:
    return (
        RequestForQuotation.objects.filter(pk=pk, company__in=companies_for_user(user).values("pk"))
        .select_related("company", "created_by", "product", "category", "seller", "region", "delivery_kabupaten")
        .first()
    )


def quote_for_user(*, user, pk: int) -> Quote | None:
    return (
        Quote.objects.filter(pk=pk, rfq__company__in=companies_for_user(user).values("pk"))
        .select_related("rfq__company", "seller", "stockrecord__product")
        .first()
    )


def quotes_to_compare(*, rfq: RequestForQuotation) -> list[Quote]:
    """The latest version of each pesantren's quote, accepted first, then live ones cheapest first.

    Earlier (revised) versions are history, not offers; withdrawn quotes are not shown as offers.
    """
    newer = Quote.objects.filter(rfq=rfq, seller=OuterRef("seller"), version__gt=OuterRef("version"))
    quotes = (
        Quote.objects.filter(rfq=rfq)
        .exclude(status__in=[QuoteStatus.SUPERSEDED, QuoteStatus.WITHDRAWN])
        .exclude(Exists(newer))
        .select_related("seller__kabupaten", "stockrecord__product", "order", "purchase_request__order")
    )
    rank = {QuoteStatus.ACCEPTED: 0, QuoteStatus.SUBMITTED: 1}
    return sorted(quotes, key=lambda quote: (rank.get(quote.status, 2), quote.unit_price, quote.pk))


def invitations_with_threads(*, rfq: RequestForQuotation) -> list[RfqInvitation]:
    """Every invited pesantren with the number of messages in its thread, for the company's page."""
    counts = dict(
        Message.objects.filter(rfq=rfq)
        .values_list("seller_id")
        .annotate(count=Count("pk"))
        .values_list("seller_id", "count")
    )
    invitations = list(rfq.invitations.select_related("seller__kabupaten").order_by("seller__name"))
    for invitation in invitations:
        invitation.message_count = counts.get(invitation.seller_id, 0)
    return invitations


def invitation_for_company(*, rfq: RequestForQuotation, seller_pk: int) -> RfqInvitation | None:
    return rfq.invitations.select_related("seller").filter(seller_id=seller_pk).first()


def award_lapsed(*, rfq: RequestForQuotation, quote: Quote) -> bool:
    """An accepted quote whose purchase request was turned down, or whose order was cancelled unpaid.

    The company may accept that same quote again (while it is valid) rather than start over.
    """
    if rfq.status != RfqStatus.AWARDED or quote.status != QuoteStatus.ACCEPTED:
        return False
    order = quote.resulting_order
    if order is not None:
        return order.status == ORDER_CANCELLED
    request = quote.purchase_request
    return request is not None and request.status in (PurchaseRequestStatus.REJECTED, PurchaseRequestStatus.CANCELLED)


def quote_can_be_accepted(*, rfq: RequestForQuotation, quote: Quote) -> bool:
    """Whether to offer "Accept"; `quotes.services.quote_accept` checks the same under lock."""
    if quote.valid_until < timezone.localdate():
        return False
    if rfq.status == RfqStatus.OPEN and quote.status == QuoteStatus.SUBMITTED:
        return True
    return award_lapsed(rfq=rfq, quote=quote)


# Pesantren side


def rfqs_for_seller(*, seller: Seller) -> QuerySet[RequestForQuotation]:
    """Requests the pesantren was invited to, open ones first, with whether it has a live quote."""
    own_live = Quote.objects.filter(rfq=OuterRef("pk"), seller=seller, status__in=LIVE_QUOTE_STATUSES)
    return (
        RequestForQuotation.objects.filter(invitations__seller=seller)
        .select_related("company", "delivery_kabupaten")
        .annotate(
            has_live_quote=Exists(own_live),
            open_rank=Case(When(status=RfqStatus.OPEN, then=Value(0)), default=Value(1)),
        )
        .order_by("open_rank", "-created_at", "-pk")
    )


def open_rfqs_to_quote_count(*, seller: Seller, today=None) -> int:
    """Open requests the pesantren was invited to, still taking quotes, that it has not quoted yet."""
    today = today or timezone.localdate()
    return (
        rfqs_for_seller(seller=seller)
        .filter(status=RfqStatus.OPEN, quotes_due__gte=today, has_live_quote=False)
        .count()
    )


def rfq_for_seller(*, seller: Seller, pk: int) -> RequestForQuotation | None:
    return (
        RequestForQuotation.objects.filter(pk=pk, invitations__seller=seller)
        .select_related("company", "product", "category", "delivery_kabupaten")
        .first()
    )


def quotes_of_seller(*, rfq: RequestForQuotation, seller: Seller) -> list[Quote]:
    """Every version the pesantren sent for the request, newest first."""
    return list(
        Quote.objects.filter(rfq=rfq, seller=seller).select_related("stockrecord__product").order_by("-version")
    )


def live_quote_of_seller(*, rfq: RequestForQuotation, seller: Seller) -> Quote | None:
    return Quote.objects.filter(rfq=rfq, seller=seller, status__in=LIVE_QUOTE_STATUSES).first()


def stockrecords_for_quote(*, seller: Seller) -> QuerySet:
    """The pesantren's own public catalogue products it may sell from stock in a quote."""
    return (
        StockRecord.objects.filter(partner_id=seller.partner_id, product__is_public=True)
        .select_related("product")
        .order_by("product__title")
    )


# Both sides


def thread(*, rfq: RequestForQuotation, seller: Seller) -> QuerySet[Message]:
    return Message.objects.filter(rfq=rfq, seller=seller).select_related("author").order_by("created_at", "pk")


def events_of(*, rfq: RequestForQuotation, seller: Seller | None = None) -> QuerySet[RfqEvent]:
    """History of a request; a pesantren sees the request's own events and those of its quotes only."""
    events = RfqEvent.objects.filter(rfq=rfq).select_related("quote__seller", "actor")
    if seller is not None:
        events = events.filter(Q(quote__isnull=True) | Q(quote__seller=seller))
    return events.order_by("created_at", "pk")

"""Reads of the off-taker API. Every query that returns company data takes the company and filters by it."""

from django.db.models import Prefetch, Q, QuerySet
from oscar.core.loading import get_model

from api.models import TOKEN_PREFIX_LENGTH, ApiToken
from api.services import keys_match
from companies.access import companies_approved_by
from companies.models import Company
from purchasing.models import PurchaseRequest
from sellers.models import SellerStatus

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")
Line = get_model("order", "Line")


def api_token_for_key(key: str) -> ApiToken | None:
    """The token whose secret is `key` (revoked ones included, so the caller can say so), or None."""
    if len(key) <= TOKEN_PREFIX_LENGTH:
        return None
    token = ApiToken.objects.select_related("company", "created_by").filter(prefix=key[:TOKEN_PREFIX_LENGTH]).first()
    if token is None or not keys_match(key, token.secret_hash):
        return None
    return token


def tokens_for_approver(*, user) -> QuerySet[ApiToken]:
    """Tokens of every company `user` approves for, newest first."""
    return (
        ApiToken.objects.filter(company__in=companies_approved_by(user=user))
        .select_related("company", "created_by", "revoked_by")
        .order_by("company__legal_name", "-created_at", "-pk")
    )


def _sellable_stockrecords() -> QuerySet:
    return (
        StockRecord.objects.filter(partner__seller__status=SellerStatus.VERIFIED)
        .select_related("partner__seller", "wholesale_terms")
        .prefetch_related("price_tiers")
        .order_by("pk")
    )


def catalogue_products(*, query: str = "", category: Category | None = None, seller_slug: str = "") -> QuerySet:
    """Public products of verified pesantren that can be bought, each with its sellable stock record,
    tiers and wholesale terms prefetched (a fixed number of queries whatever the page size)."""
    products = (
        Product.objects.filter(is_public=True, stockrecords__partner__seller__status=SellerStatus.VERIFIED)
        .exclude(structure=Product.PARENT)
        .exclude(structure=Product.CHILD, parent__is_public=False)
    )
    if query:
        products = products.filter(
            Q(title__icontains=query) | Q(upc__iexact=query) | Q(stockrecords__partner_sku__iexact=query)
        )
    if category is not None:
        # A treebeard path starts with its ancestors' paths: the category and everything below it.
        products = products.filter(categories__path__startswith=category.path)
    if seller_slug:
        products = products.filter(stockrecords__partner__seller__slug=seller_slug)
    return (
        Product.objects.filter(pk__in=products.values("pk"))
        .select_related("parent")
        .prefetch_related(Prefetch("stockrecords", queryset=_sellable_stockrecords(), to_attr="sellable_stockrecords"))
        .order_by("-date_created", "-pk")
    )


def company_orders(*, company: Company) -> QuerySet:
    """The company's orders with their lines, each pesantren's part and the payment records."""
    return (
        Order.objects.filter(company_order__company=company)
        .select_related("company_order__placed_by", "company_order__approved_by", "bank_transfer", "invoice")
        .prefetch_related(
            Prefetch("lines", queryset=Line.objects.select_related("partner__seller").order_by("pk")),
            Prefetch("seller_orders", queryset=_seller_orders()),
        )
        .order_by("-date_placed", "-pk")
    )


def _seller_orders():
    from fulfilment.models import SellerOrder

    return SellerOrder.objects.select_related("seller").order_by("pk")


def company_purchase_requests(*, company: Company) -> QuerySet[PurchaseRequest]:
    from purchasing.models import PurchaseRequestLine

    return (
        PurchaseRequest.objects.filter(company=company)
        .select_related("requested_by", "decided_by", "order")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=PurchaseRequestLine.objects.select_related(
                    "stockrecord__product", "stockrecord__partner__seller"
                ),
            )
        )
        .order_by("-created_at", "-pk")
    )


def company_rfqs(*, company: Company) -> QuerySet:
    """The company's requests for quotation, with their live quotes and invited pesantren counted.

    Scoped to the token's company, not to the user: the token's creator may belong to other companies.
    """
    from django.db.models import Count

    from quotes.models import LIVE_QUOTE_STATUSES, RequestForQuotation

    return (
        RequestForQuotation.objects.filter(company=company)
        .select_related("product", "category", "seller", "region", "delivery_kabupaten")
        .annotate(
            live_quote_count=Count("quotes", filter=Q(quotes__status__in=LIVE_QUOTE_STATUSES), distinct=True),
            invitation_count=Count("invitations", distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def company_rfq(*, company: Company, pk) -> object | None:
    return company_rfqs(company=company).filter(pk=pk).first()


def rfq_quote(*, rfq, pk):
    """A quote of the request (any version), or None."""
    from quotes.models import Quote

    return Quote.objects.filter(rfq=rfq, pk=pk).select_related("rfq__company", "seller").first()


def company_invoices(*, company: Company) -> QuerySet:
    from invoices.models import Invoice, InvoiceSection

    return (
        Invoice.objects.filter(company=company)
        .select_related("order")
        .prefetch_related(
            Prefetch("sections", queryset=InvoiceSection.objects.select_related("seller_order__seller").order_by("pk")),
            "payments",
        )
        .order_by("-issue_date", "-pk")
    )

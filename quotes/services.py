"""Writes of requests for quotation: asking, quoting, negotiating, accepting and expiring.

Lock order everywhere: the request row, then its quotes in pk order (then, inside
`purchasing.ordering`, the company and the stock records). Two accepts of one request therefore
queue on the request row, and the second finds it awarded.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from companies.access import company_role_of, is_company_member
from companies.models import Company
from core import outbox
from core.money import format_rupiah
from core.transitions import record_initial, transition, transition_many
from purchasing.ordering import PurchaseItem, PurchaseResult, submit_purchase
from quotes.models import (
    LIVE_QUOTE_STATUSES,
    Message,
    MessageSide,
    Quote,
    QuoteStatus,
    RequestForQuotation,
    RfqAudience,
    RfqEventKind,
    RfqInvitation,
    RfqStatus,
)
from quotes.selectors import award_lapsed, sellers_for_audience
from sellers.access import is_read_only, seller_for_user, suspended_message
from sellers.availability import not_selling_message
from sellers.models import Seller, SellerStatus

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")

RFQ_FIELDS = (
    "title",
    "kind",
    "product",
    "category",
    "quantity",
    "unit",
    "specification",
    "target_unit_price",
    "delivery_date",
    "delivery_kabupaten",
    "audience",
    "seller",
    "region",
    "quotes_due",
)
# Goods made to order for an accepted quote are sold as a hidden product of this class.
MADE_TO_ORDER_CLASS_SLUG = "pesanan-khusus"
MADE_TO_ORDER_CLASS_NAME = "Pesanan khusus"


@dataclass(frozen=True)
class Acceptance(PurchaseResult):
    """What accepting a quote made: an order, or a purchase request waiting for an approver."""

    quote: Quote | None = None


def _require_seller_staff(*, seller: Seller, user) -> None:
    own = seller_for_user(user=user)
    if own is None or own.pk != seller.pk:
        raise PermissionDenied(_("You do not work for %(seller)s.") % {"seller": seller.name})
    if is_read_only(own):
        raise PermissionDenied(suspended_message())


def _lock_rfq(pk: int) -> RequestForQuotation:
    return RequestForQuotation.objects.select_for_update(of=("self",)).select_related("company").get(pk=pk)


# The company's side


def rfq_create(*, company: Company, user, data: dict) -> RequestForQuotation:
    """Send a request to one pesantren, or to every verified pesantren of a category or a kabupaten.

    The pesantren are resolved now and stored as invitations; an audience with none is refused.
    """
    company_role_of(company=company, user=user)
    if not company.is_verified:
        raise ValidationError(_("Your company must be verified by programme staff before it can ask for quotes."))
    rfq = RequestForQuotation(company=company, created_by=user, **{name: data.get(name) for name in RFQ_FIELDS})
    rfq.target_unit_price = rfq.target_unit_price or None
    # Keep only the audience field that applies, so the request records exactly whom it asked.
    if rfq.audience != RfqAudience.SELLER:
        rfq.seller = None
    if rfq.audience != RfqAudience.REGION:
        rfq.region = None
    rfq.full_clean()
    if rfq.product_id and rfq.audience == RfqAudience.SELLER:
        if not rfq.product.stockrecords.filter(partner_id=rfq.seller.partner_id).exists():
            raise ValidationError({"product": _("This product is not sold by the chosen pesantren.")})
    sellers = list(
        sellers_for_audience(audience=rfq.audience, seller=rfq.seller, category=rfq.category, region=rfq.region)
    )
    if not sellers:
        raise ValidationError(_no_audience_error(rfq))
    with transaction.atomic():
        rfq.save()
        RfqInvitation.objects.bulk_create(RfqInvitation(rfq=rfq, seller=seller) for seller in sellers)
        record_initial([rfq], kind=RfqEventKind.CREATED, actor=user, note=f"{len(sellers)} pesantren")
        from quotes.tasks import notify_invited_sellers

        outbox.enqueue(notify_invited_sellers, rfq.pk)
    return rfq


def _no_audience_error(rfq: RequestForQuotation) -> dict:
    if rfq.audience == RfqAudience.SELLER:
        return {"seller": _("This pesantren is not verified, so it cannot be asked for a quote.")}
    if rfq.audience == RfqAudience.CATEGORY:
        return {
            "category": _(
                "No verified pesantren sells in %(category)s yet. Choose a broader category or ask a pesantren "
                "directly."
            )
            % {"category": rfq.category.name}
        }
    return {
        "region": _("No verified pesantren is in %(region)s yet. Choose another kabupaten/kota.")
        % {"region": rfq.region.name}
    }


def rfq_cancel(*, rfq: RequestForQuotation, user) -> RequestForQuotation:
    with transaction.atomic():
        rfq = _lock_rfq(rfq.pk)
        company_role_of(company=rfq.company, user=user)
        if rfq.status != RfqStatus.OPEN:
            raise ValidationError(_("Only an open request can be cancelled."))
        _close_open_quotes(rfq=rfq, actor=user)
        transition(rfq, RfqStatus.CANCELLED, actor=user)
        _notify_not_chosen_on_commit(rfq.pk)
    return rfq


def _close_open_quotes(*, rfq: RequestForQuotation, except_pk: int | None = None, actor=None) -> int:
    """Close the request's submitted quotes (the request row is locked; its quotes lock in pk order)."""
    quotes = Quote.objects.select_for_update(of=("self",)).filter(rfq=rfq, status=QuoteStatus.SUBMITTED)
    if except_pk is not None:
        quotes = quotes.exclude(pk=except_pk)
    return len(transition_many(quotes.order_by("pk"), QuoteStatus.CLOSED, actor=actor))


def _notify_not_chosen_on_commit(rfq_id: int) -> None:
    from quotes.tasks import notify_sellers_not_chosen

    outbox.enqueue(notify_sellers_not_chosen, rfq_id)


def quote_accept(*, quote: Quote, user, shipping_address, payment_method: str, po_number: str = "") -> Acceptance:
    """Turn a quote into an order at the quoted unit price and close the request's other quotes.

    The order goes through `purchasing.ordering.submit_purchase`, so the approval threshold, credit
    limit and stock apply as for any business purchase; when an approver must decide, the quote is
    accepted with its purchase request and the order follows the approval. Goods made to order get
    a hidden product of the pesantren holding exactly the quoted quantity. Anything refused (an
    expired or revised quote, credit, stock) raises ValidationError and changes nothing.
    """
    with transaction.atomic():
        rfq = _lock_rfq(quote.rfq_id)
        company_role_of(company=rfq.company, user=user)
        quotes = list(
            Quote.objects.select_for_update(of=("self",))
            .filter(rfq=rfq)
            .select_related(
                "seller__partner", "stockrecord__product", "ordered_stockrecord", "purchase_request", "order"
            )
            .order_by("pk")
        )
        quote = next(candidate for candidate in quotes if candidate.pk == quote.pk)
        retry = award_lapsed(rfq=rfq, quote=quote)
        if not retry:
            _check_acceptable(rfq=rfq, quote=quote)
        if quote.valid_until < timezone.localdate():
            raise ValidationError(
                _("This quote was valid until %(date)s and can no longer be accepted.")
                % {"date": date_format(quote.valid_until)}
            )
        if quote.seller.status != SellerStatus.VERIFIED:
            raise ValidationError(not_selling_message(quote.seller.name))
        stockrecord = quote.ordered_stockrecord or quote.stockrecord or _made_to_order_stockrecord(rfq=rfq, quote=quote)
        result = submit_purchase(
            company=rfq.company,
            user=user,
            items=[
                PurchaseItem(
                    stockrecord=stockrecord, quantity=quote.quantity, fixed_unit_price=Decimal(quote.unit_price)
                )
            ],
            shipping_address=shipping_address,
            payment_method=payment_method,
            po_number=po_number,
        )
        # Notes hold references only; the event's kind carries the (translated) words.
        note = str(result.order.number) if result.order is not None else f"PR-{result.purchase_request.pk}"
        transition(
            quote,
            QuoteStatus.ACCEPTED,
            actor=user,
            note=note,
            accepted_by=user,
            accepted_at=timezone.now(),
            order=result.order,
            purchase_request=result.purchase_request,
            ordered_stockrecord=stockrecord,
        )
        if not retry:
            _close_open_quotes(rfq=rfq, except_pk=quote.pk, actor=user)
            # Tied to the quote, so the other pesantren's history does not name the winner.
            transition(rfq, RfqStatus.AWARDED, actor=user, event_values={"quote": quote})
            _notify_not_chosen_on_commit(rfq.pk)
        from quotes.tasks import notify_seller_of_acceptance

        outbox.enqueue(notify_seller_of_acceptance, quote.pk)
    return Acceptance(quote=quote, order=result.order, purchase_request=result.purchase_request)


def _check_acceptable(*, rfq: RequestForQuotation, quote: Quote) -> None:
    if rfq.status == RfqStatus.AWARDED:
        raise ValidationError(_("A quote for this request has already been accepted."))
    if rfq.status != RfqStatus.OPEN:
        raise ValidationError(
            _("This request is %(status)s; its quotes can no longer be accepted.")
            % {"status": rfq.get_status_display().lower()}
        )
    refusals = {
        QuoteStatus.SUPERSEDED: _("The pesantren has revised this quote. Review its new quote before accepting."),
        QuoteStatus.WITHDRAWN: _("The pesantren has withdrawn this quote."),
        QuoteStatus.EXPIRED: _("This quote has expired."),
        QuoteStatus.CLOSED: _("This quote is closed."),
        QuoteStatus.ACCEPTED: _("This quote has already been accepted."),
    }
    if quote.status in refusals:
        raise ValidationError(refusals[quote.status])


def _made_to_order_stockrecord(*, rfq: RequestForQuotation, quote: Quote):
    """A hidden product of the pesantren with exactly the quoted quantity in stock, so the order has a line.

    It is not public: no one else can find or buy it, and `purchasing.ordering` sells it only at the
    quoted (fixed) price.
    """
    product_class, _created = ProductClass.objects.get_or_create(
        slug=MADE_TO_ORDER_CLASS_SLUG,
        defaults={"name": MADE_TO_ORDER_CLASS_NAME, "requires_shipping": True, "track_stock": True},
    )
    product = Product(
        product_class=product_class,
        structure=Product.STANDALONE,
        title=f"{rfq.title} ({rfq.reference})"[:255],
        description=rfq.specification,
        is_public=False,
        unit=rfq.unit,
        weight_grams=quote.unit_weight_grams,
    )
    product.full_clean(exclude=["slug"])
    product.save()
    return StockRecord.objects.create(
        product=product,
        partner=quote.seller.partner,
        partner_sku=f"{rfq.reference}-Q{quote.pk}",
        price=Decimal(quote.unit_price),
        num_in_stock=quote.quantity,
    )


# The pesantren's side


def quote_submit(
    *,
    rfq: RequestForQuotation,
    seller: Seller,
    user,
    unit_price: int,
    lead_time_days: int,
    valid_until,
    quantity: int | None = None,
    note: str = "",
    stockrecord=None,
    unit_weight_grams: int | None = None,
) -> Quote:
    """Quote, or revise the pesantren's quote: a revision supersedes the previous version."""
    _require_seller_staff(seller=seller, user=user)
    with transaction.atomic():
        rfq = _lock_rfq(rfq.pk)
        if not rfq.invitations.filter(seller=seller).exists():
            raise PermissionDenied(_("Your pesantren was not invited to this request."))
        if seller.status != SellerStatus.VERIFIED:
            raise ValidationError(_("Only a verified pesantren can quote."))
        if not rfq.is_accepting_quotes:
            raise ValidationError(_("This request no longer accepts quotes."))
        quantity = quantity or rfq.quantity
        _check_quote_terms(
            seller=seller,
            unit_price=unit_price,
            quantity=quantity,
            valid_until=valid_until,
            stockrecord=stockrecord,
        )
        previous = (
            Quote.objects.select_for_update(of=("self",))
            .filter(rfq=rfq, seller=seller, status__in=LIVE_QUOTE_STATUSES)
            .first()
        )
        if previous is not None:
            transition(previous, QuoteStatus.SUPERSEDED, actor=user)
        last_version = Quote.objects.filter(rfq=rfq, seller=seller).aggregate(last=Max("version"))["last"] or 0
        quote = Quote(
            rfq=rfq,
            seller=seller,
            version=last_version + 1,
            unit_price=unit_price,
            quantity=quantity,
            lead_time_days=lead_time_days,
            valid_until=valid_until,
            note=(note or "").strip(),
            stockrecord=stockrecord,
            # Goods from stock ship at the catalogue product's weight.
            unit_weight_grams=None if stockrecord is not None else unit_weight_grams,
            created_by=user,
        )
        quote.full_clean()
        quote.save()
        record_initial(
            [quote],
            kind=RfqEventKind.QUOTE_REVISED if previous else RfqEventKind.QUOTE_SUBMITTED,
            actor=user,
            note=f"{quote.quantity} × {format_rupiah(quote.unit_price)}",
        )
        from quotes.tasks import notify_company_of_quote

        outbox.enqueue(notify_company_of_quote, quote.pk)
    return quote


def _check_quote_terms(*, seller: Seller, unit_price, quantity, valid_until, stockrecord) -> None:
    errors = {}
    if unit_price is None or unit_price < 1:
        errors["unit_price"] = _("Enter a unit price above zero.")
    if quantity is None or quantity < 1:
        errors["quantity"] = _("The quantity must be at least 1.")
    if valid_until is None or valid_until < timezone.localdate():
        errors["valid_until"] = _("A quote must be valid until today or later.")
    if stockrecord is not None:
        if stockrecord.partner_id != seller.partner_id or not stockrecord.product.is_public:
            errors["stockrecord"] = _("Choose one of your own catalogue products.")
        elif quantity and (stockrecord.net_stock_level or 0) < quantity:
            errors["stockrecord"] = _(
                "Only %(count)d in stock. Quote without a catalogue product to make the goods to order."
            ) % {"count": max(stockrecord.net_stock_level or 0, 0)}
    if errors:
        raise ValidationError(errors)


def quote_withdraw(*, quote: Quote, user) -> Quote:
    _require_seller_staff(seller=quote.seller, user=user)
    with transaction.atomic():
        _lock_rfq(quote.rfq_id)  # the request first (lock order)
        quote = Quote.objects.select_for_update(of=("self",)).get(pk=quote.pk)
        if quote.status != QuoteStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted quote can be withdrawn."))
        transition(quote, QuoteStatus.WITHDRAWN, actor=user)
    return quote


# Both sides


def message_post(*, rfq: RequestForQuotation, seller: Seller, user, body: str) -> Message:
    """Write in the thread between the company and one invited pesantren; only those two sides may."""
    body = (body or "").strip()
    if not rfq.invitations.filter(seller=seller).exists():
        raise PermissionDenied(_("This pesantren was not invited to this request."))
    if is_company_member(company=rfq.company, user=user):
        side = MessageSide.COMPANY
    else:
        _require_seller_staff(seller=seller, user=user)
        side = MessageSide.PESANTREN
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    message = Message(rfq=rfq, seller=seller, author=user, side=side, body=body)
    message.full_clean()
    with transaction.atomic():
        message.save()
        from quotes.tasks import notify_of_message

        outbox.enqueue(notify_of_message, message.pk)
    return message


# Beat


def quotes_expire(*, today=None) -> int:
    """Mark submitted quotes past their validity expired. Safe to run twice; returns how many changed."""
    today = today or timezone.localdate()
    with transaction.atomic():
        # A quote being accepted right now is locked; skip it, the accept checks the date itself.
        quotes = list(
            Quote.objects.select_for_update(skip_locked=True)
            .filter(status=QuoteStatus.SUBMITTED, valid_until__lt=today)
            .order_by("pk")
        )
        transition_many(quotes, QuoteStatus.EXPIRED)
    return len(quotes)


def rfqs_close_lapsed(*, today=None) -> list[int]:
    """Close open requests nobody can award any more: past the delivery date, or past the quote date
    with no live quote left. Their remaining quotes close with them. Returns the closed requests' ids."""
    today = today or timezone.localdate()
    live = Quote.objects.filter(rfq=OuterRef("pk"), status=QuoteStatus.SUBMITTED)
    closed = []
    with transaction.atomic():
        candidates = (
            RequestForQuotation.objects.filter(status=RfqStatus.OPEN)
            .annotate(has_live_quote=Exists(live))
            .filter(Q(delivery_date__lt=today) | Q(quotes_due__lt=today, has_live_quote=False))
        )
        for rfq in candidates.select_for_update(skip_locked=True).order_by("pk"):
            _close_open_quotes(rfq=rfq)
            transition(rfq, RfqStatus.CLOSED)
            closed.append(rfq.pk)
    return closed

"""How an off-taker's purchase becomes an order: pricing, the approval threshold, credit and placement.

Every business purchase goes through `submit_purchase`: the business checkout, CSV bulk orders,
re-orders, accepted quotes and the API. It either places the order at once or, when a buyer goes
over the company's approval threshold, holds it as a PurchaseRequest until an approver decides.

`purchase_next_url` says where the buyer goes next: the card page, the transfer instructions, the
order, or the request waiting for approval.

Orders on invoice are confirmed at once (the SellerOrders become "paid"): the marketplace extends
the credit, so pesantren fulfil and are paid out as for any other order, while the invoice tracks
what the company owes. Card and bank-transfer orders wait for payment like a consumer's.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.payment.models import Source, SourceType
from oscar.core.loading import get_class, get_model

from companies.access import company_role_of
from companies.models import Company, MembershipRole
from core import outbox
from core.money import format_rupiah
from core.transitions import record_initial, transition
from fulfilment.services import ORDER_PENDING_PAYMENT, order_payment_succeeded
from payments.stripe_api import card_payments_enabled
from purchasing.models import (
    CompanyOrder,
    PurchasePaymentMethod,
    PurchaseRequest,
    PurchaseRequestLine,
    PurchaseRequestStatus,
)
from sellers.availability import not_selling_message
from shipping.methods import PerPesantrenShipping
from wholesale.strategy import OfftakerStrategy

Basket = get_model("basket", "Basket")
BasketLine = get_model("basket", "Line")
StockRecord = get_model("partner", "StockRecord")
OrderCreator = get_class("order.utils", "OrderCreator")
CollectedLineRows = get_class("order.utils", "CollectedLineRows")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")


@dataclass(frozen=True)
class PurchaseItem:
    stockrecord: StockRecord
    quantity: int
    # A price agreed elsewhere (an accepted quote). None: the company's tier price for the quantity.
    fixed_unit_price: Decimal | None = None


@dataclass(frozen=True)
class PurchaseResult:
    order: object | None = None
    purchase_request: PurchaseRequest | None = None

    @property
    def needs_approval(self) -> bool:
        return self.purchase_request is not None and self.order is None


class CreditLimitExceeded(ValidationError):
    pass


def _check_company_may_buy(company: Company) -> None:
    if not company.is_verified:
        raise ValidationError(_("Your company must be verified by programme staff before it can order."))


def _check_payment_method(*, company: Company, payment_method: str) -> None:
    if payment_method not in PurchasePaymentMethod.values:
        raise ValidationError(_("Choose how your company will pay."))
    if payment_method == PurchasePaymentMethod.INVOICE and company.credit_limit <= 0:
        raise ValidationError(_("Your company has no invoice credit yet; pay by card or bank transfer."))
    if payment_method == PurchasePaymentMethod.CARD and not card_payments_enabled():
        raise ValidationError(_("Card payments are not available; choose another way to pay."))


def build_basket(*, company: Company, user, items: list[PurchaseItem]) -> Basket:
    """A fresh basket of `items` priced for the company; raises ValidationError naming every bad item."""
    if not items:
        raise ValidationError(_("The order has no products."))
    fixed = {item.stockrecord.pk: item.fixed_unit_price for item in items if item.fixed_unit_price is not None}
    basket = Basket.objects.create(owner=user)
    basket.strategy = OfftakerStrategy(company=company, fixed_unit_prices=fixed)
    # MOQs and tiers of every item in two queries, instead of two per item and per line read.
    basket.strategy.prime(item.stockrecord.pk for item in items)
    errors = []
    lines: dict[str, BasketLine] = {}
    for item in items:
        product = item.stockrecord.product
        info = basket.strategy.fetch_for_product(product, item.stockrecord)
        allowed, message = info.availability.is_purchase_permitted(item.quantity)
        seller = getattr(item.stockrecord.partner, "seller", None)
        if item.quantity < 1:
            allowed, message = False, _("The quantity must be at least 1.")
        # Goods made to order for an accepted quote are a hidden product, sold only at the quoted (fixed) price.
        elif seller is not None and not seller.is_live:
            allowed, message = False, not_selling_message(seller.name)
        elif (not product.is_public and item.fixed_unit_price is None) or seller is None:
            allowed, message = False, _("This product is not for sale.")
        if not allowed:
            errors.append(f"{product.get_title()}: {message}")
            continue
        _add_line(basket, lines, product=product, info=info, quantity=item.quantity)
    if errors:
        basket.delete()
        raise ValidationError(errors)
    BasketLine.objects.bulk_create(lines.values())
    # What Oscar's all_lines() loads, plus what pricing, shipping and OrderCreator read of every line
    # (product class, partner), so a 500-line order does not query per line.
    basket._lines = (
        basket.lines.select_related("product__product_class", "product__parent__product_class", "stockrecord__partner")
        .prefetch_related("attributes", "product__images")
        .order_by("pk")
    )
    return basket


def _add_line(basket: Basket, lines: dict, *, product, info, quantity: int) -> None:
    """What `basket.add_product` does, collected for one bulk insert: one line per product and stock record.

    `add_product` re-reads every line of the basket after each addition, which made large purchases
    quadratic. The stored price is Oscar's audit copy, as add_product stores it (the product's price).
    """
    reference = basket._create_line_reference(product, info.stockrecord, [])
    line = lines.get(reference)
    if line is not None:
        line.quantity += max(0, quantity)
        return
    lines[reference] = BasketLine(
        basket=basket,
        line_reference=reference,
        product=product,
        stockrecord=info.stockrecord,
        quantity=max(0, quantity),
        price_currency=info.price.currency,
        price_excl_tax=info.price.excl_tax,
        price_incl_tax=info.price.incl_tax if info.price.is_tax_known else None,
        tax_code=info.price.tax_code,
    )


def basket_total(*, basket: Basket, shipping_address):
    method = PerPesantrenShipping(destination_kabupaten=getattr(shipping_address, "kabupaten", None))
    shipping_charge = method.calculate(basket)
    return method, shipping_charge, OrderTotalCalculator().calculate(basket, shipping_charge)


def estimate_total(*, company: Company, user, items: list[PurchaseItem], shipping_address) -> Decimal:
    with transaction.atomic():
        basket = build_basket(company=company, user=user, items=items)
        _method, _charge, total = basket_total(basket=basket, shipping_address=shipping_address)
        transaction.set_rollback(True)
    return total.incl_tax


def submit_purchase(
    *,
    company: Company,
    user,
    items: list[PurchaseItem],
    shipping_address,
    payment_method: str,
    po_number: str = "",
) -> PurchaseResult:
    """Place a company purchase, or hold it for an approver when a buyer goes over the threshold."""
    role = company_role_of(company=company, user=user)
    _check_company_may_buy(company)
    _check_payment_method(company=company, payment_method=payment_method)
    threshold = company.approval_threshold
    # Priced beforehand only when a threshold applies to this buyer: building the basket is most of the
    # cost of a large purchase, and place_company_order checks the items the same way.
    if role != MembershipRole.APPROVER and threshold is not None:
        total = estimate_total(company=company, user=user, items=items, shipping_address=shipping_address)
        if total > threshold:
            request = _hold_for_approval(
                company=company,
                user=user,
                items=items,
                shipping_address=shipping_address,
                payment_method=payment_method,
                po_number=po_number,
                total=total,
            )
            return PurchaseResult(purchase_request=request)
    order = place_company_order(
        company=company,
        user=user,
        items=items,
        shipping_address=shipping_address,
        payment_method=payment_method,
        po_number=po_number,
    )
    return PurchaseResult(order=order)


@transaction.atomic
def _hold_for_approval(*, company, user, items, shipping_address, payment_method, po_number, total):
    if shipping_address.pk is None:
        shipping_address.save()
    basket = build_basket(company=company, user=user, items=items)
    request = PurchaseRequest.objects.create(
        company=company,
        requested_by=user,
        payment_method=payment_method,
        po_number=po_number,
        shipping_address=shipping_address,
        estimated_total=total,
    )
    record_initial([request], actor=user)
    fixed = {item.stockrecord.pk for item in items if item.fixed_unit_price is not None}
    PurchaseRequestLine.objects.bulk_create(
        PurchaseRequestLine(
            request=request,
            stockrecord=line.stockrecord,
            quantity=line.quantity,
            unit_price=line.unit_price_incl_tax,
            is_price_fixed=line.stockrecord_id in fixed,
        )
        for line in basket.all_lines()
    )
    basket.delete()
    from purchasing.tasks import notify_approvers_of_purchase_request

    outbox.enqueue(notify_approvers_of_purchase_request, request.pk)
    return request


def place_company_order(
    *,
    company: Company,
    user,
    items: list[PurchaseItem],
    shipping_address,
    payment_method: str,
    po_number: str = "",
    approved_by=None,
):
    """Place the order now: stock is reserved, and an invoice order is confirmed within the credit limit."""
    _check_company_may_buy(company)
    _check_payment_method(company=company, payment_method=payment_method)
    with transaction.atomic():
        # One company's purchases are placed one at a time so two cannot both use the last credit.
        company = Company.objects.select_for_update().get(pk=company.pk)
        basket = build_basket(company=company, user=user, items=items)
        method, shipping_charge, total = basket_total(basket=basket, shipping_address=shipping_address)
        if payment_method == PurchasePaymentMethod.INVOICE:
            _check_credit(company=company, amount=total.incl_tax)
        if shipping_address.pk is None:
            shipping_address.save()
        try:
            order = CompanyOrderCreator().place_order(
                basket=basket,
                total=total,
                shipping_method=method,
                shipping_charge=shipping_charge,
                user=user,
                shipping_address=shipping_address,
            )
        except UnableToPlaceOrder as error:
            raise ValidationError(str(error)) from error
        basket.submit()
        source_type, _created = SourceType.objects.get_or_create(
            code=payment_method, defaults={"name": str(PurchasePaymentMethod(payment_method).label)}
        )
        Source.objects.create(
            order=order, source_type=source_type, amount_allocated=total.incl_tax, currency=total.currency
        )
        CompanyOrder.objects.create(
            order=order,
            company=company,
            placed_by=user,
            approved_by=approved_by,
            payment_method=payment_method,
            po_number=po_number,
        )
        if payment_method == PurchasePaymentMethod.INVOICE:
            from invoices.services import invoice_issue

            invoice = invoice_issue(order=order, company=company, po_number=po_number)
            order_payment_succeeded(order_id=order.pk, reference=invoice.number)
        elif payment_method == PurchasePaymentMethod.BANK_TRANSFER:
            from bank_transfers.services import start_bank_transfer

            start_bank_transfer(order=order)
    return order


class CompanyOrderCreator(OrderCreator):
    """The project's OrderCreator for company orders: Oscar's place_order and line code, the rows written in bulk.

    Nothing else differs for a company: its prices (wholesale tier or quoted) are already the basket
    lines' prices (`OfftakerStrategy`), `place_company_order` writes the CompanyOrder afterwards, and
    the pesantren check and the stock reservation are the project OrderCreator's, shared with the
    consumer checkout. What is overridden is only how rows are written. Oscar inserts each line and
    each of its price rows with statements of their own (two INSERTs a line: a thousand for a 500-line
    bulk order, most of its placement time). Here Oscar's own hooks run unchanged, but the rows they
    create are collected and inserted with one statement per table before the stock is reserved; rows
    that need a line's primary key (line discounts, additional line models) are written once the lines
    have one.
    """

    def create_order_model(self, *args, **kwargs):
        self._collected = CollectedLineRows()
        return super().create_order_model(*args, **kwargs)

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        """Oscar's create_line_models, its Line collected instead of inserted (see `CollectedLineRows`)."""
        return self._collected.oscar_create_line_models(self, order, basket_line, extra_line_fields)

    def create_line_price_models(self, order, order_line, basket_line):
        """Oscar's create_line_price_models, its LinePrice rows collected instead of inserted."""
        super().create_line_price_models(order, self._collected.line(order_line), basket_line)

    def create_line_attributes(self, order, order_line, basket_line):
        """Oscar's create_line_attributes, its LineAttribute rows collected instead of inserted."""
        super().create_line_attributes(order, self._collected.line(order_line), basket_line)

    def create_line_discount_models(self, order, order_line, basket_line):
        """Oscar's create_line_discount_models, run once the line is inserted (the rows point at it)."""
        if basket_line.discounts:
            parent = super().create_line_discount_models
            self._collected.after_insert.append(lambda: parent(order, order_line, basket_line))

    def create_additional_line_models(self, order, order_line, basket_line):
        """Oscar's extension hook, likewise run once the line is inserted, so that its rows can point at it."""
        parent = super().create_additional_line_models
        self._collected.after_insert.append(lambda: parent(order, order_line, basket_line))

    def update_stock_records(self, line):
        """Insert what the line hooks collected (Oscar calls this only once every line is created), then reserve."""
        self._collected.insert()
        super().update_stock_records(line)


def _check_credit(*, company: Company, amount: Decimal) -> None:
    from invoices.selectors import company_credit_used

    available = Decimal(company.credit_limit) - company_credit_used(company=company)
    if amount > available:
        raise CreditLimitExceeded(
            _("This order (%(amount)s) is over your company's available credit (%(available)s).")
            % {"amount": format_rupiah(amount), "available": format_rupiah(max(available, Decimal(0)))}
        )


def _decide(*, purchase_request: PurchaseRequest, approver) -> PurchaseRequest:
    if company_role_of(company=purchase_request.company, user=approver) != MembershipRole.APPROVER:
        raise PermissionDenied(_("Only an approver of the company can decide on purchase requests."))
    locked = PurchaseRequest.objects.select_for_update().get(pk=purchase_request.pk)
    if locked.status != PurchaseRequestStatus.PENDING:
        raise ValidationError(
            _("This request has already been decided: %(status)s.") % {"status": locked.get_status_display()}
        )
    return locked


def purchase_request_approve(*, purchase_request: PurchaseRequest, approver):
    """Place the held order for the buyer who asked; a failure (stock, credit) leaves the request pending."""
    with transaction.atomic():
        request = _decide(purchase_request=purchase_request, approver=approver)
        items = [
            PurchaseItem(
                stockrecord=line.stockrecord,
                quantity=line.quantity,
                fixed_unit_price=line.unit_price if line.is_price_fixed else None,
            )
            for line in request.lines.select_related("stockrecord__product", "stockrecord__partner__seller")
        ]
        order = place_company_order(
            company=request.company,
            user=request.requested_by,
            items=items,
            shipping_address=request.shipping_address,
            payment_method=request.payment_method,
            po_number=request.po_number,
            approved_by=approver,
        )
        transition(
            request,
            PurchaseRequestStatus.PLACED,
            actor=approver,
            note=order.number,
            order=order,
            decided_by=approver,
            decided_at=timezone.now(),
        )
        from purchasing.tasks import notify_requester_of_decision

        outbox.enqueue(notify_requester_of_decision, request.pk)
    return order


@transaction.atomic
def purchase_request_reject(*, purchase_request: PurchaseRequest, approver, reason: str) -> PurchaseRequest:
    if not reason.strip():
        raise ValidationError(_("Tell the buyer why the request is rejected."))
    request = _decide(purchase_request=purchase_request, approver=approver)
    transition(
        request,
        PurchaseRequestStatus.REJECTED,
        actor=approver,
        note=reason.strip(),
        decided_by=approver,
        decided_at=timezone.now(),
        decision_note=reason.strip(),
    )
    from purchasing.tasks import notify_requester_of_decision

    outbox.enqueue(notify_requester_of_decision, request.pk)
    return request


@transaction.atomic
def purchase_request_withdraw(*, purchase_request: PurchaseRequest, user) -> PurchaseRequest:
    request = PurchaseRequest.objects.select_for_update().get(pk=purchase_request.pk)
    if request.requested_by_id != user.pk:
        raise PermissionDenied(_("Only the buyer who asked can withdraw a request."))
    if request.status != PurchaseRequestStatus.PENDING:
        raise ValidationError(_("Only a request waiting for approval can be withdrawn."))
    transition(request, PurchaseRequestStatus.CANCELLED, actor=user, decided_at=timezone.now())
    return request


def purchase_next_url(result: PurchaseResult) -> str:
    if result.needs_approval:
        return reverse("purchasing:approval-detail", kwargs={"pk": result.purchase_request.pk})
    return order_next_url(result.order)


def order_next_url(order) -> str:
    """Where the buyer of a company order goes next: pay it, or follow it."""
    method = order.company_order.payment_method
    if order.status == ORDER_PENDING_PAYMENT and method == PurchasePaymentMethod.CARD:
        return reverse("checkout:pay", kwargs={"order_number": order.number})
    if order.status == ORDER_PENDING_PAYMENT and method == PurchasePaymentMethod.BANK_TRANSFER:
        return reverse("bank_transfers:detail", kwargs={"order_number": order.number})
    return reverse("customer:order", kwargs={"order_number": order.number})

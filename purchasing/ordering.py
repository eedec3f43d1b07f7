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

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.order.signals import order_placed
from oscar.apps.payment.models import Source, SourceType
from oscar.core.loading import get_class, get_model

from companies.access import company_role_of
from companies.models import Company, MembershipRole
from core import outbox
from core.money import format_rupiah
from core.transitions import record_initial, transition
from fulfilment.services import ORDER_PENDING_PAYMENT, order_payment_succeeded
from order.stock import stock_records_changed
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
Order = get_model("order", "Order")
OrderLine = get_model("order", "Line")
LinePrice = get_model("order", "LinePrice")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")
LINE_STATUS = getattr(settings, "OSCAR_INITIAL_LINE_STATUS", None)
BasketLine = get_model("basket", "Line")
StockRecord = get_model("partner", "StockRecord")
OrderCreator = get_class("order.utils", "OrderCreator")
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
    """The project's OrderCreator, writing the lines, their prices and the stock reservations in bulk.

    Oscar writes each line, its price row and its stock reservation with statements of their own; a
    500-line bulk order spent most of its time there. A basket from `build_basket` has no vouchers, offers
    or line options; any other basket goes through Oscar's own `place_order`.
    """

    def place_order(self, basket, total, shipping_method, shipping_charge, user=None, shipping_address=None, **kwargs):
        lines = list(basket.all_lines())
        plain = not (kwargs or basket.offer_applications or any(line.attributes.all() for line in lines))
        if not plain or basket.vouchers.exists():
            return super().place_order(
                basket, total, shipping_method, shipping_charge, user=user, shipping_address=shipping_address, **kwargs
            )
        if not lines:
            raise ValueError(_("Empty baskets cannot be submitted"))
        number = OrderNumberGenerator().order_number(basket)
        if Order._default_manager.filter(number=number).exists():
            raise ValueError(_("There is already an order with number %s") % number)
        with transaction.atomic():
            order = self.create_order_model(
                user,
                basket,
                shipping_address,
                shipping_method,
                shipping_charge,
                None,
                total,
                number,
                getattr(settings, "OSCAR_INITIAL_ORDER_STATUS", None),
            )
            # In basket order, so that line pks keep the order the buyer saw, as Oscar does.
            order_lines = OrderLine._default_manager.bulk_create(self._order_line(order, line) for line in lines)
            LinePrice._default_manager.bulk_create(
                LinePrice(
                    order=order,
                    line=order_line,
                    quantity=quantity,
                    price_incl_tax=price_incl_tax,
                    price_excl_tax=price_excl_tax,
                    tax_code=basket_line.tax_code,
                )
                for order_line, basket_line in zip(order_lines, lines, strict=True)
                for price_incl_tax, price_excl_tax, quantity in basket_line.get_price_breakdown()
            )
            self._reserve_stock(lines)
        order_placed.send(sender=self, order=order, user=user)
        return order

    @staticmethod
    def _order_line(order, basket_line):
        """The order line Oscar's create_line_models would write for `basket_line`."""
        stockrecord = basket_line.stockrecord
        if not stockrecord:
            raise UnableToPlaceOrder(f"Basket line #{basket_line.id} has no stockrecord")
        product = basket_line.product
        partner = stockrecord.partner
        return OrderLine(
            order=order,
            partner=partner,
            partner_name=partner.name,
            partner_sku=stockrecord.partner_sku,
            stockrecord=stockrecord,
            product=product,
            title=product.get_title(),
            upc=product.upc,
            quantity=basket_line.quantity,
            line_price_excl_tax=basket_line.line_price_excl_tax_incl_discounts,
            line_price_incl_tax=basket_line.line_price_incl_tax_incl_discounts,
            line_price_before_discounts_excl_tax=basket_line.line_price_excl_tax,
            line_price_before_discounts_incl_tax=basket_line.line_price_incl_tax,
            unit_price_incl_tax=basket_line.unit_price_incl_tax,
            unit_price_excl_tax=basket_line.unit_price_excl_tax,
            tax_code=basket_line.tax_code,
            num_allocated=basket_line.quantity,
            **({"status": LINE_STATUS} if LINE_STATUS is not None else {}),
        )

    @staticmethod
    def _reserve_stock(lines) -> None:
        """Reserve every tracked line's stock, or refuse the order, as `update_stock_records` does per line.

        The stock records are locked in pk order (as Oscar allocates), so concurrent placements cannot
        deadlock, and checked and written while locked: no two orders can both take the last units.
        Then what `post_save` would set off for each record (low-stock alerts, search), in bulk.
        """
        wanted = defaultdict(int)
        titles = {}
        for line in lines:
            if line.product.get_product_class().track_stock:
                wanted[line.stockrecord_id] += line.quantity
                titles.setdefault(line.stockrecord_id, line.product.get_title())
        if not wanted:
            return
        records = (
            StockRecord.objects.select_for_update()
            .filter(pk__in=wanted)
            .order_by("pk")
            .values_list("pk", "num_in_stock", "num_allocated")
        )
        for pk, in_stock, allocated in records:
            if in_stock is None or in_stock < (allocated or 0) + wanted[pk]:
                raise UnableToPlaceOrder(
                    _("Sorry, “%(product)s” is no longer in stock in the quantity you asked for.")
                    % {"product": titles[pk]}
                )
        if connection.vendor != "postgresql":
            # The SQLite demo has no arrays; its orders are small, and the rows are checked above.
            for pk, quantity in sorted(wanted.items()):
                StockRecord.objects.filter(pk=pk).update(num_allocated=Coalesce("num_allocated", 0) + quantity)
            stock_records_changed(record_ids=wanted)
            return
        # One statement for every row (bulk_update's CASE of 500 branches costs more to build than to run).
        ids, quantities = zip(*sorted(wanted.items()), strict=True)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {StockRecord._meta.db_table} AS record"
                " SET num_allocated = COALESCE(record.num_allocated, 0) + wanted.quantity"
                " FROM unnest(%s::bigint[], %s::integer[]) AS wanted(id, quantity)"
                " WHERE record.id = wanted.id",
                [list(ids), list(quantities)],
            )
        stock_records_changed(record_ids=wanted)


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

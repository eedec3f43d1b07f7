"""Representations of the off-taker API. Amounts are whole rupiah (integers)."""

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.models import SalesUnit
from fulfilment.models import SellerOrderStatus
from fulfilment.services import ORDER_PENDING_PAYMENT
from invoices.models import InvoiceStatus
from purchasing.models import PurchasePaymentMethod, PurchaseRequestStatus
from purchasing.ordering import order_next_url
from quotes.models import QuoteStatus, RfqAudience, RfqKind, RfqStatus
from wholesale.selectors import moq_of

MAX_QUANTITY = 1_000_000
MAX_BULK_ROWS = 500


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong."))


class PriceTierSerializer(serializers.Serializer):
    min_quantity = serializers.IntegerField(help_text=_("From this many units per order line..."))
    unit_price = serializers.IntegerField(help_text=_("...each unit costs this (Rp)."))


def _record(product):
    """The stock record the product is sold from (catalogue_products prefetches the sellable ones)."""
    records = getattr(product, "sellable_stockrecords", None)
    return records[0] if records else None


class ProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="get_title")
    sku = serializers.SerializerMethodField()
    pesantren = serializers.SerializerMethodField(help_text=_("The pesantren's slug."))
    pesantren_name = serializers.SerializerMethodField()
    unit = serializers.CharField(help_text=_("The unit one quantity buys (pcs, kg, ...)."))
    currency = serializers.SerializerMethodField()
    retail_price = serializers.SerializerMethodField(help_text=_("Price per unit below the first tier (Rp)."))
    price_tiers = serializers.SerializerMethodField(help_text=_("Your company's volume prices, per order line."))
    moq = serializers.SerializerMethodField(help_text=_("Minimum order quantity for companies."))
    stock_available = serializers.SerializerMethodField(help_text=_("Units in stock; null when not tracked."))

    @extend_schema_field(OpenApiTypes.STR)
    def get_sku(self, product):
        record = _record(product)
        return record.partner_sku if record else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_pesantren(self, product):
        record = _record(product)
        return record.partner.seller.slug if record else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_pesantren_name(self, product):
        record = _record(product)
        return record.partner.seller.name if record else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_currency(self, product):
        record = _record(product)
        return record.price_currency if record else "IDR"

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_retail_price(self, product):
        record = _record(product)
        return int(record.price) if record and record.price is not None else None

    @extend_schema_field(PriceTierSerializer(many=True))
    def get_price_tiers(self, product):
        record = _record(product)
        if record is None:
            return []
        tiers = sorted(record.price_tiers.all(), key=lambda tier: tier.min_quantity)
        return PriceTierSerializer(tiers, many=True).data

    @extend_schema_field(OpenApiTypes.INT)
    def get_moq(self, product):
        record = _record(product)
        return moq_of(record) if record else 1

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_stock_available(self, product):
        record = _record(product)
        if record is None or record.num_in_stock is None:
            return None
        return max(record.net_stock_level, 0)


class ProductFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text=_("Title, UPC or SKU."))
    category = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text=_("Category id (its subcategories included).")
    )
    pesantren = serializers.SlugField(required=False, allow_blank=True, max_length=140, help_text=_("Pesantren slug."))


class OrderLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product_id", allow_null=True)
    sku = serializers.CharField(source="partner_sku")
    title = serializers.CharField()
    pesantren = serializers.SerializerMethodField()
    quantity = serializers.IntegerField()
    unit_price = serializers.IntegerField(source="unit_price_incl_tax")
    line_total = serializers.IntegerField(source="line_price_incl_tax")

    @extend_schema_field(OpenApiTypes.STR)
    def get_pesantren(self, line):
        seller = getattr(line.partner, "seller", None) if line.partner_id else None
        return seller.slug if seller else ""


class ShipmentSerializer(serializers.Serializer):
    """One pesantren's part of the order, fulfilled and shipped on its own."""

    number = serializers.CharField()
    pesantren = serializers.CharField(source="seller.slug")
    pesantren_name = serializers.CharField(source="seller.name")
    status = serializers.ChoiceField(choices=SellerOrderStatus.choices)
    subtotal = serializers.IntegerField()
    shipping_charge = serializers.IntegerField()
    courier = serializers.CharField()
    tracking_number = serializers.CharField()
    shipped_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)


class PaymentSerializer(serializers.Serializer):
    """How to pay: the card page, the bank transfer to make, or the invoice to pay by its due date."""

    method = serializers.ChoiceField(choices=PurchasePaymentMethod.choices)
    pay_url = serializers.URLField(allow_null=True, help_text=_("Card: the page where the order is paid."))
    amount_due = serializers.IntegerField(
        allow_null=True, help_text=_("Bank transfer: transfer exactly this amount (it identifies the order).")
    )
    bank_name = serializers.CharField(allow_null=True)
    account_number = serializers.CharField(allow_null=True)
    account_holder = serializers.CharField(allow_null=True)
    transfer_status = serializers.CharField(allow_null=True)
    transfer_expires_at = serializers.DateTimeField(allow_null=True)
    invoice_id = serializers.IntegerField(allow_null=True)
    invoice_number = serializers.CharField(allow_null=True)
    invoice_due_date = serializers.DateField(allow_null=True)


def _one_to_one(instance, name):
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:  # the reverse one-to-one has no row
        return None


def payment_instructions(order, *, request) -> dict:
    company_order = order.company_order
    method = company_order.payment_method
    data = dict.fromkeys(PaymentSerializer().fields, None)
    data["method"] = method
    if method == PurchasePaymentMethod.CARD and order.status == ORDER_PENDING_PAYMENT:
        data["pay_url"] = request.build_absolute_uri(order_next_url(order))
    transfer = _one_to_one(order, "bank_transfer")
    if transfer is not None:
        data.update(
            amount_due=int(transfer.amount_due),
            bank_name=transfer.bank_name,
            account_number=transfer.account_number,
            account_holder=transfer.account_holder,
            transfer_status=transfer.status,
            transfer_expires_at=transfer.expires_at,
        )
    invoice = _one_to_one(order, "invoice")
    if invoice is not None:
        data.update(invoice_id=invoice.pk, invoice_number=invoice.number, invoice_due_date=invoice.due_date)
    return data


class OrderSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField(help_text=_("Pending payment, Paid, Completed or Cancelled."))
    placed_at = serializers.DateTimeField(source="date_placed")
    currency = serializers.CharField()
    total = serializers.IntegerField(source="total_incl_tax")
    shipping = serializers.IntegerField(source="shipping_incl_tax")
    po_number = serializers.CharField(source="company_order.po_number")
    placed_by = serializers.EmailField(source="company_order.placed_by.email")
    approved_by = serializers.SerializerMethodField()
    lines = OrderLineSerializer(many=True, source="lines.all")
    shipments = ShipmentSerializer(many=True, source="seller_orders.all")
    payment = serializers.SerializerMethodField()

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_approved_by(self, order):
        approver = order.company_order.approved_by
        return approver.email if approver else None

    @extend_schema_field(PaymentSerializer)
    def get_payment(self, order):
        return PaymentSerializer(payment_instructions(order, request=self.context["request"])).data


class PurchaseRequestLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="stockrecord.product_id")
    sku = serializers.CharField(source="stockrecord.partner_sku")
    title = serializers.CharField(source="stockrecord.product.get_title")
    pesantren = serializers.CharField(source="stockrecord.partner.seller.slug")
    quantity = serializers.IntegerField()
    unit_price = serializers.IntegerField()


class PurchaseRequestSerializer(serializers.Serializer):
    """An order held until one of the company's approvers approves it."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=PurchaseRequestStatus.choices)
    created_at = serializers.DateTimeField()
    requested_by = serializers.EmailField(source="requested_by.email")
    estimated_total = serializers.IntegerField()
    payment_method = serializers.ChoiceField(choices=PurchasePaymentMethod.choices)
    po_number = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()
    order = serializers.SerializerMethodField(help_text=_("The order's number once approved and placed."))
    lines = PurchaseRequestLineSerializer(many=True, source="lines.all")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_order(self, purchase_request):
        return purchase_request.order.number if purchase_request.order_id else None


class BulkOrderItemSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=128)
    pesantren = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=140,
        help_text=_("The pesantren's slug or name; needed only when two pesantren use the same SKU."),
    )
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)


class ShippingAddressSerializer(serializers.Serializer):
    """An Indonesian address; the regions are Kemendagri codes (e.g. kabupaten 32.04, kecamatan 32.04.01)."""

    name = serializers.CharField(max_length=255)
    phone = serializers.CharField(max_length=32)
    line1 = serializers.CharField(max_length=255)
    line2 = serializers.CharField(required=False, allow_blank=True, max_length=255)
    kabupaten = serializers.CharField(max_length=13)
    kecamatan = serializers.CharField(max_length=13)
    desa = serializers.CharField(required=False, allow_blank=True, max_length=13)
    postcode = serializers.CharField(
        required=False, allow_blank=True, max_length=5, help_text=_("Taken from the desa when left out.")
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=1000)

    # Checkout's form checks the region chain, the phone number and the postal code; its field names differ.
    _FORM_FIELDS = {"first_name": "name", "phone_number": "phone", "province": "kabupaten"}

    def validate(self, attrs):
        from checkout.forms import ShippingAddressForm
        from regions.models import Region

        data = {
            "first_name": attrs["name"],
            "phone_number": attrs["phone"],
            "line1": attrs["line1"],
            "line2": attrs.get("line2", ""),
            "province": Region.parent_code_of(attrs["kabupaten"]) or "",
            "kabupaten": attrs["kabupaten"],
            "kecamatan": attrs["kecamatan"],
            "desa": attrs.get("desa", ""),
            "postcode": attrs.get("postcode", ""),
            "notes": attrs.get("notes", ""),
        }
        form = ShippingAddressForm(data=data)
        if not form.is_valid():
            errors = {}
            for field, messages in form.errors.items():
                name = self._FORM_FIELDS.get(field, field)
                if name == "__all__":
                    name = "non_field_errors"
                errors.setdefault(name, []).extend(messages)
            raise serializers.ValidationError(errors)
        return {**attrs, "address": form.save(commit=False)}


class BulkOrderSerializer(serializers.Serializer):
    items = BulkOrderItemSerializer(many=True, min_length=1, max_length=MAX_BULK_ROWS)
    shipping_address = ShippingAddressSerializer()
    payment_method = serializers.ChoiceField(choices=PurchasePaymentMethod.choices)
    po_number = serializers.CharField(required=False, allow_blank=True, max_length=64)


# Requests for quotation


class RfqSerializer(serializers.Serializer):
    """A request for quotation: what the company wants and which pesantren it asks."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=RfqKind.choices)
    status = serializers.ChoiceField(choices=RfqStatus.choices)
    product = serializers.IntegerField(source="product_id", allow_null=True)
    category = serializers.IntegerField(source="category_id", allow_null=True)
    quantity = serializers.IntegerField()
    unit = serializers.ChoiceField(choices=SalesUnit.choices)
    specification = serializers.CharField()
    target_unit_price = serializers.IntegerField(allow_null=True)
    delivery_date = serializers.DateField()
    delivery_kabupaten = serializers.CharField(source="delivery_kabupaten_id", allow_null=True)
    audience = serializers.ChoiceField(choices=RfqAudience.choices)
    seller = serializers.SerializerMethodField(help_text=_("The pesantren asked (its slug), when one was."))
    region = serializers.CharField(source="region_id", allow_null=True)
    quotes_due = serializers.DateField()
    created_at = serializers.DateTimeField()
    invitation_count = serializers.IntegerField(help_text=_("How many pesantren were asked."))
    live_quote_count = serializers.IntegerField(help_text=_("Quotes submitted or accepted."))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_seller(self, rfq):
        return rfq.seller.slug if rfq.seller_id else None


class RfqCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=160)
    kind = serializers.ChoiceField(choices=RfqKind.choices, default=RfqKind.CATALOGUE)
    product = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1, help_text=_("A catalogue product id.")
    )
    category = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1, help_text=_("A category id.")
    )
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    unit = serializers.ChoiceField(choices=SalesUnit.choices, default=SalesUnit.PIECE)
    specification = serializers.CharField(max_length=5000)
    target_unit_price = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)
    delivery_date = serializers.DateField()
    delivery_kabupaten = serializers.CharField(
        required=False, allow_blank=True, max_length=13, help_text=_("Kemendagri code of a West Java kabupaten/kota.")
    )
    audience = serializers.ChoiceField(choices=RfqAudience.choices, default=RfqAudience.SELLER)
    seller = serializers.CharField(
        required=False, allow_blank=True, max_length=140, help_text=_("The pesantren's slug (audience 'seller').")
    )
    region = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=13,
        help_text=_("Kemendagri code of a West Java kabupaten/kota (audience 'region')."),
    )
    quotes_due = serializers.DateField()

    def validate(self, attrs):
        """Ids and codes become the objects `quotes.services.rfq_create` takes; unknown ones are errors."""
        from django.conf import settings
        from oscar.core.loading import get_model

        from regions.models import Region, RegionLevel
        from sellers.models import Seller

        Product = get_model("catalogue", "Product")
        Category = get_model("catalogue", "Category")
        kabupaten = Region.objects.filter(
            level=RegionLevel.REGENCY, parent_id=settings.MARKETPLACE_PROGRAMME_PROVINCE_CODE
        )
        lookups = {
            "product": (Product.objects.filter(is_public=True), "pk"),
            "category": (Category.objects.all(), "pk"),
            "seller": (Seller.objects.verified(), "slug"),
            "region": (kabupaten, "code"),
            "delivery_kabupaten": (kabupaten, "code"),
        }
        data, errors = dict(attrs), {}
        for name, (queryset, field) in lookups.items():
            value = data.get(name)
            if value in (None, ""):
                data[name] = None
                continue
            found = queryset.filter(**{field: value}).first()
            if found is None:
                errors[name] = [_("There is no such choice.")]
            data[name] = found
        if errors:
            raise serializers.ValidationError(errors)
        return data


class QuoteSerializer(serializers.Serializer):
    """A pesantren's offer; accept it by its id (the latest version of each pesantren's quote is listed)."""

    id = serializers.IntegerField()
    pesantren = serializers.CharField(source="seller.slug")
    pesantren_name = serializers.CharField(source="seller.name")
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=QuoteStatus.choices)
    unit_price = serializers.IntegerField()
    quantity = serializers.IntegerField()
    total = serializers.IntegerField()
    lead_time_days = serializers.IntegerField()
    valid_until = serializers.DateField()
    note = serializers.CharField()
    product = serializers.SerializerMethodField(help_text=_("The catalogue product, or null when made to order."))
    can_accept = serializers.SerializerMethodField()
    order = serializers.SerializerMethodField(help_text=_("The order number, once accepted and placed."))
    purchase_request = serializers.IntegerField(source="purchase_request_id", allow_null=True)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_product(self, quote):
        return quote.stockrecord.product_id if quote.stockrecord_id else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_accept(self, quote):
        from quotes.selectors import quote_can_be_accepted

        # The request comes from the context: every quote listed belongs to it (no query per quote).
        return quote_can_be_accepted(rfq=self.context["rfq"], quote=quote)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_order(self, quote):
        order = quote.resulting_order
        return order.number if order is not None else None


class QuoteAcceptSerializer(serializers.Serializer):
    shipping_address = ShippingAddressSerializer()
    payment_method = serializers.ChoiceField(choices=PurchasePaymentMethod.choices)
    po_number = serializers.CharField(required=False, allow_blank=True, max_length=64)


# Invoices


class InvoiceSectionSerializer(serializers.Serializer):
    """One pesantren's part of the invoice, with the PPN worked out at issue (PKP pesantren only)."""

    pesantren = serializers.CharField(source="seller_order.seller.slug")
    pesantren_name = serializers.CharField(source="seller_name")
    pesantren_npwp = serializers.CharField(source="seller_npwp")
    is_vat_registered = serializers.BooleanField()
    ppn_rate = serializers.DecimalField(max_digits=5, decimal_places=4, coerce_to_string=True)
    subtotal = serializers.IntegerField()
    shipping_charge = serializers.IntegerField()
    dpp = serializers.IntegerField(allow_null=True)
    ppn = serializers.IntegerField(allow_null=True)


class InvoicePaymentSerializer(serializers.Serializer):
    amount = serializers.IntegerField()
    method = serializers.CharField()
    reference = serializers.CharField()
    paid_on = serializers.DateField()


class InvoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    order = serializers.CharField(source="order.number")
    status = serializers.ChoiceField(choices=InvoiceStatus.choices)
    issue_date = serializers.DateField()
    due_date = serializers.DateField()
    payment_terms_days = serializers.IntegerField()
    total = serializers.IntegerField()
    amount_credited = serializers.IntegerField(help_text=_("Credit notes: parts cancelled or refunded by a pesantren."))
    amount_paid = serializers.IntegerField()
    balance = serializers.IntegerField(help_text=_("Still owed: total less credit notes and payments."))
    days_overdue = serializers.SerializerMethodField()
    po_number = serializers.CharField()
    buyer_legal_name = serializers.CharField()
    buyer_npwp = serializers.CharField()
    sections = InvoiceSectionSerializer(many=True, source="sections.all")
    payments = InvoicePaymentSerializer(many=True, source="payments.all")
    pdf_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.INT)
    def get_days_overdue(self, invoice):
        return invoice.days_overdue()

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, invoice):
        return self.context["request"].build_absolute_uri(reverse("api:invoice-pdf", kwargs={"pk": invoice.pk}))

"""The off-taker REST API. Every view reads through a selector given the token's company: another
company's objects are simply not found (404)."""

import json

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from oscar.core.loading import get_model
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors
from api.serializers import (
    BulkOrderSerializer,
    ErrorSerializer,
    InvoiceSerializer,
    OrderSerializer,
    ProductFilterSerializer,
    ProductSerializer,
    PurchaseRequestSerializer,
    QuoteAcceptSerializer,
    QuoteSerializer,
    RfqCreateSerializer,
    RfqSerializer,
)
from api.services import IdempotencyKeyReused, idempotent_call, request_fingerprint
from purchasing.bulk import BulkOrderInvalid, BulkRow, bulk_order_place
from quotes.services import rfq_create

Category = get_model("catalogue", "Category")

IDEMPOTENCY_KEY_MAX_LENGTH = 255


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


VALIDATION_ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="The request is invalid: field names map to lists of messages "
    "(`non_field_errors` for the request as a whole).",
)
ERRORS = {
    401: _error("No token, an unknown token or a revoked token."),
    403: _error("The company is not verified yet."),
    429: _error("Too many requests: wait for the number of seconds in the Retry-After header."),
}
NOT_FOUND = {404: _error("Not found, or not your company's.")}


class CompanyScopedMixin:
    def initial(self, request, *args, **kwargs):
        # Programs say which language they want in Accept-Language (the site itself ignores it); the
        # default stays Indonesian. Set before authentication so its errors are in that language too.
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    @property
    def company(self):
        return self.request.auth.company


@extend_schema(tags=["catalogue"])
class ProductViewSet(CompanyScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Products of verified pesantren with your company's volume prices."""

    serializer_class = ProductSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.action != "list":
            return selectors.catalogue_products()
        filters = ProductFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        category = None
        if data.get("category"):
            category = Category.objects.filter(pk=data["category"]).first()
            if category is None:
                raise exceptions.ValidationError({"category": [_("There is no such category.")]})
        return selectors.catalogue_products(
            query=data.get("q", "").strip(), category=category, seller_slug=data.get("pesantren", "")
        )

    @extend_schema(
        summary="List products",
        parameters=[ProductFilterSerializer],
        responses={200: ProductSerializer(many=True), 400: VALIDATION_ERROR, 404: _error("No such page."), **ERRORS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Get a product", responses={200: ProductSerializer, **NOT_FOUND, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["orders"])
class OrderViewSet(CompanyScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Your company's orders, with each pesantren's shipment and how to pay."""

    serializer_class = OrderSerializer
    lookup_field = "number"
    lookup_value_converter = "str"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no token
            return selectors.company_orders(company=None).none()
        return selectors.company_orders(company=self.company)

    @extend_schema(
        summary="List orders", responses={200: OrderSerializer(many=True), 404: _error("No such page."), **ERRORS}
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Get an order", responses={200: OrderSerializer, **NOT_FOUND, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["orders"])
class PurchaseRequestViewSet(CompanyScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Orders waiting for an approver of your company (placed by a buyer above the approval threshold)."""

    serializer_class = PurchaseRequestSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no token
            return selectors.company_purchase_requests(company=None).none()
        return selectors.company_purchase_requests(company=self.company)

    @extend_schema(
        summary="List purchase requests",
        responses={200: PurchaseRequestSerializer(many=True), 404: _error("No such page."), **ERRORS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Get a purchase request", responses={200: PurchaseRequestSerializer, **NOT_FOUND, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


def _as_json(data) -> dict:
    """Plain JSON types, as stored for replays and as sent."""
    return json.loads(JSONRenderer().render(data))


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="A unique value per order you mean to place (e.g. a UUID), at most 255 characters. A retry "
    "with the same key gets the first answer back (header `Idempotent-Replayed: true`) and never places a "
    "second order; a rejected request (400) does not use up its key.",
)


class IdempotentPostMixin:
    """POSTs that place orders: with an `Idempotency-Key`, a retry replays the stored answer."""

    def idempotent(self, respond) -> Response:
        request = self.request
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
            raise exceptions.ValidationError(
                {"Idempotency-Key": [_("Use at most %(count)d characters.") % {"count": IDEMPOTENCY_KEY_MAX_LENGTH}]}
            )
        if not key:
            status_code, body = respond()
            return Response(body, status=status_code)
        fingerprint = request_fingerprint(method=request.method, path=request.path, data=request.data)
        try:
            stored = idempotent_call(company=self.company, key=key, fingerprint=fingerprint, respond=respond)
        except IdempotencyKeyReused as error:
            return Response({"detail": str(error)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        response = Response(stored.body, status=stored.status)
        if stored.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    def purchase_response(self, *, order, purchase_request) -> tuple[int, dict]:
        if order is not None:
            order = selectors.company_orders(company=self.company).get(pk=order.pk)
            return status.HTTP_201_CREATED, _as_json(OrderSerializer(order, context={"request": self.request}).data)
        purchase_request = selectors.company_purchase_requests(company=self.company).get(pk=purchase_request.pk)
        return status.HTTP_202_ACCEPTED, _as_json(PurchaseRequestSerializer(purchase_request).data)


PURCHASE_RESPONSES = {
    201: OpenApiResponse(OrderSerializer, description="The order was placed."),
    202: OpenApiResponse(PurchaseRequestSerializer, description="The order waits for an approver."),
    400: VALIDATION_ERROR,
    422: _error("The Idempotency-Key was already used for a different request."),
}


@extend_schema(tags=["orders"])
class BulkOrderView(CompanyScopedMixin, IdempotentPostMixin, APIView):
    @extend_schema(
        operation_id="bulk_orders_create",
        summary="Place a bulk order",
        description=(
            "Every row is checked (SKU for sale, minimum order quantity, stock) and all problems are "
            "reported at once: in a 400, `items` maps the index (from 0) of each bad item to its errors. Rows "
            "for the same product are added together. The order is then placed with your company's prices, "
            "or held for an approver (202) when the token's creator is a buyer over the approval threshold. "
            "Send an `Idempotency-Key` to retry safely."
        ),
        request=BulkOrderSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={**PURCHASE_RESPONSES, **ERRORS},
        examples=[
            OpenApiExample(
                "Two products by bank transfer",
                request_only=True,
                value={
                    "items": [{"sku": "KOPI-250", "quantity": 40}, {"sku": "MADU-500", "quantity": 12}],
                    "shipping_address": {
                        "name": "PT Katering Barokah",
                        "phone": "081234567890",
                        "line1": "Jl. Braga No. 1",
                        "kabupaten": "32.73",
                        "kecamatan": "32.73.01",
                        "desa": "32.73.01.1001",
                        "postcode": "40111",
                    },
                    "payment_method": "bank_transfer",
                    "po_number": "PO-2026-0042",
                },
            )
        ],
    )
    def post(self, request):
        return self.idempotent(self.place)

    def place(self) -> tuple[int, dict]:
        serializer = BulkOrderSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Rows are numbered from 1 in the position they were sent, as the CSV upload numbers them.
        rows = [
            BulkRow(row=index, sku=item["sku"], quantity=str(item["quantity"]), pesantren=item.get("pesantren", ""))
            for index, item in enumerate(data["items"], start=1)
        ]
        try:
            result = bulk_order_place(
                company=self.company,
                user=self.request.user,
                rows=rows,
                shipping_address=data["shipping_address"]["address"],
                payment_method=data["payment_method"],
                po_number=data.get("po_number", ""),
            )
        except BulkOrderInvalid as invalid:
            raise exceptions.ValidationError(_row_errors(invalid, count=len(rows))) from invalid
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"non_field_errors": error.messages}) from error
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        return self.purchase_response(order=result.order, purchase_request=result.purchase_request)


def _row_errors(invalid: BulkOrderInvalid, *, count: int) -> dict:
    """Per-row problems laid out as DRF lays out a list's field errors: `items` maps the index of each
    bad item (from 0) to its errors by field."""
    items: dict[str, dict] = {}
    general = []
    for error in invalid.errors:
        if error.row is None or not 1 <= error.row <= count:
            general.append(error.message)
            continue
        row = items.setdefault(str(error.row - 1), {})
        row.setdefault(error.column or "non_field_errors", []).append(error.message)
    body = {}
    if items:
        body["items"] = items
    if general:
        body["non_field_errors"] = general
    return body


@extend_schema(tags=["quotes"])
class RfqViewSet(CompanyScopedMixin, viewsets.GenericViewSet):
    """Requests for quotation: ask one pesantren, or all of a category or kabupaten/kota, for a price."""

    serializer_class = RfqSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no token
            return selectors.company_rfqs(company=None).none()
        return selectors.company_rfqs(company=self.company)

    @extend_schema(
        summary="List requests for quotation",
        responses={200: RfqSerializer(many=True), 404: _error("No such page."), **ERRORS},
    )
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RfqSerializer(page, many=True).data)

    @extend_schema(summary="Get a request for quotation", responses={200: RfqSerializer, **NOT_FOUND, **ERRORS})
    def retrieve(self, request, pk):
        return Response(RfqSerializer(self.get_object()).data)

    @extend_schema(
        summary="Ask for quotes",
        request=RfqCreateSerializer,
        responses={201: RfqSerializer, 400: VALIDATION_ERROR, **ERRORS},
        examples=[
            OpenApiExample(
                "Ask one pesantren",
                request_only=True,
                value={
                    "title": "Kopi arabika 250 g for our cafés",
                    "kind": "catalogue",
                    "quantity": 500,
                    "unit": "pcs",
                    "specification": "Ground, 250 g pouches, halal certified.",
                    "target_unit_price": 20000,
                    "delivery_date": "2027-01-15",
                    "audience": "seller",
                    "seller": "pp-al-falah",
                    "quotes_due": "2026-12-20",
                },
            )
        ],
    )
    def create(self, request):
        serializer = RfqCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            rfq = rfq_create(company=self.company, user=request.user, data=serializer.validated_data)
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
            raise exceptions.ValidationError(detail) from error
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        rfq = selectors.company_rfq(company=self.company, pk=rfq.pk)
        return Response(RfqSerializer(rfq).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Compare the quotes", responses={200: QuoteSerializer(many=True), **NOT_FOUND, **ERRORS})
    @action(detail=True, methods=["get"], pagination_class=None)
    def quotes(self, request, pk):
        """The latest quote of each pesantren: accepted first, then the cheapest."""
        from quotes.selectors import quotes_to_compare

        rfq = self.get_object()
        return Response(QuoteSerializer(quotes_to_compare(rfq=rfq), many=True, context={"rfq": rfq}).data)


@extend_schema(tags=["quotes"])
class QuoteAcceptView(CompanyScopedMixin, IdempotentPostMixin, APIView):
    @extend_schema(
        operation_id="rfqs_quotes_accept",
        summary="Accept a quote",
        description=(
            "The quote becomes an order at the quoted unit price, shipped to the address given, and the "
            "request's other quotes are closed. As for any order, the approval threshold, the credit limit "
            "and stock apply: 202 when an approver must approve it first."
        ),
        request=QuoteAcceptSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={**PURCHASE_RESPONSES, **NOT_FOUND, **ERRORS},
    )
    def post(self, request, pk, quote_pk):
        rfq = selectors.company_rfq(company=self.company, pk=pk)
        quote = selectors.rfq_quote(rfq=rfq, pk=quote_pk) if rfq is not None else None
        if quote is None:
            raise exceptions.NotFound()
        return self.idempotent(lambda: self.accept(quote))

    def accept(self, quote) -> tuple[int, dict]:
        from quotes.services import quote_accept

        serializer = QuoteAcceptSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            acceptance = quote_accept(
                quote=quote,
                user=self.request.user,
                shipping_address=data["shipping_address"]["address"],
                payment_method=data["payment_method"],
                po_number=data.get("po_number", ""),
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"non_field_errors": error.messages}) from error
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        return self.purchase_response(order=acceptance.order, purchase_request=acceptance.purchase_request)


class PdfRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Errors reach here as dicts when the client asked for PDF only; answer them as JSON text.
        return data if isinstance(data, bytes) else json.dumps(data).encode()


@extend_schema(tags=["invoices"])
class InvoiceViewSet(CompanyScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Invoices of your company's orders on payment terms."""

    serializer_class = InvoiceSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no token
            return selectors.company_invoices(company=None).none()
        return selectors.company_invoices(company=self.company)

    @extend_schema(
        summary="List invoices", responses={200: InvoiceSerializer(many=True), 404: _error("No such page."), **ERRORS}
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Get an invoice", responses={200: InvoiceSerializer, **NOT_FOUND, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Download the invoice as PDF",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The invoice as a PDF."),
            **NOT_FOUND,
            **ERRORS,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PdfRenderer], url_path="pdf")
    def pdf(self, request, pk):
        from invoices.selectors import invoice_with_details
        from invoices.views import pdf_response

        invoice = self.get_object()
        return pdf_response(invoice_with_details(pk=invoice.pk))

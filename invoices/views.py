"""The off-taker's invoice pages: list, detail, PDF and paying the balance by card.

Every view looks the invoice up through `invoice_for_user`, so only members of the invoice's
company see it; anyone else gets 404.
"""

from django import http
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import generic
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from bank_transfers.services import marketplace_bank_account
from core import payment_methods
from invoices.models import InvoiceStatus
from invoices.pdf import render_invoice_pdf
from invoices.selectors import (
    invoice_for_user,
    invoice_with_details,
    invoices_for_user,
    latest_card_payment,
    section_lines,
)
from invoices.services import InvoiceNotPayable, invoice_start_card_payment
from payments.card_page import start_card_payment_response
from payments.stripe_api import (
    card_payments_enabled,
    localstripe_shim_enabled,
    minimum_charge,
    publishable_key,
    stripe_js_url,
)


def pdf_response(invoice) -> http.HttpResponse:
    response = http.HttpResponse(render_invoice_pdf(invoice), content_type="application/pdf")
    filename = invoice.number.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


class InvoiceMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if invoice_for_user(user=request.user, pk=kwargs["pk"]) is None:
            raise http.Http404
        self.invoice = invoice_with_details(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class InvoiceListView(LoginRequiredMixin, generic.ListView):
    template_name = "invoices/invoice_list.html"
    context_object_name = "invoices"
    paginate_by = 25

    def get_queryset(self):
        return invoices_for_user(user=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "today": timezone.localdate()}


class InvoiceDetailView(InvoiceMixin, generic.TemplateView):
    template_name = "invoices/invoice_detail.html"

    def get_context_data(self, **kwargs):
        invoice = self.invoice
        return {
            **super().get_context_data(**kwargs),
            "invoice": invoice,
            "sections": section_lines(invoice),
            "can_pay_by_card": (
                card_payments_enabled() and invoice.status == InvoiceStatus.OPEN and invoice.balance >= minimum_charge()
            ),
            "bank": marketplace_bank_account(),
            # Card and virtual accounts, as their providers registered them (core.payment_methods).
            "other_methods": [
                method
                for method in payment_methods.available_methods(for_invoices=True)
                if method.code != "card" and invoice.status == InvoiceStatus.OPEN and invoice.balance > 0
            ],
        }


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class InvoiceStartPaymentView(InvoiceMixin, generic.View):
    """POST: pay the balance with a registered method (a virtual account at Midtrans, ...)."""

    def post(self, request, *args, **kwargs):
        method = payment_methods.get(request.POST.get("method"))
        if method is None or method.start_invoice_payment is None or self.invoice.status != InvoiceStatus.OPEN:
            return redirect("invoices:detail", pk=self.invoice.pk)
        return redirect(method.start_invoice_payment(invoice=self.invoice, request=request))


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class InvoiceVirtualAccountView(InvoiceMixin, generic.TemplateView):
    """The virtual account number of the invoice's open Midtrans charge, how to pay and a countdown.
    Only Midtrans's verified settlement books the payment."""

    template_name = "invoices/virtual_account.html"

    def get_context_data(self, **kwargs):
        from midtrans.selectors import charge_display, latest_charge

        charge = latest_charge(purpose="invoice", payable_id=self.invoice.pk)
        return {
            **super().get_context_data(**kwargs),
            **charge_display(charge),
            "invoice": self.invoice,
            "open": bool(charge and charge.is_open and self.invoice.status == InvoiceStatus.OPEN),
            "amount": charge.amount if charge else self.invoice.balance,
            "status_url": reverse("invoices:status", kwargs={"pk": self.invoice.pk}),
            "done_url": reverse("invoices:detail", kwargs={"pk": self.invoice.pk}),
            "simulator_url": getattr(settings, "MIDTRANS_SIMULATOR_URL", ""),
        }


class InvoicePdfView(InvoiceMixin, generic.View):
    def get(self, request, *args, **kwargs):
        return pdf_response(self.invoice)


@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class InvoiceCardPaymentView(InvoiceMixin, generic.TemplateView):
    """The balance by card, with the checkout's card script (static/js/card-payment.js).

    The page posts the Stripe.js PaymentMethod here as JSON; we create and confirm the
    PaymentIntent. Only Stripe's webhook books the payment on the invoice.
    """

    template_name = "invoices/card_payment.html"

    def get(self, request, *args, **kwargs):
        if self.invoice.status != InvoiceStatus.OPEN or not card_payments_enabled():
            return redirect("invoices:detail", pk=self.invoice.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        shim_url = reverse("checkout:localstripe-payment-method") if localstripe_shim_enabled() else ""
        return {
            **super().get_context_data(**kwargs),
            "invoice": self.invoice,
            "stripe_publishable_key": publishable_key(),
            "stripe_js_url": stripe_js_url(),
            "pay_url": reverse("invoices:pay", kwargs={"pk": self.invoice.pk}),
            "status_url": reverse("invoices:status", kwargs={"pk": self.invoice.pk}),
            "done_url": reverse("invoices:detail", kwargs={"pk": self.invoice.pk}),
            "localstripe_shim_url": shim_url,
        }

    def post(self, request, *args, **kwargs):
        return start_card_payment_response(
            request,
            lambda payment_method_id: invoice_start_card_payment(
                invoice=self.invoice, payment_method_id=payment_method_id
            ),
            conflicts=(InvoiceNotPayable,),
        )


@never_cache
@require_GET
def invoice_payment_status(request, pk: int):
    """What the card page polls. Its keys follow the checkout's status endpoint, which the script reads:
    "order_status" stays "Pending payment" while the invoice is open."""
    invoice = invoice_for_user(user=request.user, pk=pk)
    if invoice is None:
        raise http.Http404
    attempt = latest_card_payment(invoice=invoice)
    requires_action = bool(attempt and attempt.requires_action)
    return http.JsonResponse(
        {
            "order_status": "Pending payment" if invoice.status == InvoiceStatus.OPEN else "Paid",
            "invoice_status": invoice.status,
            "balance": str(int(invoice.balance)),
            "payment_status": attempt.status if attempt else None,
            "requires_action": requires_action,
            "client_secret": attempt.client_secret if requires_action else None,
            "last_error": attempt.last_error if attempt else "",
        }
    )

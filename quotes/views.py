"""The off-taker's side: ask for quotes, compare them, talk to each pesantren and accept one."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from oscar.core.loading import get_class

from companies.access import companies_for_user, verified_company_for_user
from core.ratelimit import rate_limit
from purchasing.ordering import purchase_next_url
from quotes.forms import AcceptForm, MessageForm, RfqForm
from quotes.models import QuoteStatus, RfqStatus
from quotes.selectors import (
    events_of,
    invitation_for_company,
    invitations_with_threads,
    quote_can_be_accepted,
    quote_for_user,
    quotes_of_seller,
    quotes_to_compare,
    rfq_for_user,
    rfqs_for_user,
    thread,
)
from quotes.services import message_post, quote_accept, rfq_cancel, rfq_create

ShippingAddressForm = get_class("checkout.forms", "ShippingAddressForm")


def _rfq_or_404(request, pk):
    rfq = rfq_for_user(user=request.user, pk=pk)
    if rfq is None:
        raise Http404
    return rfq


class RfqListView(LoginRequiredMixin, ListView):
    template_name = "quotes/rfq_list.html"
    context_object_name = "rfqs"
    paginate_by = 30

    def get_queryset(self):
        status = self.request.GET.get("status", "")
        return rfqs_for_user(user=self.request.user, status=status if status in RfqStatus.values else "")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "company": verified_company_for_user(self.request.user),
            "is_member": companies_for_user(self.request.user).exists(),
            "statuses": RfqStatus.choices,
            "status": self.request.GET.get("status", ""),
        }


# A request for quotation can reach every pesantren of a category or kabupaten at once.
@method_decorator(rate_limit("rfq"), name="post")
class RfqCreateView(LoginRequiredMixin, View):
    template_name = "quotes/rfq_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.company = verified_company_for_user(request.user)
            if self.company is None:
                return render(request, "quotes/no_company.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {}
        product_id = request.GET.get("product", "")
        if product_id.isdigit():
            # Asked from a product page: that product, from the pesantren that sells it.
            form = RfqForm()
            product = form.fields["product"].queryset.filter(pk=product_id).first()
            if product is not None:
                record = product.stockrecords.select_related("partner__seller").first()
                initial = {"product": product, "title": product.get_title(), "unit": getattr(product, "unit", "")}
                if record is not None and getattr(record.partner, "seller", None) is not None:
                    initial.update({"audience": "seller", "seller": record.partner.seller})
        return self.render(RfqForm(initial=initial))

    def post(self, request):
        form = RfqForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            rfq = rfq_create(company=self.company, user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form, status=400)
        messages.success(
            request,
            _("Your request was sent to %(count)d pesantren.") % {"count": rfq.invitations.count()},
        )
        return redirect("quotes:detail", pk=rfq.pk)

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "company": self.company}, status=status)


class RfqDetailView(LoginRequiredMixin, View):
    """Quotes side by side, each pesantren's thread, and the request's history."""

    template_name = "quotes/rfq_detail.html"

    def get(self, request, pk):
        rfq = _rfq_or_404(request, pk)
        quotes = quotes_to_compare(rfq=rfq)
        for quote in quotes:
            quote.can_accept = quote_can_be_accepted(rfq=rfq, quote=quote)
        context = {
            "rfq": rfq,
            "quotes": quotes,
            "invitations": invitations_with_threads(rfq=rfq),
            "events": events_of(rfq=rfq),
            "accepted": next((quote for quote in quotes if quote.status == QuoteStatus.ACCEPTED), None),
        }
        return render(request, self.template_name, context)

    def post(self, request, pk):
        rfq = _rfq_or_404(request, pk)
        if request.POST.get("action") != "cancel":
            raise Http404
        try:
            rfq_cancel(rfq=rfq, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The request is cancelled."))
        return redirect("quotes:detail", pk=rfq.pk)


class ThreadView(LoginRequiredMixin, View):
    """The conversation with one invited pesantren, beside the versions of its quote."""

    template_name = "quotes/thread.html"

    def get_invitation(self, request, pk, seller_pk):
        rfq = _rfq_or_404(request, pk)
        invitation = invitation_for_company(rfq=rfq, seller_pk=seller_pk)
        if invitation is None:
            raise Http404
        return rfq, invitation.seller

    def get(self, request, pk, seller_pk):
        rfq, seller = self.get_invitation(request, pk, seller_pk)
        return self.render(rfq, seller, MessageForm())

    def post(self, request, pk, seller_pk):
        rfq, seller = self.get_invitation(request, pk, seller_pk)
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                message_post(rfq=rfq, seller=seller, user=request.user, body=form.cleaned_data["body"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("quotes:thread", pk=rfq.pk, seller_pk=seller.pk)
        return self.render(rfq, seller, form, status=400)

    def render(self, rfq, seller, form, status=200):
        context = {
            "rfq": rfq,
            "seller": seller,
            "messages_": thread(rfq=rfq, seller=seller),
            "versions": quotes_of_seller(rfq=rfq, seller=seller),
            "form": form,
        }
        return render(self.request, self.template_name, context, status=status)


class QuoteAcceptView(LoginRequiredMixin, View):
    """Where to ship and how to pay; then the quote becomes an order at the quoted price."""

    template_name = "quotes/accept.html"

    def get_quote(self, request, pk, quote_pk):
        quote = quote_for_user(user=request.user, pk=quote_pk)
        if quote is None or quote.rfq_id != pk:
            raise Http404
        return quote

    def get(self, request, pk, quote_pk):
        quote = self.get_quote(request, pk, quote_pk)
        return self.render(quote, ShippingAddressForm(), AcceptForm(company=quote.rfq.company))

    def post(self, request, pk, quote_pk):
        quote = self.get_quote(request, pk, quote_pk)
        address_form = ShippingAddressForm(request.POST)
        accept_form = AcceptForm(request.POST, company=quote.rfq.company)
        if address_form.is_region_refresh():
            return self.render(quote, address_form, AcceptForm(request.POST, company=quote.rfq.company))
        if not (address_form.is_valid() and accept_form.is_valid()):
            return self.render(quote, address_form, accept_form, status=400)
        payment_method = accept_form.cleaned_data["payment_method"]
        try:
            acceptance = quote_accept(
                quote=quote,
                user=request.user,
                shipping_address=address_form.save(commit=False),
                payment_method=payment_method,
                po_number=accept_form.cleaned_data["po_number"],
            )
        except ValidationError as error:
            accept_form.add_error(None, error)
            return self.render(quote, address_form, accept_form, status=400)
        if acceptance.needs_approval:
            messages.info(
                self.request, _("The quote is accepted. The order will be placed once an approver approves it.")
            )
        else:
            messages.success(self.request, _("Quote accepted: order %(number)s.") % {"number": acceptance.order.number})
        return redirect(purchase_next_url(acceptance))

    def render(self, quote, address_form, accept_form, status=200):
        context = {
            "quote": quote,
            "rfq": quote.rfq,
            "form": address_form,
            "accept_form": accept_form,
            "is_valid_today": quote.valid_until >= timezone.localdate(),
        }
        return render(self.request, self.template_name, context, status=status)

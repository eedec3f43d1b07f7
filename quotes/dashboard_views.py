"""The pesantren's side: requests it was invited to, its quote (revise, withdraw) and the thread."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from quotes.forms import MessageForm, QuoteForm
from quotes.models import QuoteStatus
from quotes.selectors import events_of, live_quote_of_seller, quotes_of_seller, rfq_for_seller, rfqs_for_seller, thread
from quotes.services import message_post, quote_submit, quote_withdraw
from sellers.access import PesantrenStaffRequiredMixin


class SellerRfqListView(PesantrenStaffRequiredMixin, ListView):
    template_name = "quotes/dashboard/rfq_list.html"
    context_object_name = "rfqs"
    paginate_by = 30

    def get_queryset(self):
        return rfqs_for_seller(seller=self.seller)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "seller": self.seller}


class SellerRfqDetailView(PesantrenStaffRequiredMixin, View):
    template_name = "quotes/dashboard/rfq_detail.html"
    ACTIONS = ("quote", "withdraw", "message")

    def get_rfq(self, pk):
        rfq = rfq_for_seller(seller=self.seller, pk=pk)
        if rfq is None:
            raise Http404
        return rfq

    def get(self, request, pk):
        return self.render(self.get_rfq(pk))

    def post(self, request, pk):
        rfq = self.get_rfq(pk)
        action = request.POST.get("action")
        if action not in self.ACTIONS:
            messages.error(request, _("Unknown action."))
            return redirect("quotes-dashboard:rfq-detail", pk=pk)
        if action == "quote":
            form = QuoteForm(request.POST, seller=self.seller)
            if not form.is_valid():
                return self.render(rfq, quote_form=form, status=400)
            try:
                quote_submit(rfq=rfq, seller=self.seller, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
                return self.render(rfq, quote_form=form, status=400)
            messages.success(request, _("Your quote was sent to %(company)s.") % {"company": rfq.company.legal_name})
        elif action == "withdraw":
            quote = live_quote_of_seller(rfq=rfq, seller=self.seller)
            if quote is None:
                raise Http404
            try:
                quote_withdraw(quote=quote, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return self.render(rfq, status=409)
            messages.success(request, _("Your quote is withdrawn."))
        else:
            form = MessageForm(request.POST)
            if not form.is_valid():
                return self.render(rfq, message_form=form, status=400)
            try:
                message_post(rfq=rfq, seller=self.seller, user=request.user, body=form.cleaned_data["body"])
            except ValidationError as error:
                form.add_error(None, error)
                return self.render(rfq, message_form=form, status=400)
        return redirect("quotes-dashboard:rfq-detail", pk=pk)

    def render(self, rfq, quote_form=None, message_form=None, status=200):
        live = live_quote_of_seller(rfq=rfq, seller=self.seller)
        if quote_form is None:
            base = live or rfq
            initial = {
                "quantity": base.quantity,
                "unit_price": getattr(live, "unit_price", None) or rfq.target_unit_price,
                "lead_time_days": getattr(live, "lead_time_days", None),
                "valid_until": getattr(live, "valid_until", None)
                or max(rfq.quotes_due + datetime.timedelta(days=14), timezone.localdate()),
                "stockrecord": getattr(live, "stockrecord", None),
                "unit_weight_grams": getattr(live, "unit_weight_grams", None),
                "note": getattr(live, "note", ""),
            }
            quote_form = QuoteForm(seller=self.seller, initial=initial)
        context = {
            "seller": self.seller,
            "rfq": rfq,
            "live_quote": live,
            "can_withdraw": live is not None and live.status == QuoteStatus.SUBMITTED,
            "versions": quotes_of_seller(rfq=rfq, seller=self.seller),
            "messages_": thread(rfq=rfq, seller=self.seller),
            "events": events_of(rfq=rfq, seller=self.seller),
            "quote_form": quote_form,
            "message_form": message_form or MessageForm(),
        }
        return render(self.request, self.template_name, context, status=status)

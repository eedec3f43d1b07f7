"""The customer's bank transfer page: what to pay, where, by when, and the proof upload."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from bank_transfers.forms import ProofUploadForm
from bank_transfers.selectors import transfer_for_visitor
from bank_transfers.services import BankTransferError, submit_proof


class TransferDetailView(View):
    template_name = "bank_transfers/transfer_detail.html"

    def get(self, request, order_number):
        return self.render(self.get_transfer(order_number), ProofUploadForm())

    def post(self, request, order_number):
        transfer = self.get_transfer(order_number)
        form = ProofUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                submit_proof(transfer=transfer, file=form.cleaned_data["proof"], user=request.user)
            except ValidationError as error:
                form.add_error("proof", error)
            except BankTransferError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Thank you. We will check your transfer and confirm your order soon."))
                return redirect("bank_transfers:detail", order_number=transfer.order.number)
        transfer.refresh_from_db()
        return self.render(transfer, form, status=400)

    def get_transfer(self, order_number):
        transfer = transfer_for_visitor(request=self.request, order_number=order_number)
        if transfer is None:
            raise Http404
        return transfer

    def render(self, transfer, form, status=200):
        context = {
            "transfer": transfer,
            "order": transfer.order,
            "form": form,
            "events": transfer.events.all(),
        }
        return render(self.request, self.template_name, context, status=status)

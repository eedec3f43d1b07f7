"""Finance's review of bank transfers: the queue of proofs, confirm or reject, the proof file."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from bank_transfers.forms import RejectProofForm
from bank_transfers.models import BankTransferStatus
from bank_transfers.selectors import transfer_for_review, transfers_for_review
from bank_transfers.services import PROOF_EXTENSIONS, BankTransferError, confirm_transfer, reject_proof


class ReviewerRequiredMixin(PermissionRequiredMixin):
    permission_required = "bank_transfers.review_transfer"


class TransferQueueView(ReviewerRequiredMixin, ListView):
    template_name = "bank_transfers/dashboard/transfer_list.html"
    context_object_name = "transfers"
    paginate_by = 50
    QUEUES = {
        "proof_uploaded": (gettext_lazy("Proofs to review"), [BankTransferStatus.PROOF_UPLOADED]),
        "awaiting_transfer": (gettext_lazy("Awaiting transfer"), [BankTransferStatus.AWAITING_TRANSFER]),
        "confirmed": (gettext_lazy("Confirmed"), [BankTransferStatus.CONFIRMED]),
        "expired": (gettext_lazy("Expired"), [BankTransferStatus.EXPIRED]),
    }

    def get_queryset(self):
        self.queue = self.request.GET.get("queue", "proof_uploaded")
        if self.queue not in self.QUEUES:
            self.queue = "proof_uploaded"
        return transfers_for_review(statuses=self.QUEUES[self.queue][1], query=self.request.GET.get("q", ""))

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "queue": self.queue,
            "queues": [(key, label) for key, (label, _statuses) in self.QUEUES.items()],
            "query": self.request.GET.get("q", ""),
        }


class TransferReviewView(ReviewerRequiredMixin, View):
    template_name = "bank_transfers/dashboard/transfer_review.html"

    def get(self, request, pk):
        return self.render(self.get_transfer(pk), RejectProofForm())

    def post(self, request, pk):
        transfer = self.get_transfer(pk)
        action = request.POST.get("action")
        reject_form = RejectProofForm()
        try:
            if action == "confirm":
                confirm_transfer(transfer=transfer, confirmed_by=request.user)
                messages.success(
                    request, _("Payment for order %(number)s is confirmed.") % {"number": transfer.order.number}
                )
                return redirect("bank_transfers:dashboard-list")
            if action == "reject":
                reject_form = RejectProofForm(request.POST)
                if reject_form.is_valid():
                    reject_proof(transfer=transfer, rejected_by=request.user, reason=reject_form.cleaned_data["reason"])
                    messages.success(
                        request,
                        _("The proof for order %(number)s was rejected; the customer has been told.")
                        % {"number": transfer.order.number},
                    )
                    return redirect("bank_transfers:dashboard-list")
            else:
                messages.error(request, _("Unknown action."))
        except (BankTransferError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("bank_transfers:dashboard-detail", pk=transfer.pk)
        return self.render(transfer, reject_form, status=400)

    def get_transfer(self, pk):
        transfer = transfer_for_review(pk=pk)
        if transfer is None:
            raise Http404
        return transfer

    def render(self, transfer, reject_form, status=200):
        context = {
            "transfer": transfer,
            "order": transfer.order,
            "reject_form": reject_form,
            "can_confirm": transfer.is_open,
            "can_reject": transfer.status == BankTransferStatus.PROOF_UPLOADED,
        }
        return render(self.request, self.template_name, context, status=status)


class ProofDownloadView(ReviewerRequiredMixin, View):
    """Proofs live in private storage; only reviewers get them, and only through this view."""

    def get(self, request, pk):
        transfer = transfer_for_review(pk=pk)
        if transfer is None or not transfer.proof:
            raise Http404
        response = FileResponse(transfer.proof.open("rb"), content_type=transfer.proof_content_type or None)
        response["X-Content-Type-Options"] = "nosniff"
        extension = PROOF_EXTENSIONS.get(transfer.proof_content_type, "")
        response["Content-Disposition"] = f'inline; filename="proof-{transfer.order.number}{extension}"'
        return response

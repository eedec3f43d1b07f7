"""Finance staff's payout pages, and each pesantren's own ledger. Views stay thin: services do the work."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from core.money import rupiah_int
from payouts.dashboard.forms import PayoutFailedForm, PayoutPaidForm
from payouts.disbursement import spreadsheet_safe
from payouts.models import Payout, PayoutBatch, PayoutStatus
from payouts.selectors import (
    balances_by_seller,
    ledger_for_export,
    ledger_for_seller,
    payable_balance,
    payout_batches,
    payouts_for_batch,
    payouts_for_finance,
    payouts_for_seller,
    seller_balance,
)
from payouts.services import (
    PayoutTransitionNotAllowed,
    batch_export_bank_file,
    batch_mark_paid,
    create_weekly_payouts,
    iso_week,
    payout_mark_failed,
    payout_mark_paid,
    payout_minimum,
)
from sellers.access import PesantrenStaffRequiredMixin


class FinanceRequiredMixin(PermissionRequiredMixin):
    permission_required = "payouts.manage_payouts"


class BatchListView(FinanceRequiredMixin, ListView):
    template_name = "payouts/dashboard/batch_list.html"
    context_object_name = "batches"
    paginate_by = 25

    def get_queryset(self):
        return payout_batches()

    def get_context_data(self, **kwargs):
        week = iso_week(timezone.localdate())
        return {
            **super().get_context_data(**kwargs),
            "current_week": week,
            "current_week_exists": PayoutBatch.objects.filter(week=week).exists(),
            "minimum": payout_minimum(),
        }


class BatchCreateView(FinanceRequiredMixin, View):
    def post(self, request):
        run = create_weekly_payouts(actor=request.user)
        if run.created:
            messages.success(
                request,
                _("Batch %(week)s created with %(count)s payouts.")
                % {"week": run.batch.week, "count": len(run.payouts)},
            )
        else:
            messages.info(request, _("This week's batch %(week)s already exists.") % {"week": run.batch.week})
        if run.skipped:
            messages.warning(
                request,
                _("%(count)s pesantren were skipped because their bank details are incomplete.")
                % {"count": len(run.skipped)},
            )
        return redirect("payouts-dashboard:batch-detail", pk=run.batch.pk)


class BatchDetailView(FinanceRequiredMixin, View):
    template_name = "payouts/dashboard/batch_detail.html"

    def get(self, request, pk):
        batch = get_object_or_404(payout_batches(), pk=pk)
        return render(
            request,
            self.template_name,
            {
                "batch": batch,
                "payouts": payouts_for_batch(batch=batch),
                "paid_form": PayoutPaidForm(),
                "failed_form": PayoutFailedForm(),
            },
        )


class BatchExportView(FinanceRequiredMixin, View):
    """POST because downloading marks the pending bank-transfer payouts as exported."""

    def post(self, request, pk):
        batch = get_object_or_404(PayoutBatch, pk=pk)
        export = batch_export_bank_file(batch=batch, actor=request.user)
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response


class BatchMarkPaidView(FinanceRequiredMixin, View):
    def post(self, request, pk):
        batch = get_object_or_404(PayoutBatch, pk=pk)
        form = PayoutPaidForm(request.POST)
        reference = form.cleaned_data["reference"] if form.is_valid() else ""
        payouts = batch_mark_paid(batch=batch, actor=request.user, reference=reference)
        messages.success(request, _("%(count)s payouts marked paid.") % {"count": len(payouts)})
        return redirect("payouts-dashboard:batch-detail", pk=batch.pk)


class PayoutListView(FinanceRequiredMixin, ListView):
    template_name = "payouts/dashboard/payout_list.html"
    context_object_name = "payouts"
    paginate_by = 50

    def get_queryset(self):
        self.status = self.request.GET.get("status", "")
        if self.status not in PayoutStatus.values:
            self.status = ""
        return payouts_for_finance(status=self.status)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "status": self.status, "statuses": PayoutStatus.choices}


class _PayoutActionView(FinanceRequiredMixin, View):
    form_class = None

    def post(self, request, pk):
        payout = get_object_or_404(Payout, pk=pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        else:
            try:
                self.act(payout, form.cleaned_data)
            except PayoutTransitionNotAllowed as error:
                messages.error(request, str(error))
        if payout.batch_id:
            return redirect("payouts-dashboard:batch-detail", pk=payout.batch_id)
        return redirect("payouts-dashboard:payout-list")


class PayoutMarkPaidView(_PayoutActionView):
    form_class = PayoutPaidForm

    def act(self, payout, cleaned):
        payout_mark_paid(payout=payout, actor=self.request.user, reference=cleaned["reference"])
        messages.success(self.request, _("Payout %(id)s marked paid.") % {"id": payout.pk})


class PayoutMarkFailedView(_PayoutActionView):
    form_class = PayoutFailedForm

    def act(self, payout, cleaned):
        payout_mark_failed(payout=payout, actor=self.request.user, reason=cleaned["reason"])
        messages.success(
            self.request, _("Payout %(id)s marked failed; its amount is payable again.") % {"id": payout.pk}
        )


class BalanceListView(FinanceRequiredMixin, ListView):
    template_name = "payouts/dashboard/balance_list.html"
    context_object_name = "sellers"
    paginate_by = 50

    def get_queryset(self):
        return balances_by_seller()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "minimum": payout_minimum()}


class SellerScopedMixin(PesantrenStaffRequiredMixin):
    """The pesantren in the URL, only if it is the user's own; anyone else gets 404."""

    def get_seller(self):
        if self.seller.pk != self.kwargs["seller_pk"]:
            raise Http404
        return self.seller


class MyLedgerRedirectView(PesantrenStaffRequiredMixin, View):
    def get(self, request):
        return redirect("payouts-dashboard:seller-ledger", seller_pk=self.seller.pk)


class SellerLedgerView(SellerScopedMixin, ListView):
    template_name = "payouts/dashboard/seller_ledger.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        self.seller = self.get_seller()
        return ledger_for_seller(seller=self.seller)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "seller": self.seller,
            "balance": seller_balance(seller=self.seller),
            "payable": payable_balance(seller=self.seller),
            "payouts": payouts_for_seller(seller=self.seller)[:20],
            "minimum": payout_minimum(),
        }


class SellerLedgerExportView(SellerScopedMixin, View):
    def get(self, request, seller_pk):
        seller = self.get_seller()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_("Date"), _("Kind"), _("Description"), _("Order"), _("Amount (IDR)"), _("Balance (IDR)")])
        for entry in ledger_for_export(seller=seller):
            writer.writerow(
                [
                    timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M"),
                    entry.get_kind_display(),
                    spreadsheet_safe(entry.description),
                    entry.seller_order.number if entry.seller_order_id else "",
                    rupiah_int(entry.amount),
                    rupiah_int(entry.running_balance),
                ]
            )
        response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ledger-{seller.slug}.csv"'
        return response

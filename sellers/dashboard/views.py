"""The programme office's review of pesantren: application queue, decisions, suspension."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from sellers.forms import ReviewDecisionForm, SuspensionForm
from sellers.models import SellerDocument, SellerStatus
from sellers.selectors import seller_for_review, sellers_for_review
from sellers.services import (
    SellerTransitionError,
    seller_approve,
    seller_reinstate,
    seller_reject,
    seller_request_changes,
    seller_suspend,
)


class ReviewerRequiredMixin(PermissionRequiredMixin):
    permission_required = "sellers.review_seller"


class ApplicationListView(ReviewerRequiredMixin, ListView):
    template_name = "sellers/dashboard/application_list.html"
    context_object_name = "sellers"
    paginate_by = 50
    QUEUES = {
        "pending": [SellerStatus.APPLIED],
        "changes_requested": [SellerStatus.CHANGES_REQUESTED],
        "rejected": [SellerStatus.REJECTED],
    }

    def get_queryset(self):
        self.queue = self.request.GET.get("queue", "pending")
        if self.queue not in self.QUEUES:
            self.queue = "pending"
        return sellers_for_review(statuses=self.QUEUES[self.queue], query=self.request.GET.get("q", "").strip())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "queue": self.queue, "query": self.request.GET.get("q", "")}


class SellerListView(ReviewerRequiredMixin, ListView):
    template_name = "sellers/dashboard/seller_list.html"
    context_object_name = "sellers"
    paginate_by = 50

    def get_queryset(self):
        self.status = self.request.GET.get("status", "")
        statuses = [self.status] if self.status in SellerStatus.values else None
        return sellers_for_review(statuses=statuses, query=self.request.GET.get("q", "").strip())

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "status": self.status,
            "statuses": SellerStatus.choices,
            "query": self.request.GET.get("q", ""),
        }


class SellerReviewView(ReviewerRequiredMixin, View):
    template_name = "sellers/dashboard/seller_review.html"

    def get(self, request, pk):
        return self.render(self.get_seller(pk), ReviewDecisionForm(), SuspensionForm())

    def post(self, request, pk):
        seller = self.get_seller(pk)
        action = request.POST.get("action")
        decision_form, suspension_form = ReviewDecisionForm(), SuspensionForm()
        try:
            if action == "decide":
                decision_form = ReviewDecisionForm(request.POST)
                if decision_form.is_valid():
                    self.decide(seller, decision_form.cleaned_data)
                    return redirect("sellers-dashboard:seller-review", pk=seller.pk)
            elif action == "suspend":
                suspension_form = SuspensionForm(request.POST)
                if suspension_form.is_valid():
                    seller_suspend(
                        seller=seller, suspended_by=request.user, reason=suspension_form.cleaned_data["reason"]
                    )
                    messages.success(request, _("%(name)s is suspended; its storefront is hidden.") % {"name": seller})
                    return redirect("sellers-dashboard:seller-review", pk=seller.pk)
            elif action == "reinstate":
                seller_reinstate(seller=seller, reinstated_by=request.user)
                messages.success(request, _("%(name)s is live again.") % {"name": seller})
                return redirect("sellers-dashboard:seller-review", pk=seller.pk)
            else:
                messages.error(request, _("Unknown action."))
        except SellerTransitionError as error:
            messages.error(request, str(error))
            return redirect("sellers-dashboard:seller-review", pk=seller.pk)
        return self.render(seller, decision_form, suspension_form, status=400)

    def decide(self, seller, cleaned):
        decision, reason, user = cleaned["decision"], cleaned["reason"].strip(), self.request.user
        if decision == ReviewDecisionForm.APPROVE:
            seller_approve(seller=seller, approved_by=user)
            messages.success(self.request, _("%(name)s is verified and its storefront is live.") % {"name": seller})
        elif decision == ReviewDecisionForm.REJECT:
            seller_reject(seller=seller, rejected_by=user, reason=reason)
            messages.success(self.request, _("The application of %(name)s was rejected.") % {"name": seller})
        else:
            seller_request_changes(seller=seller, requested_by=user, reason=reason)
            messages.success(self.request, _("%(name)s was asked to correct the application.") % {"name": seller})

    def get_seller(self, pk):
        seller = seller_for_review(pk=pk)
        if seller is None:
            raise Http404
        return seller

    def render(self, seller, decision_form, suspension_form, status=200):
        context = {
            "seller": seller,
            "decision_form": decision_form,
            "suspension_form": suspension_form,
            "can_decide": seller.status == SellerStatus.APPLIED,
            "can_suspend": seller.status == SellerStatus.VERIFIED,
            "can_reinstate": seller.status == SellerStatus.SUSPENDED,
        }
        return render(self.request, self.template_name, context, status=status)


class DocumentDownloadView(ReviewerRequiredMixin, View):
    def get(self, request, pk):
        document = get_object_or_404(SellerDocument, pk=pk)
        return FileResponse(document.file.open("rb"), content_type=document.content_type)

"""Reviews in the dashboard: a pesantren answers reviews of its products; programme staff moderate."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from ratings.forms import ModerationFilterForm, ModerationForm, ReplyForm
from ratings.models import ReviewStatus
from ratings.selectors import review_for_moderation, review_for_seller, reviews_for_moderation, reviews_for_seller
from ratings.services import ReviewError, review_hide, review_reply, review_unhide
from sellers.access import PesantrenStaffRequiredMixin


class SellerReviewListView(PesantrenStaffRequiredMixin, ListView):
    template_name = "ratings/dashboard/seller_review_list.html"
    context_object_name = "reviews"
    paginate_by = 30

    def get_queryset(self):
        self.unanswered = self.request.GET.get("unanswered") == "1"
        return reviews_for_seller(seller=self.seller, unanswered_only=self.unanswered)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "seller": self.seller,
            "unanswered": self.unanswered,
            "reply_form": ReplyForm(),
        }


class ReplyView(PesantrenStaffRequiredMixin, View):
    template_name = "ratings/dashboard/reply.html"

    def get_review(self, pk):
        # Keyed on the user's own pesantren: another pesantren's review is a 404.
        review = review_for_seller(seller=self.seller, pk=pk)
        if review is None:
            raise Http404
        return review

    def get(self, request, pk):
        return self.render(self.get_review(pk), ReplyForm())

    def post(self, request, pk):
        review = self.get_review(pk)
        form = ReplyForm(request.POST)
        if not form.is_valid():
            return self.render(review, form, status=400)
        try:
            review_reply(review=review, seller=self.seller, author=request.user, body=form.cleaned_data["body"])
        except ReviewError as error:
            form.add_error(None, str(error))
            return self.render(review, form, status=400)
        messages.success(request, _("Your reply has been published."))
        return redirect("ratings-dashboard:seller-review-list")

    def render(self, review, form, status=200):
        context = {"review": review, "form": form, "seller": self.seller}
        return render(self.request, self.template_name, context, status=status)


class ModeratorRequiredMixin(PermissionRequiredMixin):
    permission_required = "ratings.moderate_review"


class ModerationListView(ModeratorRequiredMixin, ListView):
    template_name = "ratings/dashboard/moderation_list.html"
    context_object_name = "reviews"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = ModerationFilterForm(self.request.GET or None)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return reviews_for_moderation(status=data.get("status", ""), query=data.get("q", "").strip())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "filter_form": self.filter_form}


class ModerationDetailView(ModeratorRequiredMixin, View):
    template_name = "ratings/dashboard/moderation_detail.html"

    def get_review(self, pk):
        review = review_for_moderation(pk=pk)
        if review is None:
            raise Http404
        return review

    def get(self, request, pk):
        return self.render(self.get_review(pk), ModerationForm())

    def post(self, request, pk):
        review = self.get_review(pk)
        form = ModerationForm(request.POST)
        action = request.POST.get("action")
        if action not in ("hide", "unhide"):
            form.add_error(None, _("Choose to hide or to publish the review."))
        if not form.is_valid():
            return self.render(review, form, status=400)
        service = review_hide if action == "hide" else review_unhide
        try:
            review = service(review=review, actor=request.user, reason=form.cleaned_data["reason"])
        except ReviewError as error:
            form.add_error(None, str(error))
            return self.render(review, form, status=400)
        if review.status == ReviewStatus.HIDDEN:
            messages.success(request, _("The review is hidden from the shop."))
        else:
            messages.success(request, _("The review is published again."))
        return redirect("ratings-dashboard:moderation-detail", pk=review.pk)

    def render(self, review, form, status=200):
        return render(self.request, self.template_name, {"review": review, "form": form}, status=status)

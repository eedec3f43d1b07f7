"""Customers' review pages: writing a review of a delivered line, and all reviews of a product or pesantren."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from oscar.core.loading import get_model

from core.ratelimit import rate_limit
from ratings.forms import ReviewForm
from ratings.selectors import (
    line_for_author,
    product_rating_summary,
    published_reviews_for_product,
    published_reviews_for_seller,
    seller_rating_summary,
)
from ratings.services import ReviewError, review_check_allowed, review_create
from sellers.selectors import seller_for_product, seller_for_storefront

Product = get_model("catalogue", "Product")


@method_decorator(rate_limit("review"), name="post")
class WriteReviewView(LoginRequiredMixin, View):
    template_name = "ratings/review_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # Another customer's line is simply not found.
            self.line = line_for_author(user=request.user, line_id=kwargs["line_id"])
            if self.line is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def order_url(self) -> str:
        return reverse("customer:order", kwargs={"order_number": self.line.order.number})

    def get(self, request, line_id):
        try:
            review_check_allowed(line=self.line, author=request.user)
        except ReviewError as error:
            messages.error(request, str(error))
            return redirect(self.order_url())
        return self.render(ReviewForm())

    def post(self, request, line_id):
        form = ReviewForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            review_create(line=self.line, author=request.user, **form.cleaned_data)
        except ReviewError as error:
            messages.error(request, str(error))
            return redirect(self.order_url())
        messages.success(request, _("Thank you! Your review has been published."))
        return redirect(self.order_url())

    def render(self, form, status=200):
        context = {"form": form, "line": self.line, "order": self.line.order, "seller": self.line.partner.seller}
        return render(self.request, self.template_name, context, status=status)


class ProductReviewListView(ListView):
    template_name = "ratings/product_reviews.html"
    context_object_name = "reviews"
    paginate_by = 20

    def get_queryset(self):
        self.product = (
            Product.objects.filter(pk=self.kwargs["pk"], is_public=True)
            .prefetch_related("stockrecords__partner__seller", "children__stockrecords__partner__seller")
            .first()
        )
        self.seller = seller_for_product(self.product) if self.product else None
        if self.seller is None or not self.seller.is_live:
            raise Http404
        return published_reviews_for_product(product=self.product)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "product": self.product,
            "seller": self.seller,
            "summary": product_rating_summary(product=self.product),
        }


class SellerReviewListView(ListView):
    template_name = "ratings/seller_reviews.html"
    context_object_name = "reviews"
    paginate_by = 20

    def get_queryset(self):
        self.seller = seller_for_storefront(slug=self.kwargs["slug"])
        if self.seller is None:
            raise Http404
        return published_reviews_for_seller(seller=self.seller)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "seller": self.seller,
            "summary": seller_rating_summary(seller=self.seller),
        }

"""Oscar's catalogue dashboard, scoped through dashboard.selectors for pesantren users.

A pesantren user reaches only its own products, stock records, images and stock alerts; anything
else is a 404. It may create variants of its own products, which stock Oscar refuses to sellers.
"""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from oscar.apps.dashboard.catalogue import views as oscar_views
from oscar.apps.dashboard.catalogue.views import *  # noqa: F403
from oscar.core.loading import get_model

from dashboard.selectors import (
    is_platform_staff,
    product_for_user,
    products_for_user,
    stock_alerts_for_user,
)
from sellers.access import seller_for_user

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")


class ProductListView(oscar_views.ProductListView):
    def filter_queryset(self, queryset):
        return products_for_user(user=self.request.user, queryset=queryset)


class ProductCreateUpdateView(oscar_views.ProductCreateUpdateView):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.formsets = dict(self.formsets)

    def dispatch(self, request, *args, **kwargs):
        if not is_platform_staff(request.user):
            if seller_for_user(user=request.user) is None:
                raise Http404
            # Recommending other products is a platform merchandising tool, not the pesantren's:
            # its product picker would search every pesantren's catalogue.
            self.formsets.pop("recommended_formset", None)
        return super().dispatch(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        return products_for_user(user=self.request.user, queryset=queryset)

    def post(self, request, *args, **kwargs):
        # Oscar saves a new product before validating its formsets, then the stock records, images
        # and attributes one by one: all of it or nothing (requests are not atomic here).
        with transaction.atomic():
            return super().post(request, *args, **kwargs)

    def get_object(self, queryset=None):
        if "parent_pk" in self.kwargs and not is_platform_staff(self.request.user):
            # The parent must be the pesantren's own product; another's is a 404 before anything else.
            if product_for_user(user=self.request.user, pk=self.kwargs["parent_pk"]) is None:
                raise Http404
        if "pk" not in self.kwargs and "parent_pk" not in self.kwargs:
            get_object_or_404(ProductClass, slug=self.kwargs.get("product_class_slug"))
        return super().get_object(queryset)

    def check_objects_or_redirect(self):
        if self.creating and self.parent is not None and self._parent_only_has_own_stock():
            # A pesantren turns its own standalone product into one with variants: the variants
            # carry price and stock from now on, so the parent's own record goes when the first
            # variant is saved (handle_adding_child).
            if self.parent.is_child:
                messages.error(self.request, _("The specified parent product is a child product."))
                return redirect("dashboard:catalogue-product-list")
            return None
        return super().check_objects_or_redirect()

    def _parent_only_has_own_stock(self) -> bool:
        seller = None if is_platform_staff(self.request.user) else seller_for_user(user=self.request.user)
        if seller is None or not self.parent.has_stockrecords:
            return False
        return not self.parent.stockrecords.exclude(partner_id=seller.partner_id).exists()

    def handle_adding_child(self, parent):
        if parent is not None and not is_platform_staff(self.request.user):
            seller = seller_for_user(user=self.request.user)
            StockRecord.objects.filter(product=parent, partner_id=seller.partner_id).delete()
        super().handle_adding_child(parent)


class ProductDeleteView(oscar_views.ProductDeleteView):
    def filter_queryset(self, queryset):
        return products_for_user(user=self.request.user, queryset=queryset)


class ProductBulkActionConfirmView(oscar_views.ProductBulkActionConfirmView):
    pass


class ProductLookupView(oscar_views.ProductLookupView):
    def get_queryset(self):
        return products_for_user(user=self.request.user, queryset=super().get_queryset())

    def get_args(self):
        # Oscar reads page and page_limit with a bare int(): "NaN" was a 500. Out of range, the first page.
        initial, query = self.request.GET.get("initial"), self.request.GET.get("q")
        # Oscar looks the initial selection up as comma-separated ids.
        if initial and not all(part.isdigit() for part in initial.split(",")):
            initial = None
        return (
            initial,
            query,
            _whole(self.request.GET.get("page"), 1, 1, 10_000),
            _whole(self.request.GET.get("page_limit"), 20, 1, 100),
        )


def _whole(raw, default: int, smallest: int, largest: int) -> int:
    return int(raw) if raw and raw.isdigit() and smallest <= int(raw) <= largest else default


class StockAlertListView(oscar_views.StockAlertListView):
    def get_queryset(self):
        self.form = oscar_views.StockAlertSearchForm(self.request.GET or None)
        status = ""
        if "status" in self.request.GET and self.form.is_valid():
            status = self.form.cleaned_data["status"]
            self.description = _('Alerts with status "%s"') % status
        else:
            self.description = _("All alerts")
        return stock_alerts_for_user(user=self.request.user, status=status)

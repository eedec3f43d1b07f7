"""Oscar's catalogue dashboard, scoped through dashboard.selectors for pesantren users.

A pesantren user reaches only its own products, stock records, images and stock alerts; anything
else is a 404. It may create variants of its own products, which stock Oscar refuses to sellers.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from oscar.apps.dashboard.catalogue import views as oscar_views
from oscar.apps.dashboard.catalogue.views import *  # noqa: F403
from oscar.core.loading import get_model

from dashboard.catalogue.forms import SellerProductForm, variant_formset
from dashboard.catalogue.products import (
    PHOTO_MAX_COUNT,
    VARIANT_MAX_COUNT,
    own_stockrecord,
    own_variants,
    photo_count_after,
    seller_product_save,
)
from dashboard.selectors import (
    PRODUCT_FILTERS,
    is_platform_staff,
    low_stock_records_for_seller,
    product_for_user,
    products_for_user,
    seller_product_counts,
    seller_products,
    stock_alerts_for_user,
)
from sellers.access import PesantrenStaffRequiredMixin, seller_for_user

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")


class ProductListView(oscar_views.ProductListView):
    """Platform staff get Oscar's table; a pesantren its own products as cards in the seller centre."""

    def get(self, request, *args, **kwargs):
        if is_platform_staff(request.user):
            return super().get(request, *args, **kwargs)
        seller = seller_for_user(user=request.user)
        if seller is None:
            raise Http404
        query = request.GET.get("q", "")[:100]
        status = request.GET.get("status", "")
        status = status if status in PRODUCT_FILTERS else ""
        page = Paginator(seller_products(seller=seller, query=query, status=status), 20).get_page(
            request.GET.get("page")
        )
        context = {
            "seller": seller,
            "nav": "products",
            "page_obj": page,
            "products": page.object_list,
            "query": query,
            "status": status,
            "counts": seller_product_counts(seller=seller),
            "filters": [
                ("", _("All")),
                ("habis", _("Out of stock")),
                ("menipis", _("Low on stock")),
                ("tersembunyi", _("Hidden")),
            ],
        }
        return render(request, "sellercentre/product_list.html", context)

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

    def get_template_names(self):
        if is_platform_staff(self.request.user):
            return super().get_template_names()
        return ["sellercentre/product_delete.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not is_platform_staff(self.request.user):
            context.update(seller=seller_for_user(user=self.request.user), nav="products")
        return context


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
    """Oscar's stock alerts; a pesantren sees its own, under its products low on or out of stock now."""

    def get_template_names(self):
        if is_platform_staff(self.request.user):
            return super().get_template_names()
        return ["sellercentre/stock.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        seller = None if is_platform_staff(self.request.user) else seller_for_user(user=self.request.user)
        if seller is not None:
            context.update(
                seller=seller,
                nav="stock",
                low_stock=list(low_stock_records_for_seller(seller=seller)[:50]),
                out_of_stock=list(seller_products(seller=seller, status="habis").prefetch_related(None)[:50]),
                status_filter=self.request.GET.get("status", ""),
            )
        return context

    def get_queryset(self):
        self.form = oscar_views.StockAlertSearchForm(self.request.GET or None)
        status = ""
        if "status" in self.request.GET and self.form.is_valid():
            status = self.form.cleaned_data["status"]
            self.description = _('Alerts with status "%s"') % status
        else:
            self.description = _("All alerts")
        return stock_alerts_for_user(user=self.request.user, status=status)


# The seller centre's own catalogue pages for pesantren users (pusat penjual).


class SellerProductFormView(PesantrenStaffRequiredMixin, View):
    """Adding (no pk) or editing one of the pesantren's products, its variants and photos included.

    Another pesantren's product, or one that does not exist, is a 404; a variant's pk leads to its
    product's form.
    """

    template_name = "sellercentre/product_form.html"

    def get_product(self):
        if "pk" not in self.kwargs:
            return None
        product = product_for_user(user=self.request.user, pk=self.kwargs["pk"])
        if product is None:
            raise Http404
        return product

    def get(self, request, pk=None):
        product = self.get_product()
        if product is not None and product.is_child:
            return redirect("dashboard:seller-product-edit", pk=product.parent_id)
        record = own_stockrecord(seller=self.seller, product=product)
        variants = own_variants(seller=self.seller, product=product)
        formset = variant_formset(variants=variants)
        form = SellerProductForm(instance=product, seller=self.seller, stockrecord=record, variants=formset)
        return self.render(form, formset, product, record)

    def post(self, request, pk=None):
        product = self.get_product()
        if product is not None and product.is_child:
            return redirect("dashboard:seller-product-edit", pk=product.parent_id)
        record = own_stockrecord(seller=self.seller, product=product)
        formset = variant_formset(request.POST, variants=own_variants(seller=self.seller, product=product))
        form = SellerProductForm(
            request.POST,
            request.FILES,
            instance=product or Product(),
            seller=self.seller,
            stockrecord=record,
            variants=formset,
        )
        delete_ids = [int(value) for value in request.POST.getlist("delete_photo") if value.isdigit()]
        order = [token for token in request.POST.get("photo_order", "").split(",") if token][:50]
        if form.is_valid():
            count = photo_count_after(
                product=product, new_count=len(form.cleaned_data["photos"]), delete_photo_ids=delete_ids
            )
            if count > PHOTO_MAX_COUNT:
                form.add_error(
                    "photos",
                    _("A product may have at most %(max)d photos; this would make %(count)d.")
                    % {"max": PHOTO_MAX_COUNT, "count": count},
                )
        if not (form.is_valid() and formset.is_valid()):
            return self.render(form, formset, product, record, status=400)
        saved = seller_product_save(
            seller=self.seller,
            product=product,
            values=form.product_values(),
            category=form.cleaned_data["category"],
            stock=form.stock_values(),
            new_photos=form.cleaned_data["photos"],
            photo_order=order,
            delete_photo_ids=delete_ids,
            variants=formset.variant_values(),
        )
        if product is None:
            messages.success(request, _("%(title)s is added to your shop.") % {"title": saved.title})
        else:
            messages.success(request, _("%(title)s is saved.") % {"title": saved.title})
        return redirect("dashboard:catalogue-product-list")

    def render(self, form, formset, product, record, status=200):
        context = {
            "form": form,
            "variants": formset,
            "has_variants": bool(formset.initial) or (formset.is_bound and form.has_variants()),
            "variant_max_count": VARIANT_MAX_COUNT,
            "product": product,
            "stockrecord": record,
            "photos": list(product.images.all()) if product is not None else [],
            "photo_max_count": PHOTO_MAX_COUNT,
            "seller": self.seller,
            "nav": "products",
        }
        return render(self.request, self.template_name, context, status=status)

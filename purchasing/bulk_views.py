"""Bulk ordering pages: CSV upload and quick-order grid, placing a bulk order, and ordering a past order again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from oscar.core.loading import get_class

from companies.access import VerifiedCompanyMemberMixin
from purchasing.bulk import (
    BulkError,
    BulkOrderInvalid,
    BulkRow,
    bulk_lines_total,
    bulk_lines_validate,
    bulk_order_add_to_basket,
    bulk_order_place,
    bulk_rows_from_lines,
    bulk_rows_read,
    bulk_sku_lookup,
    bulk_template_csv,
    company_order_for_member,
    reorder_add_to_basket,
    reorder_rows,
)
from purchasing.bulk_forms import (
    GRID_ROWS,
    BulkUploadForm,
    quick_order_formset,
    quick_order_formset_with_more_rows,
    quick_order_rows,
)
from purchasing.checkout_forms import PurchaseTermsForm
from purchasing.checkout_views import redirect_after_purchase

ShippingAddressForm = get_class("checkout.forms", "ShippingAddressForm")

# The rows of a checked bulk order between the upload and the "place order" page (by stock record).
SESSION_KEY = "offtakers_bulk_order"


def _added_message(request, lines) -> None:
    count = len(lines)
    messages.success(
        request,
        ngettext("%(count)d product was added to your basket.", "%(count)d products were added to your basket.", count)
        % {"count": count},
    )


class BulkOrderView(VerifiedCompanyMemberMixin, View):
    """Upload a CSV or fill in the grid, then add everything to the basket or go on to place the order."""

    template_name = "purchasing/bulk/order.html"

    def get(self, request):
        try:
            rows = int(request.GET.get("rows", GRID_ROWS))
        except ValueError:
            rows = GRID_ROWS
        return self.render(upload_form=BulkUploadForm(), formset=quick_order_formset(rows=rows))

    def post(self, request):
        action = request.POST.get("action", "")
        if request.POST.get("source") == "csv":
            upload_form = BulkUploadForm(request.POST, request.FILES)
            formset = quick_order_formset()
            if not upload_form.is_valid():
                return self.render(upload_form=upload_form, formset=formset, source="csv", status=400)
            try:
                rows = bulk_rows_read(file=upload_form.cleaned_data["file"])
            except BulkOrderInvalid as invalid:
                return self.render(upload_form=upload_form, formset=formset, invalid=invalid, source="csv", status=400)
        else:
            upload_form = BulkUploadForm()
            if action == "add_rows":
                return self.render(upload_form=upload_form, formset=quick_order_formset_with_more_rows(request.POST))
            formset = quick_order_formset(request.POST)
            if not formset.is_valid():
                return self.render(upload_form=upload_form, formset=formset, source="grid", status=400)
            rows = quick_order_rows(formset)
            if not rows:
                invalid = BulkOrderInvalid([_grid_empty_error()])
                return self.render(upload_form=upload_form, formset=formset, invalid=invalid, source="grid", status=400)
        source = "csv" if request.POST.get("source") == "csv" else "grid"
        try:
            if action == "place":
                lines = bulk_lines_validate(company=self.company, rows=rows)
                request.session[SESSION_KEY] = [_row_to_session(row) for row in bulk_rows_from_lines(lines)]
                return redirect("purchasing:bulk-order-place")
            lines = bulk_order_add_to_basket(company=self.company, basket=request.basket, rows=rows)
        except BulkOrderInvalid as invalid:
            if source == "grid":
                _attach_to_grid(formset, invalid)
            return self.render(upload_form=upload_form, formset=formset, invalid=invalid, source=source, status=400)
        _added_message(request, lines)
        return redirect("purchasing:checkout")

    def render(self, *, upload_form, formset, invalid=None, source="", status=200):
        context = {
            "company": self.company,
            "upload_form": upload_form,
            "formset": formset,
            "invalid": invalid,
            "source": source,
        }
        return render(self.request, self.template_name, context, status=status)


def _grid_empty_error():
    return BulkError(None, "", _("Enter at least one SKU and quantity."))


def _attach_to_grid(formset, invalid: BulkOrderInvalid) -> None:
    """Show each problem beside its field in the grid, too."""
    for error in invalid.errors:
        if error.row is None or not 1 <= error.row <= len(formset.forms):
            continue
        form = formset.forms[error.row - 1]
        field = error.column if error.column in form.fields else None
        form.add_error(field, error.message)


def _row_to_session(row: BulkRow) -> dict:
    return {"row": row.row, "sku": row.sku, "quantity": row.quantity, "id": row.stockrecord_id, "title": row.title}


def _rows_from_session(data) -> list[BulkRow]:
    rows = []
    for item in data or []:
        try:
            rows.append(
                BulkRow(
                    row=int(item["row"]),
                    sku=str(item["sku"]),
                    quantity=str(item["quantity"]),
                    stockrecord_id=int(item["id"]),
                    title=str(item["title"]),
                )
            )
        except (KeyError, TypeError, ValueError):
            return []
    return rows


class BulkOrderPlaceView(VerifiedCompanyMemberMixin, View):
    """The checked bulk order with shipping address, payment terms and PO number: placed as one order."""

    template_name = "purchasing/bulk/place.html"

    def rows(self):
        return _rows_from_session(self.request.session.get(SESSION_KEY))

    def get(self, request):
        rows = self.rows()
        if not rows:
            messages.info(request, _("Upload a CSV or fill in the quick-order grid first."))
            return redirect("purchasing:bulk-order")
        return self.render(rows, ShippingAddressForm(), PurchaseTermsForm(company=self.company))

    def post(self, request):
        rows = self.rows()
        if not rows:
            messages.info(request, _("Upload a CSV or fill in the quick-order grid first."))
            return redirect("purchasing:bulk-order")
        address_form = ShippingAddressForm(request.POST)
        terms_form = PurchaseTermsForm(request.POST, company=self.company)
        address_valid, terms_valid = address_form.is_valid(), terms_form.is_valid()
        if not (address_valid and terms_valid):
            # Without JavaScript, "Update choices" of the regions re-renders with no errors.
            status = 200 if not address_form.errors and not terms_form.errors else 400
            return self.render(rows, address_form, terms_form, status=status)
        try:
            result = bulk_order_place(
                company=self.company,
                user=request.user,
                rows=rows,
                shipping_address=address_form.save(commit=False),
                payment_method=terms_form.cleaned_data["payment_method"],
                po_number=terms_form.cleaned_data["po_number"],
            )
        except BulkOrderInvalid as invalid:
            return self.render(rows, address_form, terms_form, invalid=invalid, status=400)
        except ValidationError as error:
            terms_form.add_error(None, error)
            return self.render(rows, address_form, terms_form, status=400)
        request.session.pop(SESSION_KEY, None)
        return redirect_after_purchase(request, result)

    def render(self, rows, address_form, terms_form, invalid=None, status=200):
        lines = []
        if invalid is None:
            try:
                lines = bulk_lines_validate(company=self.company, rows=rows)
            except BulkOrderInvalid as error:
                invalid = error
                status = 400
        context = {
            "company": self.company,
            "lines": lines,
            "products_total": bulk_lines_total(lines),
            "invalid": invalid,
            "address_form": address_form,
            "form": address_form,
            "terms_form": terms_form,
            "needs_approval_above": None if self.is_approver else self.company.approval_threshold,
        }
        return render(self.request, self.template_name, context, status=status)


class BulkTemplateView(VerifiedCompanyMemberMixin, View):
    def get(self, request):
        response = HttpResponse(bulk_template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="pesanan-massal.csv"'
        return response


class SkuLookupView(VerifiedCompanyMemberMixin, View):
    """JSON for the quick-order grid: the product and the company's price for a typed SKU."""

    def get(self, request):
        try:
            quantity = max(1, int(request.GET.get("quantity") or 1))
        except ValueError:
            quantity = 1
        found = bulk_sku_lookup(
            sku=request.GET.get("sku", "")[:128], pesantren=request.GET.get("pesantren", "")[:140], quantity=quantity
        )
        if not found.found:
            return JsonResponse({"found": False, "message": found.message})
        return JsonResponse(
            {
                "found": True,
                "title": found.title,
                "pesantren": found.pesantren,
                "unit_price": int(found.unit_price),
                "retail_price": int(found.retail_price),
                "moq": found.moq,
                "available": found.available,
                "tiers": [{"min_quantity": minimum, "unit_price": int(price)} for minimum, price in found.tiers],
            }
        )


class ReorderView(VerifiedCompanyMemberMixin, View):
    """Order a past company order again: its products and quantities go to the basket, checked as a bulk order."""

    template_name = "purchasing/bulk/reorder.html"

    def get_company_order(self, order_number):
        company_order = company_order_for_member(user=self.request.user, order_number=order_number)
        if company_order is None:
            raise Http404
        return company_order

    def get(self, request, order_number):
        company_order = self.get_company_order(order_number)
        invalid = None
        try:
            bulk_lines_validate(company=company_order.company, rows=reorder_rows(company_order=company_order))
        except BulkOrderInvalid as error:
            invalid = error
        return self.render(company_order, invalid)

    def post(self, request, order_number):
        company_order = self.get_company_order(order_number)
        only_available = request.POST.get("action") == "available"
        try:
            lines, left_out = reorder_add_to_basket(
                company_order=company_order, basket=request.basket, only_available=only_available
            )
        except BulkOrderInvalid as invalid:
            return self.render(company_order, invalid, status=400)
        _added_message(request, lines)
        if left_out:
            messages.warning(
                request,
                ngettext(
                    "%(count)d product of order %(number)s was left out; see the basket for what was added.",
                    "%(count)d products of order %(number)s were left out; see the basket for what was added.",
                    len(left_out),
                )
                % {"count": len(left_out), "number": company_order.order.number},
            )
        return redirect("purchasing:checkout")

    def render(self, company_order, invalid, status=200):
        rows = reorder_rows(company_order=company_order)
        bad = invalid.bad_rows if invalid else set()
        problems = {}
        for error in invalid.errors if invalid else []:
            problems.setdefault(error.row, []).append(error.message)
        context = {
            "company_order": company_order,
            "order": company_order.order,
            "rows": [{"row": row, "ok": row.row not in bad, "problems": problems.get(row.row, [])} for row in rows],
            "invalid": invalid,
            "available_count": sum(1 for row in rows if row.row not in bad),
        }
        return render(self.request, self.template_name, context, status=status)

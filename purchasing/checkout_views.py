from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from oscar.core.loading import get_class

from companies.access import VerifiedCompanyMemberMixin
from purchasing.checkout_forms import DecisionForm, PurchaseTermsForm
from purchasing.ordering import (
    PurchaseItem,
    order_next_url,
    purchase_next_url,
    purchase_request_approve,
    purchase_request_reject,
    purchase_request_withdraw,
    submit_purchase,
)
from purchasing.selectors import purchase_request_for_member, purchase_requests_for_company

ShippingAddressForm = get_class("checkout.forms", "ShippingAddressForm")


def redirect_after_purchase(request, result):
    """Tell the buyer what became of their purchase and send them on: to pay, to the order, or to the request."""
    if result.needs_approval:
        messages.info(request, _("Your order is over your company's approval threshold and waits for an approver."))
    else:
        messages.success(request, _("Order %(number)s is placed.") % {"number": result.order.number})
    return redirect(purchase_next_url(result))


class BusinessCheckoutView(VerifiedCompanyMemberMixin, View):
    """The basket, priced for the company, placed in one step with address, payment terms and PO number."""

    template_name = "purchasing/checkout.html"

    def get(self, request):
        return self.render(ShippingAddressForm(), PurchaseTermsForm(company=self.company))

    def post(self, request):
        address_form = ShippingAddressForm(request.POST)
        terms_form = PurchaseTermsForm(request.POST, company=self.company)
        basket = request.basket
        if basket.is_empty:
            messages.error(request, _("Your basket is empty."))
            return redirect("basket:summary")
        address_valid, terms_valid = address_form.is_valid(), terms_form.is_valid()
        if not (address_valid and terms_valid):
            status = 200 if not address_form.errors and not terms_form.errors else 400
            return self.render(address_form, terms_form, status=status)
        items = [PurchaseItem(stockrecord=line.stockrecord, quantity=line.quantity) for line in basket.all_lines()]
        try:
            result = submit_purchase(
                company=self.company,
                user=request.user,
                items=items,
                shipping_address=address_form.save(commit=False),
                payment_method=terms_form.cleaned_data["payment_method"],
                po_number=terms_form.cleaned_data["po_number"],
            )
        except ValidationError as error:
            terms_form.add_error(None, error)
            return self.render(address_form, terms_form, status=400)
        basket.flush()
        return redirect_after_purchase(request, result)

    def render(self, address_form, terms_form, status=200):
        basket = self.request.basket
        context = {
            "company": self.company,
            "basket": basket,
            "lines": basket.all_lines(),
            "address_form": address_form,
            "form": address_form,
            "terms_form": terms_form,
            "needs_approval_above": self.company.approval_threshold if not self.is_approver else None,
        }
        return render(self.request, self.template_name, context, status=status)


class ApprovalListView(VerifiedCompanyMemberMixin, View):
    template_name = "purchasing/approval_list.html"

    def get(self, request):
        requests = purchase_requests_for_company(company=self.company)
        context = {
            "company": self.company,
            "is_approver": self.is_approver,
            "purchase_requests": requests,
        }
        return render(request, self.template_name, context)


class ApprovalDetailView(VerifiedCompanyMemberMixin, View):
    template_name = "purchasing/approval_detail.html"

    def get_request(self, pk):
        purchase_request = purchase_request_for_member(company=self.company, pk=pk)
        if purchase_request is None:
            raise Http404
        return purchase_request

    def get(self, request, pk):
        return self.render(self.get_request(pk), DecisionForm())

    def post(self, request, pk):
        purchase_request = self.get_request(pk)
        form = DecisionForm(request.POST)
        form.is_valid()
        action = request.POST.get("action")
        try:
            if action == "approve":
                order = purchase_request_approve(purchase_request=purchase_request, approver=request.user)
                messages.success(request, _("Approved: order %(number)s is placed.") % {"number": order.number})
                return redirect("purchasing:approval-detail", pk=pk)
            if action == "reject":
                purchase_request_reject(
                    purchase_request=purchase_request,
                    approver=request.user,
                    reason=form.cleaned_data.get("reason", ""),
                )
                messages.info(request, _("The request is rejected and the buyer is told why."))
                return redirect("purchasing:approval-detail", pk=pk)
            if action == "withdraw":
                purchase_request_withdraw(purchase_request=purchase_request, user=request.user)
                messages.info(request, _("You withdrew the request."))
                return redirect("purchasing:approval-detail", pk=pk)
        except PermissionDenied as denied:
            form.add_error(None, str(denied) or _("You may not do that."))
            return self.render(purchase_request, form, status=403)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(purchase_request, form, status=400)
        form.add_error(None, _("Choose approve, reject or withdraw."))
        return self.render(purchase_request, form, status=400)

    def render(self, purchase_request, form, status=200):
        order = purchase_request.order
        context = {
            "company": self.company,
            "purchase_request": purchase_request,
            "lines": purchase_request.lines.all(),
            "form": form,
            "is_approver": self.is_approver,
            "is_requester": purchase_request.requested_by_id == self.request.user.pk,
            "order_url": order_next_url(order) if order is not None else "",
        }
        return render(self.request, self.template_name, context, status=status)

"""The dashboard home and the pesantren's own pages: sales overview and storefront profile."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from oscar.apps.dashboard import views as oscar_views
from oscar.apps.dashboard.views import *  # noqa: F403

from core.redirects import is_same_site_url
from dashboard.forms import BankAccountForm, StorefrontProfileForm
from dashboard.sales import orders_by_status, revenue_by_month, revenue_by_week, top_products
from dashboard.selectors import is_platform_staff, low_stock_records_for_seller, stock_alerts_for_user
from dashboard.sellercentre import seller_centre_home
from dashboard.services import seller_profile_update
from sellers.access import PesantrenOwnerRequiredMixin, PesantrenStaffRequiredMixin, seller_for_user
from sellers.models import SellerEventKind
from sellers.services import BANK_FIELDS, mask_account_number, seller_bank_account_change


def seller_overview_context(*, seller, user) -> dict:
    weeks = revenue_by_week(seller=seller)
    months = revenue_by_month(seller=seller)
    statuses = orders_by_status(seller=seller)
    chart_data = {
        "weeks": {"labels": [row["label"] for row in weeks], "values": [float(row["revenue"]) for row in weeks]},
        "months": {"labels": [row["label"] for row in months], "values": [float(row["revenue"]) for row in months]},
        "statuses": {"labels": [str(row["label"]) for row in statuses], "values": [row["count"] for row in statuses]},
    }
    for series in (weeks, months):
        peak = max((row["revenue"] for row in series), default=0) or 1
        for row in series:
            row["percent"] = int(row["revenue"] * 100 / peak)
    return {
        "seller": seller,
        "weekly_revenue": weeks,
        "monthly_revenue": months,
        "top_products": top_products(seller=seller),
        "orders_by_status": statuses,
        "chart_data": json.dumps(chart_data),
        "low_stock": low_stock_records_for_seller(seller=seller)[:10],
        "open_alerts": stock_alerts_for_user(user=user, status="Open")[:10],
    }


class IndexView(oscar_views.IndexView):
    """Platform staff (programme, finance) get Oscar's shop-wide overview; a pesantren gets the home of
    its seller centre (pusat penjual): today's work. Its sales charts are at SellerSalesView.

    Oscar's non-staff overview sums the totals of whole orders, which include other pesantren's
    lines, so it is never shown to a pesantren.
    """

    def get(self, request, *args, **kwargs):
        if is_platform_staff(request.user):
            return super().get(request, *args, **kwargs)
        seller = seller_for_user(user=request.user)
        if seller is None:
            raise Http404
        context = {"seller": seller, "nav": "home", **seller_centre_home(seller=seller)}
        return render(request, "sellercentre/home.html", context)


class SellerSalesView(PesantrenStaffRequiredMixin, View):
    """The pesantren's sales charts: revenue by week and month, top products, orders by status."""

    def get(self, request):
        context = seller_overview_context(seller=self.seller, user=request.user)
        context["is_owner"] = self.is_owner
        return render(request, "oscar/dashboard/seller_overview.html", context)


class StorefrontProfileView(PesantrenStaffRequiredMixin, View):
    """The storefront's face, for all its staff. The payout bank account is not here: see BankAccountView."""

    template_name = "oscar/dashboard/seller_profile.html"

    def get(self, request):
        return self.render(StorefrontProfileForm(instance=self.seller))

    def post(self, request):
        form = StorefrontProfileForm(request.POST, request.FILES, instance=self.seller)
        if form.is_valid():
            seller_profile_update(seller=self.seller, form=form)
            messages.success(request, _("Your storefront profile is saved."))
            return redirect("dashboard:seller-profile")
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {"form": form, "seller": self.seller, "title": _("Storefront profile"), "is_owner": self.is_owner}
        return render(self.request, self.template_name, context, status=status)


class BankAccountView(PesantrenOwnerRequiredMixin, View):
    """The account payouts go to: owners only; every change is recorded and mailed to the owners."""

    template_name = "oscar/dashboard/seller_bank_account.html"

    def get(self, request):
        return self.render(BankAccountForm(initial={field: getattr(self.seller, field) for field in BANK_FIELDS}))

    def post(self, request):
        form = BankAccountForm(request.POST)
        if form.is_valid():
            try:
                event = seller_bank_account_change(seller=self.seller, changed_by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if event is None:
                    messages.info(request, _("The bank account is unchanged."))
                else:
                    messages.success(request, _("The bank account is saved; every owner is told by email."))
                return redirect("dashboard:seller-bank-account")
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {
            "form": form,
            "seller": self.seller,
            "masked_number": mask_account_number(self.seller.bank_account_number),
            "history": self.seller.events.filter(kind=SellerEventKind.BANK_ACCOUNT).select_related("actor")[:20],
            "title": _("Payout bank account"),
        }
        return render(self.request, self.template_name, context, status=status)


class LoginView(oscar_views.LoginView):
    """Oscar's dashboard sign-in, sending the user on only to a same-site address."""

    def get_redirect_url(self):
        # Django's check lets encoded forms such as /%2F%2Fevil.example through; ours does not.
        url = self.request.POST.get(self.redirect_field_name, self.request.GET.get(self.redirect_field_name))
        return url.strip() if is_same_site_url(self.request, url) else ""

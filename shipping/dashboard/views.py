"""The pesantren's own shipping rate table, at /dashboard/ongkir/."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from shipping.dashboard.forms import ShippingRateForm
from shipping.selectors import seller_for_dashboard_user, seller_rate_table
from shipping.services import seller_shipping_rates_update


class ShippingRateView(LoginRequiredMixin, FormView):
    template_name = "shipping/dashboard/rates.html"
    form_class = ShippingRateForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.seller = seller_for_dashboard_user(user=request.user)
            if self.seller is None:
                raise Http404(_("Your account does not belong to a pesantren."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "table": seller_rate_table(seller=self.seller)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "seller": self.seller}

    def form_valid(self, form):
        seller_shipping_rates_update(seller=self.seller, rates=form.cleaned_data["rates"])
        messages.success(self.request, _("Shipping rates saved."))
        return redirect("shipping-dashboard:rates")

"""The pesantren's own shipping rate table, at /dashboard/ongkir/."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from sellers.access import PesantrenStaffRequiredMixin
from shipping.dashboard.forms import ShippingRateForm
from shipping.selectors import seller_rate_table
from shipping.services import seller_shipping_rates_update


class ShippingRateView(PesantrenStaffRequiredMixin, FormView):
    template_name = "shipping/dashboard/rates.html"
    form_class = ShippingRateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "table": seller_rate_table(seller=self.seller)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "seller": self.seller}

    def form_valid(self, form):
        seller_shipping_rates_update(seller=self.seller, rates=form.cleaned_data["rates"])
        messages.success(self.request, _("Shipping rates saved."))
        return redirect("shipping-dashboard:rates")

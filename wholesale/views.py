"""The pesantren's wholesale prices at /dashboard/grosir/: volume tiers and the MOQ of its own stock records."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from sellers.access import PesantrenStaffRequiredMixin
from wholesale.forms import PriceTierFormSet, WholesaleMoqForm
from wholesale.selectors import moq_of, wholesale_stockrecord_for_user, wholesale_stockrecords_for_user
from wholesale.services import price_tiers_set, wholesale_moq_set

TIER_PREFIX = "tiers"


class WholesalePriceListView(PesantrenStaffRequiredMixin, ListView):
    template_name = "wholesale/stockrecord_list.html"
    context_object_name = "stockrecords"
    paginate_by = 25

    def get_queryset(self):
        return wholesale_stockrecords_for_user(user=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "seller": self.seller}


class WholesalePriceEditView(PesantrenStaffRequiredMixin, View):
    template_name = "wholesale/stockrecord_edit.html"

    def _stockrecord(self):
        record = wholesale_stockrecord_for_user(user=self.request.user, pk=self.kwargs["pk"])
        if record is None:
            raise Http404
        return record

    def get(self, request, pk):
        record = self._stockrecord()
        initial = [{"min_quantity": t.min_quantity, "unit_price": t.unit_price} for t in record.price_tiers.all()]
        formset = PriceTierFormSet(prefix=TIER_PREFIX, initial=initial, retail_price=record.price)
        moq_form = WholesaleMoqForm(initial={"moq": moq_of(record)})
        return self._render(record, formset, moq_form)

    def post(self, request, pk):
        record = self._stockrecord()
        formset = PriceTierFormSet(request.POST, prefix=TIER_PREFIX, retail_price=record.price)
        moq_form = WholesaleMoqForm(request.POST)
        # Validate both so every mistake shows at once.
        tiers_valid, moq_valid = formset.is_valid(), moq_form.is_valid()
        if not (tiers_valid and moq_valid):
            return self._render(record, formset, moq_form, status=400)
        try:
            # Tiers and MOQ are one offer: either both change or neither does.
            with transaction.atomic():
                price_tiers_set(stockrecord=record, tiers=formset.tiers)
                wholesale_moq_set(stockrecord=record, moq=moq_form.cleaned_data["moq"])
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages, error_class="nonform")
            return self._render(record, formset, moq_form, status=400)
        messages.success(request, _("Wholesale prices of %(product)s saved.") % {"product": record.product.get_title()})
        return redirect("wholesale:stockrecord-list")

    def _render(self, record, formset, moq_form, status=200):
        context = {"seller": self.seller, "stockrecord": record, "formset": formset, "moq_form": moq_form}
        return render(self.request, self.template_name, context, status=status)

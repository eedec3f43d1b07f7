"""Stock record formset: a pesantren user edits only its own record, whose partner is bound for it."""

from django.core import exceptions
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue import formsets as oscar_formsets
from oscar.apps.dashboard.catalogue.formsets import *  # noqa: F403
from oscar.core.loading import get_model

from dashboard.selectors import is_platform_staff
from sellers.access import seller_for_user

StockRecord = get_model("partner", "StockRecord")


class StockRecordFormSet(oscar_formsets.StockRecordFormSet):
    def __init__(self, product_class, user, *args, **kwargs):
        self.seller = None if is_platform_staff(user) else seller_for_user(user=user)
        if self.seller is not None and "instance" in kwargs:
            records = StockRecord.objects.filter(product=kwargs["instance"], partner_id=self.seller.partner_id)
            kwargs["queryset"] = records if kwargs["instance"] is not None and kwargs["instance"].pk else records.none()
            # One stock record per product and pesantren: offer a blank form only when there is none yet.
            self.extra = 0 if kwargs["instance"] is not None and kwargs["instance"].pk and records.exists() else 1
            self.max_num = 1
        super().__init__(product_class, user, *args, **kwargs)

    def set_initial_data(self):
        if self.seller is None:
            super().set_initial_data()

    def clean(self):
        if self.seller is None:
            return super().clean()
        if any(self.errors) or (self.instance is not None and self.instance.is_parent):
            return
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
        ]
        if not kept:
            raise exceptions.ValidationError(_("Enter the price and stock of this product."))

"""Oscar's product forms with our product fields, and stock records bound to the user's pesantren."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue import forms as oscar_forms
from oscar.apps.dashboard.catalogue.forms import *  # noqa: F403
from oscar.core.loading import get_model

from core.html import SanitisedRichTextFormMixin
from dashboard.selectors import is_platform_staff
from sellers.access import seller_for_user

StockRecord = get_model("partner", "StockRecord")

PRODUCT_EXTRA_FIELDS = [
    "weight_grams",
    "unit",
    "halal_number",
    "halal_expiry",
    "pirt_number",
    "pirt_expiry",
    "bpom_number",
    "bpom_expiry",
]


class CategoryForm(SanitisedRichTextFormMixin, oscar_forms.CategoryForm):
    rich_text_fields = ("description", "long_description")


class ProductForm(SanitisedRichTextFormMixin, oscar_forms.ProductForm):
    rich_text_fields = ("description",)

    class Meta(oscar_forms.ProductForm.Meta):
        fields = [*oscar_forms.ProductForm.Meta.fields, *PRODUCT_EXTRA_FIELDS]
        # <input type="date"> takes only ISO dates; the Indonesian format would show (and save) an empty field.
        widgets = {
            "halal_expiry": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "pirt_expiry": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "bpom_expiry": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def delete_non_child_fields(self):
        super().delete_non_child_fields()
        # A variant inherits its licences and unit from its parent; it keeps its own weight.
        for field_name in PRODUCT_EXTRA_FIELDS:
            if field_name != "weight_grams":
                self.fields.pop(field_name, None)


class StockRecordForm(oscar_forms.StockRecordForm):
    """For a pesantren user the partner is not a choice: the record is bound to its own partner."""

    def __init__(self, product_class, user, *args, **kwargs):
        super().__init__(product_class, user, *args, **kwargs)
        self.seller = None
        if not is_platform_staff(user):
            del self.fields["partner"]
            self.seller = seller_for_user(user=user)
            if self.seller is not None and self.instance.partner_id is None:
                self.instance.partner = self.seller.partner

    def clean_partner_sku(self):
        sku = self.cleaned_data.get("partner_sku")
        if self.seller is not None and sku:
            clash = StockRecord.objects.filter(partner_id=self.seller.partner_id, partner_sku=sku)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("You already use this SKU for another product."))
        return sku

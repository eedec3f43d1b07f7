"""Forms of the pesantren's wholesale price page: volume tiers (a formset) and the minimum order quantity."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.bounds import whole_max
from core.money import format_rupiah
from wholesale.models import PriceTier, WholesaleTerms


class PriceTierForm(forms.Form):
    """One tier row; a row left blank (or ticked for removal) is no tier."""

    min_quantity = forms.IntegerField(
        label=gettext_lazy("From quantity"),
        min_value=2,
        max_value=whole_max(PriceTier, "min_quantity"),
        required=False,
        error_messages={"min_value": gettext_lazy("A tier starts at 2 units or more.")},
    )
    unit_price = forms.IntegerField(
        label=gettext_lazy("Unit price (Rp)"),
        min_value=1,
        max_value=whole_max(PriceTier, "unit_price"),
        required=False,
        error_messages={"min_value": gettext_lazy("Enter a price of at least Rp 1.")},
    )

    def clean(self):
        cleaned = super().clean()
        quantity, price = cleaned.get("min_quantity"), cleaned.get("unit_price")
        if quantity is None and price is not None and "min_quantity" not in self.errors:
            self.add_error("min_quantity", _("Enter the quantity this price starts at."))
        if price is None and quantity is not None and "unit_price" not in self.errors:
            self.add_error("unit_price", _("Enter the unit price for this quantity."))
        return cleaned

    @property
    def tier(self) -> tuple[int, int] | None:
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("DELETE") or data.get("min_quantity") is None or data.get("unit_price") is None:
            return None
        return data["min_quantity"], data["unit_price"]


class BasePriceTierFormSet(forms.BaseFormSet):
    """Checks the tiers together: distinct quantities, and more units never cost more per unit."""

    def __init__(self, *args, retail_price: Decimal | None, **kwargs):
        self.retail_price = retail_price
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        rows = sorted(
            ((form.tier, form) for form in self.forms if form.tier is not None),
            key=lambda row: row[0][0],
        )
        seen = set()
        previous = None
        for (quantity, price), form in rows:
            if quantity in seen:
                form.add_error("min_quantity", _("Each tier needs a different minimum quantity."))
                continue
            seen.add(quantity)
            if self.retail_price is not None and price > self.retail_price:
                form.add_error(
                    "unit_price",
                    _("A tier price must not be higher than the retail price (%(price)s).")
                    % {"price": format_rupiah(self.retail_price)},
                )
            elif previous is not None and price > previous[1]:
                form.add_error(
                    "unit_price",
                    _("A tier price must not be higher than the smaller tier (%(price)s from %(qty)d units).")
                    % {"price": format_rupiah(previous[1]), "qty": previous[0]},
                )
            previous = (quantity, price)

    @property
    def tiers(self) -> list[tuple[int, int]]:
        """(min_quantity, unit_price) of the rows kept, by quantity; call after is_valid()."""
        return sorted(form.tier for form in self.forms if form.tier is not None)


PriceTierFormSet = forms.formset_factory(PriceTierForm, formset=BasePriceTierFormSet, extra=2, can_delete=True)


class WholesaleMoqForm(forms.Form):
    moq = forms.IntegerField(
        label=gettext_lazy("Minimum order quantity for wholesale buyers"),
        min_value=1,
        max_value=whole_max(WholesaleTerms, "moq"),
        initial=1,
        help_text=gettext_lazy("Verified business buyers must order at least this many units. 1 means no minimum."),
        error_messages={
            "min_value": gettext_lazy("The minimum order quantity must be at least 1."),
            "required": gettext_lazy("Enter the minimum order quantity (1 for no minimum)."),
        },
    )

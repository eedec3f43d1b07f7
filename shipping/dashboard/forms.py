from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.money import format_rupiah, parse_rupiah
from shipping.calculator import ShippingZone

MAX_RATE = 10_000_000


class RateField(forms.IntegerField):
    def __init__(self, *, label, placeholder: int, **kwargs):
        super().__init__(
            label=label,
            required=False,
            min_value=0,
            max_value=MAX_RATE,
            error_messages={
                "invalid": _("Enter a whole number of rupiah, e.g. 15000 or 15.000."),
                "min_value": _("The rate cannot be negative."),
                "max_value": _("The rate cannot be more than %(limit)s.") % {"limit": format_rupiah(MAX_RATE)},
            },
            **kwargs,
        )
        self.widget.attrs.update({"placeholder": str(placeholder), "inputmode": "numeric"})

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int):
            return value
        # Django's IntegerField would read "5.000" as 5: here the dot separates thousands.
        amount = parse_rupiah(value)
        if amount is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return amount


class ShippingRateForm(forms.Form):
    """The pesantren's rate table: per zone, the first kilogram and each further kilogram.

    Both blank means "use the platform default", shown as the placeholder.
    """

    def __init__(self, *args, table, **kwargs):
        initial = {}
        for row in table:
            initial[f"{row.zone}_first_kg"] = row.first_kg
            initial[f"{row.zone}_next_kg"] = row.next_kg
        super().__init__(*args, initial={**initial, **kwargs.pop("initial", {})}, **kwargs)
        self.table = table
        for row in table:
            self.fields[f"{row.zone}_first_kg"] = RateField(
                label=_("%(zone)s: first kilogram (Rp)") % {"zone": row.label}, placeholder=row.default_first_kg
            )
            self.fields[f"{row.zone}_next_kg"] = RateField(
                label=_("%(zone)s: each further kilogram (Rp)") % {"zone": row.label}, placeholder=row.default_next_kg
            )

    @property
    def zone_rows(self) -> list[dict]:
        return [
            {"rate": row, "first_kg": self[f"{row.zone}_first_kg"], "next_kg": self[f"{row.zone}_next_kg"]}
            for row in self.table
        ]

    def clean(self):
        cleaned_data = super().clean()
        rates = {}
        for zone in ShippingZone.values:
            first_name, next_name = f"{zone}_first_kg", f"{zone}_next_kg"
            if first_name in self.errors or next_name in self.errors:
                continue
            first_kg, next_kg = cleaned_data.get(first_name), cleaned_data.get(next_name)
            if first_kg is None and next_kg is None:
                rates[zone] = None
            elif first_kg is None or next_kg is None:
                missing = first_name if first_kg is None else next_name
                self.add_error(
                    missing,
                    ValidationError(
                        _("Enter both amounts for this zone, or leave both blank to use the default."),
                        code="incomplete",
                    ),
                )
            else:
                rates[zone] = (first_kg, next_kg)
        cleaned_data["rates"] = rates
        return cleaned_data

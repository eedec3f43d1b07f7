from django import forms
from django.utils.translation import gettext_lazy as _

from purchasing.bulk import BulkRow

GRID_ROWS = 10
GRID_ROWS_STEP = 10
GRID_MAX_ROWS = 200


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns “sku” and “quantity”, and “pesantren” where two pesantren use the same SKU. "
            "Comma or semicolon separated, at most 1,000 rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class QuickOrderRowForm(forms.Form):
    # Free text: the bulk service checks every row and reports all problems at once, in one place.
    sku = forms.CharField(label=_("SKU"), max_length=128, required=False)
    quantity = forms.CharField(
        label=_("Quantity"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    pesantren = forms.CharField(label=_("Pesantren (if the SKU is shared)"), max_length=140, required=False)


QuickOrderFormSet = forms.formset_factory(
    QuickOrderRowForm, extra=0, max_num=GRID_MAX_ROWS, absolute_max=GRID_MAX_ROWS, validate_max=True
)

GRID_PREFIX = "grid"


def quick_order_formset(data=None, *, rows: int = GRID_ROWS):
    """The grid: bound to posted data, or `rows` empty rows."""
    if data is not None:
        return QuickOrderFormSet(data, prefix=GRID_PREFIX)
    rows = max(1, min(rows, GRID_MAX_ROWS))
    return QuickOrderFormSet(prefix=GRID_PREFIX, initial=[{} for _row in range(rows)])


def quick_order_formset_with_more_rows(data):
    """The posted grid with GRID_ROWS_STEP more empty rows: the "add rows" button without JavaScript."""
    data = data.copy()
    key = f"{GRID_PREFIX}-TOTAL_FORMS"
    try:
        total = int(data.get(key, GRID_ROWS))
    except ValueError:
        total = GRID_ROWS
    data[key] = str(min(total + GRID_ROWS_STEP, GRID_MAX_ROWS))
    return QuickOrderFormSet(data, prefix=GRID_PREFIX)


def quick_order_rows(formset) -> list[BulkRow]:
    """The grid's filled rows (numbered as shown, from 1); rows left empty are skipped."""
    rows = []
    for index, form in enumerate(formset.forms, start=1):
        data = form.cleaned_data if form.is_valid() else {}
        sku, quantity, pesantren = (data.get(name, "").strip() for name in ("sku", "quantity", "pesantren"))
        if sku or quantity or pesantren:
            rows.append(BulkRow(row=index, sku=sku, quantity=quantity, pesantren=pesantren))
    return rows

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from core.bounds import whole_max
from purchasing.models import PurchasePaymentMethod
from quotes.models import Quote, RequestForQuotation, RfqAudience
from quotes.selectors import programme_kabupaten, stockrecords_for_quote, verified_sellers

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CategoryChoiceField(forms.ModelChoiceField):
    """Categories in tree order, indented by depth (no query per label, unlike `full_name`)."""

    def label_from_instance(self, obj):
        return f"{'— ' * (obj.depth - 1)}{obj.name}"


class SellerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.kabupaten.name})"


class RfqForm(forms.ModelForm):
    product = forms.ModelChoiceField(
        queryset=Product.objects.filter(is_public=True), required=False, widget=forms.HiddenInput
    )
    category = CategoryChoiceField(
        queryset=Category.objects.order_by("path"),
        required=False,
        label=_("Category"),
        help_text=_("What kind of product; needed when you ask every pesantren of a category."),
    )
    seller = SellerChoiceField(queryset=verified_sellers(), required=False, label=_("Pesantren"))
    region = forms.ModelChoiceField(
        queryset=programme_kabupaten(), required=False, label=_("Kabupaten/kota of the pesantren")
    )
    delivery_kabupaten = forms.ModelChoiceField(
        queryset=programme_kabupaten(), required=False, label=_("Deliver to (kabupaten/kota)")
    )

    class Meta:
        model = RequestForQuotation
        fields = [
            "title",
            "kind",
            "product",
            "category",
            "quantity",
            "unit",
            "specification",
            "target_unit_price",
            "delivery_date",
            "delivery_kabupaten",
            "quotes_due",
            "audience",
            "seller",
            "region",
        ]
        widgets = {
            "kind": forms.RadioSelect(attrs={"class": "custom-control-input"}),
            "audience": forms.RadioSelect(attrs={"class": "custom-control-input"}),
            "delivery_date": DateInput,
            "quotes_due": DateInput,
            "specification": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("quotes_due", timezone.localdate() + datetime.timedelta(days=7))
        self.fields["target_unit_price"].help_text = _("Optional: the price per unit you have in mind.")


class QuoteForm(forms.Form):
    unit_price = forms.IntegerField(label=_("Unit price (Rp)"), min_value=1, max_value=whole_max(Quote, "unit_price"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=whole_max(Quote, "quantity"))
    lead_time_days = forms.IntegerField(
        label=_("Lead time (days)"),
        min_value=0,
        max_value=365,
        help_text=_("Days from the order until the goods are sent."),
    )
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput)
    stockrecord = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("From your catalogue"),
        empty_label=_("Made to order (not from stock)"),
        help_text=_("Sell one of your products from stock, or make the goods to order."),
    )
    unit_weight_grams = forms.IntegerField(
        label=_("Shipping weight of one unit (grams)"),
        min_value=1,
        max_value=whole_max(Quote, "unit_weight_grams"),
        required=False,
        help_text=_("For goods made to order: used to calculate shipping."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, seller, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["stockrecord"]
        field.queryset = stockrecords_for_quote(seller=seller)
        field.label_from_instance = lambda record: (
            _("%(title)s (%(stock)d in stock)")
            % {
                "title": record.product.get_title(),
                "stock": max(record.net_stock_level or 0, 0),
            }
        )


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(forms.Form):
    payment_method = forms.ChoiceField(
        label=_("How will your company pay?"), widget=forms.RadioSelect(attrs={"class": "custom-control-input"})
    )
    po_number = forms.CharField(label=_("Your purchase order number"), max_length=64, required=False)

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        choices = PurchasePaymentMethod.choices
        if company.credit_limit <= 0:
            # Without credit the company cannot pay later; offering it would only end in an error.
            choices = [choice for choice in choices if choice[0] != PurchasePaymentMethod.INVOICE]
        self.fields["payment_method"].choices = choices
        self.fields["payment_method"].initial = choices[0][0]


AUDIENCE_FIELDS = {RfqAudience.SELLER: "seller", RfqAudience.CATEGORY: "category", RfqAudience.REGION: "region"}

"""Oscar's product forms with our product fields, and stock records bound to the user's pesantren."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue import forms as oscar_forms
from oscar.apps.dashboard.catalogue.forms import *  # noqa: F403
from oscar.core.loading import get_model

from core.html import SanitisedRichTextFormMixin
from dashboard.catalogue.products import (
    PRODUCT_FIELDS,
    VARIANT_LABEL_MAX_LENGTH,
    VARIANT_MAX_COUNT,
    StockValues,
    VariantValues,
    default_product_class,
    description_from_text,
    validate_product_photo,
    variant_label,
)
from dashboard.selectors import is_platform_staff
from sellers.access import seller_for_user

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
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


# The seller centre's product form (pusat penjual): what a pesantren needs, without Oscar's jargon.


class CameraPhotosInput(forms.FileInput):
    """Several photos at once; on a phone, `capture` opens the back camera."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "capture": "environment", "multiple": True, **(attrs or {})})


class PhotosField(forms.FileField):
    """Zero or more uploaded photos, each checked by products.validate_product_photo."""

    widget = CameraPhotosInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors, cleaned = [], []
        for uploaded in files:
            try:
                cleaned.append(super().clean(uploaded, initial))
                validate_product_photo(uploaded)
            except forms.ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category):
        return category.full_name


PRICE_MAX = 1_000_000_000
STOCK_MAX = 1_000_000
WEIGHT_MAX = 1_000_000


class VariantForm(forms.Form):
    """One variant of a product (a size, a colour, a flavour) with its own price, stock and weight."""

    id = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    label = forms.CharField(
        label=_("Variant"),
        max_length=VARIANT_LABEL_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("e.g. 250 g, Red, Spicy")}),
    )
    price = forms.IntegerField(
        label=_("Price (Rp)"),
        min_value=1,
        max_value=PRICE_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )
    num_in_stock = forms.IntegerField(
        label=_("Stock"), min_value=0, max_value=STOCK_MAX, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    weight_grams = forms.IntegerField(
        label=_("Weight (grams)"),
        required=False,
        min_value=1,
        max_value=WEIGHT_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Leave empty to use the product's weight."),
    )

    def clean_label(self):
        label = " ".join(self.cleaned_data["label"].split())
        if not label:
            raise forms.ValidationError(_("Name the variant, for example 250 g or Red."))
        return label


class BaseVariantFormSet(forms.BaseFormSet):
    """The product's variants; ids are only those of the product's own variants (`allowed_ids`)."""

    def __init__(self, *args, allowed_ids=(), **kwargs):
        self.allowed_ids = set(allowed_ids)
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        labels = set()
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue
            pk = form.cleaned_data.get("id")
            if pk is not None and pk not in self.allowed_ids:
                raise forms.ValidationError(_("This variant is not one of this product's."), code="foreign_variant")
            if self._should_delete_form(form):
                continue
            label = form.cleaned_data.get("label", "").casefold()
            if label in labels:
                raise forms.ValidationError(
                    _("Two variants are named %(label)s: give each its own name.")
                    % {"label": form.cleaned_data["label"]},
                    code="duplicate_variant",
                )
            labels.add(label)

    def variant_values(self) -> list[VariantValues]:
        values = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or (not form.has_changed() and not data.get("id")):
                continue
            values.append(
                VariantValues(
                    pk=data.get("id"),
                    label=data.get("label", ""),
                    price=data.get("price") or 0,
                    num_in_stock=data.get("num_in_stock") or 0,
                    weight_grams=data.get("weight_grams"),
                    delete=bool(data.get("DELETE")),
                )
            )
        return values

    def kept_count(self) -> int:
        """How many variants the product has once saved: kept and new rows, and variants not posted."""
        values = self.variant_values()
        posted = {variant.pk for variant in values if variant.pk}
        return sum(1 for variant in values if not variant.delete) + len(self.allowed_ids - posted)


VARIANT_PREFIX = "variant"
VariantFormSet = forms.formset_factory(
    VariantForm,
    formset=BaseVariantFormSet,
    # One blank row: a variant can be added without JavaScript (the form's button adds more).
    extra=1,
    can_delete=True,
    max_num=VARIANT_MAX_COUNT,
    validate_max=True,
    absolute_max=VARIANT_MAX_COUNT,
)


def variant_formset(data=None, *, variants: list) -> BaseVariantFormSet:
    """The variants formset of a product whose variants are `variants` (products.own_variants)."""
    initial = [
        {
            "id": child.pk,
            "label": variant_label(child),
            "price": int(child.own_record.price or 0) if child.own_record else None,
            "num_in_stock": child.own_record.num_in_stock if child.own_record else None,
            "weight_grams": child.weight_grams,
        }
        for child in variants
    ]
    if data is not None and f"{VARIANT_PREFIX}-TOTAL_FORMS" not in data:
        # A post without the variants' rows (an older page, a script) changes no variant.
        data = data.copy()
        data.update({f"{VARIANT_PREFIX}-TOTAL_FORMS": "0", f"{VARIANT_PREFIX}-INITIAL_FORMS": "0"})
    return VariantFormSet(data, initial=initial, prefix=VARIANT_PREFIX, allowed_ids=[child.pk for child in variants])


class SellerProductForm(SanitisedRichTextFormMixin, forms.ModelForm):
    """A pesantren's standalone product with its price, stock and photos (see products.seller_product_save).

    The product type, structure, SKU and partner are not asked: the service sets them.
    """

    rich_text_fields = ("description",)

    category = CategoryChoiceField(
        label=_("Category"), queryset=Category.objects.order_by("path"), empty_label=_("Choose a category")
    )
    price = forms.IntegerField(
        label=_("Price (Rp)"),
        required=False,
        min_value=1,
        max_value=PRICE_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
        help_text=_("The price of one unit, in whole rupiah."),
    )
    num_in_stock = forms.IntegerField(
        label=_("Stock"),
        required=False,
        min_value=0,
        max_value=STOCK_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    low_stock_threshold = forms.IntegerField(
        label=_("Warn me when stock falls to"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Optional. The seller centre's home lists the product as low on stock from this number down."),
    )
    photos = PhotosField(
        label=_("Add photos"),
        required=False,
        help_text=_("Take them with the camera or pick them from the gallery: JPEG, PNG or WebP, up to 5 MB each."),
    )

    class Meta:
        model = Product
        fields = PRODUCT_FIELDS
        labels = {
            "title": _("Product name"),
            "is_public": _("Show in my shop"),
            "weight_grams": _("Weight (grams)"),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "weight_grams": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "halal_expiry": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "pirt_expiry": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "bpom_expiry": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "description": _("What it is, what it is made of, how long it keeps. A blank line starts a new paragraph."),
        }

    def __init__(self, *args, seller, stockrecord=None, variants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.seller = seller
        self.variants = variants
        if self.instance.pk is None:
            # What the service will give a new product, so that the model's own checks pass.
            self.instance.product_class = default_product_class()
            self.instance.structure = Product.STANDALONE
        self.fields["title"].widget.attrs.update({"autocomplete": "off"})
        self.fields["weight_grams"].required = True
        self.fields["weight_grams"].min_value = 1
        self.fields["weight_grams"].help_text = _("Packed, for one unit: the shipping cost is worked out from it.")
        if self.instance.pk:
            self.initial.setdefault("category", self.instance.categories.order_by("path").first())
            self.initial["description"] = text_of_description(self.instance.description)
        if stockrecord is not None:
            self.initial.setdefault("price", int(stockrecord.price or 0))
            self.initial.setdefault("num_in_stock", stockrecord.num_in_stock)
            self.initial.setdefault("low_stock_threshold", stockrecord.low_stock_threshold)

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Enter the product's name."))
        return title

    def clean_description(self):
        return description_from_text(self.cleaned_data.get("description", ""))

    def clean(self):
        cleaned = super().clean()
        if self.variants is not None and self.variants.is_valid() and self.variants.kept_count():
            return cleaned
        # Without variants the product's own price and stock are what buyers see and buy.
        if cleaned.get("price") is None and "price" not in self.errors:
            self.add_error("price", _("Enter the price, or add variants each with its own price."))
        if cleaned.get("num_in_stock") is None and "num_in_stock" not in self.errors:
            self.add_error("num_in_stock", _("Enter the stock, or add variants each with its own stock."))
        return cleaned

    def has_variants(self) -> bool:
        return self.variants is not None and self.variants.is_valid() and bool(self.variants.kept_count())

    def stock_values(self) -> StockValues:
        return StockValues(
            price=self.cleaned_data["price"],
            num_in_stock=self.cleaned_data["num_in_stock"],
            low_stock_threshold=self.cleaned_data.get("low_stock_threshold"),
        )

    def product_values(self) -> dict:
        return {field: self.cleaned_data[field] for field in PRODUCT_FIELDS if field in self.cleaned_data}


def text_of_description(html: str) -> str:
    """A description made only of paragraphs and line breaks, as the plain text the form shows."""
    html = (html or "").strip()
    if not html or re.search(r"<(?!/?p>|br\s*/?>)", html):
        return html
    paragraphs = re.split(r"</p>\s*<p>", re.sub(r"^<p>|</p>$", "", html))
    return "\n\n".join(re.sub(r"<br\s*/?>\n?", "\n", paragraph) for paragraph in paragraphs)

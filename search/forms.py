import re

from django import forms
from django.utils.translation import gettext_lazy as _

from search.backends.base import (
    FACET_CATEGORY,
    FACET_HALAL,
    FACET_IN_STOCK,
    FACET_KABUPATEN,
    FACET_PRICE,
    FACET_SECTOR,
    FACET_SELLER,
    FACET_STARS,
    PRICE_BUCKETS,
    SORT_BEST_SELLING,
    SORT_NEWEST,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    SORT_RATING,
    SORT_RELEVANCE,
    STAR_LEVELS,
    SearchQuery,
    price_bucket_bounds,
)


class SearchForm(forms.Form):
    """The site-wide search box; Oscar's context processor renders it on every page."""

    q = forms.CharField(
        required=False,
        label=_("Search"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Search pesantren products…"), "autocomplete": "off"}
        ),
    )

    def __init__(self, *args, **kwargs):
        # Oscar's context processor passes request.GET positionally; an empty GET is unbound.
        if args and not args[0]:
            args = (None, *args[1:])
        super().__init__(*args, **kwargs)

    @property
    def query(self) -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["q"].strip()
        return ""


# URL parameter of each facet filter.
FACET_PARAMS = {
    FACET_CATEGORY: "category",
    FACET_SELLER: "pesantren",
    FACET_KABUPATEN: "kabupaten",
    FACET_SECTOR: "sector",
    FACET_PRICE: "price",
    FACET_HALAL: "halal",
    FACET_IN_STOCK: "in_stock",
    FACET_STARS: "stars",
}
MULTI_VALUE_PARAMS = ("category", "pesantren", "kabupaten", "sector")
SLUG_RE = re.compile(r"^[-\w.]+$")


class ListingForm(SearchForm):
    """The query, filters and sort of a product listing, read from the query string.

    Invalid filter values are reported and left out; the listing still shows with the valid ones.
    """

    SORT_CHOICES = [
        (SORT_RELEVANCE, _("Most relevant")),
        (SORT_NEWEST, _("Newest")),
        (SORT_BEST_SELLING, _("Best selling")),
        (SORT_RATING, _("Top rated")),
        (SORT_PRICE_ASC, _("Price: low to high")),
        (SORT_PRICE_DESC, _("Price: high to low")),
    ]

    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    price = forms.ChoiceField(choices=[(value, value) for value, _lower, _upper in PRICE_BUCKETS], required=False)
    price_min = forms.DecimalField(
        label=_("Minimum price"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    price_max = forms.DecimalField(
        label=_("Maximum price"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    halal = forms.BooleanField(required=False)
    in_stock = forms.BooleanField(required=False)
    stars = forms.TypedChoiceField(
        choices=[(str(level), str(level)) for level in STAR_LEVELS], coerce=int, empty_value=None, required=False
    )

    def clean(self):
        cleaned = super().clean()
        data = self.data if self.is_bound else {}
        getlist = getattr(data, "getlist", lambda key: [data[key]] if key in data else [])
        categories = []
        for raw in getlist("category"):
            if not raw.isdigit():
                self.add_error(None, _("“%(value)s” is not a category.") % {"value": raw})
            else:
                categories.append(int(raw))
        cleaned["category"] = tuple(dict.fromkeys(categories))
        for param in ("pesantren", "kabupaten", "sector"):
            values = [value for value in getlist(param) if value]
            valid = [value for value in values if SLUG_RE.match(value) and len(value) <= 140]
            if len(valid) != len(values):
                self.add_error(None, _("Some filter values were not understood and were ignored."))
            cleaned[param] = tuple(dict.fromkeys(valid))
        low, high = cleaned.get("price_min"), cleaned.get("price_max")
        if low is not None and high is not None and low >= high:
            self.add_error("price_max", _("The maximum price must be above the minimum price."))
        return cleaned

    def search_query(self, *, page: int = 1, page_size: int = 24, **scope) -> SearchQuery:
        """The SearchQuery of the valid parts of the form. `scope` (e.g. seller_slug) is fixed by the page."""
        self.is_valid()  # fills cleaned_data with the valid fields; errors are shown by the template
        data = getattr(self, "cleaned_data", {})
        price_min, price_max = data.get("price_min"), data.get("price_max")
        if "price_max" in self.errors:
            price_min = price_max = None
        if data.get("price"):
            price_min, price_max = price_bucket_bounds(data["price"])
        fields = {
            "text": self.query,
            "category_ids": data.get("category", ()),
            "seller_slugs": data.get("pesantren", ()),
            "kabupaten_codes": data.get("kabupaten", ()),
            "sectors": data.get("sector", ()),
            "price_min": price_min,
            "price_max": price_max,
            "halal": True if data.get("halal") else None,
            "in_stock": True if data.get("in_stock") else None,
            "stars_min": data.get("stars"),
            "sort": data.get("sort") or SORT_RELEVANCE,
            "page": page,
            "page_size": page_size,
        }
        fields.update(scope)
        return SearchQuery(**fields)

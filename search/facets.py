"""The facet sidebar: backend facet counts turned into options whose links toggle a filter."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import QueryDict
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
)
from search.forms import FACET_PARAMS, MULTI_VALUE_PARAMS

FACET_TITLES = {
    FACET_CATEGORY: _("Category"),
    FACET_SELLER: _("Pesantren"),
    FACET_KABUPATEN: _("Kabupaten/kota"),
    FACET_SECTOR: _("Sector"),
    FACET_PRICE: _("Price"),
    FACET_HALAL: _("Certification"),
    FACET_IN_STOCK: _("Availability"),
    FACET_STARS: _("Curation stars"),
}
# Long facets show this many options; the rest fold away behind "show more".
VISIBLE_OPTIONS = 8


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class FacetGroup:
    name: str
    param: str
    title: str
    options: list[FacetOption] = field(default_factory=list)

    @property
    def visible(self) -> list[FacetOption]:
        return self.options[:VISIBLE_OPTIONS]

    @property
    def folded(self) -> list[FacetOption]:
        return self.options[VISIBLE_OPTIONS:]

    @property
    def has_selection(self) -> bool:
        return any(option.selected for option in self.options)


def toggle_url(params: QueryDict, param: str, value: str) -> str:
    """The current query string with `value` of `param` switched on or off, back on page 1."""
    params = params.copy()
    params.pop("page", None)
    if param in MULTI_VALUE_PARAMS:
        values = params.getlist(param)
        params.setlist(param, [v for v in values if v != value] if value in values else [*values, value])
    elif params.get(param) == value:
        params.pop(param)
    else:
        params[param] = value
        if param == "price":  # a price bucket replaces a typed range
            params.pop("price_min", None)
            params.pop("price_max", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def facet_groups(
    facets: dict[str, list[tuple[str, str, int]]],
    params: QueryDict,
    *,
    option_url: Callable[[str, str], str | None] | None = None,
    hidden: tuple[str, ...] = (),
) -> list[FacetGroup]:
    """Sidebar groups, in a fixed order. A selected value stays listed (to be switched off) even at 0.

    `option_url(facet, value)` may give a different link for an option (category pages link to the
    category's own page); `hidden` facets are not shown (e.g. the pesantren facet on a storefront).
    """
    groups = []
    for name, param in FACET_PARAMS.items():
        if name in hidden:
            continue
        selected = set(params.getlist(param)) if param in MULTI_VALUE_PARAMS else {params.get(param, "")}
        if name in (FACET_HALAL, FACET_IN_STOCK):
            selected = {"true"} if params.get(param) in ("on", "true", "1", "True") else set()
        options = []
        listed = set()
        for value, label, count in facets.get(name, []):
            listed.add(value)
            url = (option_url(name, value) if option_url else None) or _toggle(params, name, param, value)
            options.append(FacetOption(value, label, count, value in selected, url))
        for value in sorted(selected - listed - {""}):
            options.append(FacetOption(value, value, 0, True, _toggle(params, name, param, value)))
        if options:
            groups.append(FacetGroup(name=name, param=param, title=str(FACET_TITLES[name]), options=options))
    return groups


def _toggle(params: QueryDict, name: str, param: str, value: str) -> str:
    if name in (FACET_HALAL, FACET_IN_STOCK):
        value = "true"
    return toggle_url(params, param, value)

import functools

from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from core.page_cache import cache_anonymous_page
from search.backends import get_backend
from search.backends.base import FACET_CATEGORY
from search.facets import facet_groups
from search.forms import ListingForm
from search.selectors import search_listing

Category = get_model("catalogue", "Category")

AUTOCOMPLETE_LIMIT = 6
AUTOCOMPLETE_MAX_LENGTH = 100


# No listing holds more products than this many pages of them.
MAX_PAGE = 100_000


class _PageWindow:
    """What Django's Paginator needs: the total, and the one page of products the backend returned."""

    def __init__(self, listing):
        self.listing = listing

    def count(self) -> int:
        return self.listing.total

    def __getitem__(self, index):
        return self.listing.products


@method_decorator(cache_anonymous_page(), name="dispatch")
class SearchView(TemplateView):
    """A product listing served by the search backend: text, facet filters, sort and pages."""

    template_name = "oscar/search/results.html"
    page_size = 24

    def get_scope(self) -> dict:
        """Filters fixed by the page itself (a category page's category)."""
        return {}

    def get(self, request, *args, **kwargs):
        self.form = ListingForm(request.GET)
        page_number = request.GET.get("page", "1")
        # A page past the last would be an OFFSET beyond bigint: anything past any real listing is no page.
        if not page_number.isdigit() or not 1 <= int(page_number) <= MAX_PAGE:
            raise Http404(_("Invalid page."))
        query = self.form.search_query(page=int(page_number), page_size=self.page_size, **self.get_scope())
        self.listing = search_listing(query=query)
        # A business buyer's minimum quantities come with the cards' stock records (search.selectors).
        if query.page > 1 and not self.listing.products and query.offset >= self.listing.total:
            raise Http404(_("Invalid page."))
        return super().get(request, *args, **kwargs)

    def option_url(self, facet: str, value: str) -> str | None:
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(_PageWindow(self.listing), self.page_size, allow_empty_first_page=True)
        page = paginator.page(self.listing.query.page) if self.listing.total else None
        # Callables, which the template calls: inside its `{% catalogue_cache %}` block, so a cached
        # sidebar builds no facet links (nor, on a category page, reads the categories' addresses).
        groups = functools.cache(
            lambda: facet_groups(self.listing.facets, self.request.GET, option_url=self.option_url)
        )
        context.update(
            form=self.form,
            query=self.form.query,
            products=self.listing.products,
            paginator=paginator,
            page_obj=page,
            page=page,
            is_paginated=paginator.num_pages > 1,
            facet_groups=groups,
            has_filters=lambda: any(group.has_selection for group in groups()),
            sort_choices=ListingForm.SORT_CHOICES,
            current_sort=self.listing.query.sort,
            suggestion=self.listing.result.suggestion,
            corrected=self.listing.result.corrected,
            suggestion_url=self.suggestion_url(self.listing.result.suggestion),
        )
        return context

    def suggestion_url(self, suggestion: str | None) -> str | None:
        """This listing with the spelling suggestion as its text, keeping the filters and the sort."""
        if not suggestion:
            return None
        params = self.request.GET.copy()
        params.pop("page", None)
        params["q"] = suggestion
        return f"{self.request.path}?{params.urlencode()}"


class CatalogueView(SearchView):
    template_name = "oscar/catalogue/browse.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = _("All products")
        return context


class ProductCategoryView(SearchView):
    """A category page: the category (with its subcategories) is a fixed filter."""

    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not self.category.is_public:
            raise Http404
        if request.path != self.category.get_absolute_url():
            return HttpResponsePermanentRedirect(self.category.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_scope(self) -> dict:
        return {"category_ids": (self.category.pk,)}

    def option_url(self, facet: str, value: str) -> str | None:
        # Choosing another category moves to its page, keeping the other filters.
        if facet != FACET_CATEGORY:
            return None
        url = self._category_urls().get(int(value))
        if url is None:
            return None
        params = self.request.GET.copy()
        for key in ("page", "category"):
            params.pop(key, None)
        encoded = params.urlencode()
        return f"{url}?{encoded}" if encoded else url

    def _category_urls(self) -> dict[int, str]:
        if not hasattr(self, "_urls"):
            ids = [int(value) for value, _label, _count in self.listing.facets.get(FACET_CATEGORY, [])]
            self._urls = {
                category.pk: category.get_absolute_url()
                for category in Category.objects.filter(pk__in=ids, is_public=True)
            }
        return self._urls

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(category=self.category, summary=self.category.name)
        return context


class AutocompleteView(View):
    """Suggestions for the search box as the shopper types: products, pesantren and categories."""

    def get(self, request):
        text = request.GET.get("q", "").strip()
        if len(text) > AUTOCOMPLETE_MAX_LENGTH:
            return JsonResponse({"error": str(_("The search text is too long."))}, status=400)
        if len(text) < 2:
            suggestions = {"products": [], "pesantren": [], "categories": []}
        else:
            suggestions = get_backend().autocomplete(text, limit=AUTOCOMPLETE_LIMIT)
        response = JsonResponse({"query": text, **suggestions})
        response["Cache-Control"] = "max-age=60"
        return response

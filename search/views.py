from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.core.loading import get_model

from search.forms import SearchForm
from search.selectors import search_products

Category = get_model("catalogue", "Category")


class SearchView(ListView):
    template_name = "oscar/search/results.html"
    context_object_name = "products"
    paginate_by = 24

    def get_form(self):
        return SearchForm(self.request.GET)

    def get_queryset(self):
        self.form = self.get_form()
        return search_products(query=self.form.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, query=self.form.query, page=context["page_obj"])
        return context


class CatalogueView(SearchView):
    template_name = "oscar/catalogue/browse.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = _("All products")
        return context


class ProductCategoryView(SearchView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not self.category.is_public:
            raise Http404
        if request.path != self.category.get_absolute_url():
            return HttpResponsePermanentRedirect(self.category.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.form = self.get_form()
        return search_products(query=self.form.query, category=self.category)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(category=self.category, summary=self.category.name)
        return context

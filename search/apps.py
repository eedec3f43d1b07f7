from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig


class SearchConfig(OscarConfig):
    """Replaces Oscar's haystack search; its views also serve `/catalogue/` (see catalogue.views)."""

    label = "search"
    name = "search"
    verbose_name = _("Product search")
    namespace = "search"

    def ready(self):
        from search import signals, views
        from search.backends import selected_backend
        from search.es import client  # noqa: F401 - connects its setting_changed receiver

        selected_backend()  # refuse to start with an unknown backend or Elasticsearch without a URL
        signals.connect()

        self.search_view = views.SearchView
        self.autocomplete_view = views.AutocompleteView

    def get_urls(self):
        return self.post_process_urls(
            [
                path("", self.search_view.as_view(), name="search"),
                path("autocomplete/", self.autocomplete_view.as_view(), name="autocomplete"),
            ]
        )

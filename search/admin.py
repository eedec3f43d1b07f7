from django.contrib import admin

from search.models import SearchSynonym


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Synonym groups apply to the next search: no reindexing needed."""

    list_display = ["terms"]
    search_fields = ["terms"]

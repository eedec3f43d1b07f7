"""Oscar's catalogue dashboard tables, with the category name escaped when a search highlights it, and
the selection checkbox column not sortable (its header was an empty, nameless sort link)."""

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django_tables2 import TemplateColumn
from oscar.apps.dashboard.catalogue import tables as oscar_tables
from oscar.apps.dashboard.catalogue.tables import *  # noqa: F403


class CategoryTable(oscar_tables.CategoryTable):
    checkbox = TemplateColumn(
        verbose_name="", template_name="oscar/dashboard/catalogue/category_row_checkbox.html", orderable=False
    )

    def render_name(self, value, record):
        # Oscar marks the stored name safe to wrap the searched words in <strong>: escape the name first.
        url = reverse("dashboard:catalogue-category-update", args=[record.pk])
        query = self.request.GET.get("name")
        if query:
            highlight = format_html("<strong>{}</strong>", query)
            value = mark_safe(highlight.join(escape(part) for part in record.full_name.split(query)))  # noqa: S308
        return format_html('<a href="{}">{}</a>', url, value)

    class Meta(oscar_tables.CategoryTable.Meta):
        pass


class ProductTable(oscar_tables.ProductTable):
    checkbox = TemplateColumn(
        verbose_name="", template_name="oscar/dashboard/catalogue/product_row_checkbox.html", orderable=False
    )

    class Meta(oscar_tables.ProductTable.Meta):
        pass

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProductSearchDocument(models.Model):
    """One denormalised row per product for the database search backend, built by search.documents.

    `search_vector` (weighted title, category, pesantren, description under the `indonesian`
    configuration) and the trigram index on `title` exist on PostgreSQL only; on SQLite the columns
    stay empty and the backend falls back to plain substring matching.
    """

    product = models.OneToOneField(
        "catalogue.Product",
        verbose_name=_("product"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    slug = models.SlugField(_("slug"), max_length=255, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    category_text = models.TextField(_("category names"), blank=True)
    seller_id = models.IntegerField(_("pesantren id"), null=True, blank=True)
    seller_name = models.CharField(_("pesantren name"), max_length=128, blank=True)
    seller_slug = models.CharField(_("pesantren slug"), max_length=140, blank=True, db_index=True)
    province_code = models.CharField(_("province code"), max_length=13, blank=True)
    kabupaten_code = models.CharField(_("kabupaten code"), max_length=13, blank=True, db_index=True)
    kabupaten_name = models.CharField(_("kabupaten name"), max_length=100, blank=True)
    kecamatan_code = models.CharField(_("kecamatan code"), max_length=13, blank=True)
    sector = models.CharField(_("sector"), max_length=20, blank=True, db_index=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, null=True, blank=True)
    in_stock = models.BooleanField(_("in stock"), default=False)
    halal = models.BooleanField(_("halal certified"), default=False)
    pirt = models.BooleanField(_("P-IRT licensed"), default=False)
    bpom = models.BooleanField(_("BPOM registered"), default=False)
    rating = models.FloatField(_("rating"), default=0)
    units_sold = models.PositiveIntegerField(_("units sold"), default=0)
    curation_stars = models.PositiveSmallIntegerField(_("curation stars"), default=0)
    curation_stars_until = models.DateField(_("curation stars valid until"), null=True, blank=True)
    date_added = models.DateTimeField(_("date added"))
    searchable = models.BooleanField(
        _("searchable"), default=False, help_text=_("Public product of a verified pesantren, with a price.")
    )
    search_vector = SearchVectorField(_("search vector"), null=True, blank=True)
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("product search document")
        verbose_name_plural = _("product search documents")
        indexes = [
            GinIndex(fields=["search_vector"], name="search_doc_vector_gin"),
            GinIndex(fields=["title"], name="search_doc_title_trgm", opclasses=["gin_trgm_ops"]),
            models.Index(fields=["searchable", "in_stock", "date_added"], name="search_doc_browse"),
            models.Index(fields=["searchable", "price"], name="search_doc_price"),
            # Autocomplete: word prefixes of titles ("ker:*"). No btree for its popularity order on purpose: the
            # planner would walk it for a rare prefix, testing all 50,000 titles.
            GinIndex(
                SearchVector("title", config="simple"), name="search_doc_title_words", condition=Q(searchable=True)
            ),
        ]

    def __str__(self):
        return self.title


class ProductSearchCategory(models.Model):
    """A product's category or one of that category's ancestors, for category filters and facets."""

    document = models.ForeignKey(
        ProductSearchDocument, verbose_name=_("document"), on_delete=models.CASCADE, related_name="categories"
    )
    category = models.ForeignKey(
        "catalogue.Category", verbose_name=_("category"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("product search category")
        verbose_name_plural = _("product search categories")
        constraints = [models.UniqueConstraint(fields=["document", "category"], name="search_doc_category_unique")]
        indexes = [models.Index(fields=["category", "document"], name="search_doc_category_idx")]

    def __str__(self):
        return f"{self.document_id} in {self.category_id}"


class SearchSynonym(models.Model):
    """A group of words that mean the same to shoppers, e.g. "kerudung, jilbab, hijab".

    Applied when a query runs, so editing a group needs no reindexing.
    """

    terms = models.CharField(
        _("synonyms"),
        max_length=255,
        unique=True,
        help_text=_("Words that mean the same, separated by commas, e.g. “kerudung, jilbab, hijab”."),
    )

    class Meta:
        ordering = ["terms"]
        verbose_name = _("search synonym group")
        verbose_name_plural = _("search synonym groups")

    def __str__(self):
        return self.terms

    @property
    def term_list(self) -> list[str]:
        return parse_terms(self.terms)

    def clean(self):
        from django.core.exceptions import ValidationError

        words = parse_terms(self.terms)
        if len(words) < 2:
            raise ValidationError({"terms": _("Enter at least two different words, separated by commas.")})
        self.terms = ", ".join(words)


def parse_terms(text: str) -> list[str]:
    seen: list[str] = []
    for word in (part.strip().lower() for part in text.split(",")):
        if word and word not in seen:
            seen.append(word)
    return seen


class SearchTerm(models.Model):
    """A word of the indexed catalogue and how many searchable products use it (search.vocabulary).

    Spelling suggestions come from here: "kerudng" is unknown, "kerudung" is close and common.
    `initial` and `length` narrow the candidates of a misspelt word to a few hundred rows.
    """

    term = models.CharField(_("term"), max_length=40, primary_key=True)
    initial = models.CharField(_("first letter"), max_length=1)
    length = models.PositiveSmallIntegerField(_("length"))
    documents = models.IntegerField(_("products"), default=0)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        indexes = [models.Index(fields=["initial", "length"], name="search_term_shape")]

    def __str__(self):
        return self.term


class SearchTermDocument(models.Model):
    """The words one searchable product contributed to SearchTerm, so a reindex can take them back.

    Keyed by the product id without a foreign key on purpose: a cascade on product deletion would
    drop the row without decrementing its words; the indexing task removes it and its counts.
    """

    product_id = models.IntegerField(_("product id"), primary_key=True)
    terms = models.TextField(_("terms"), blank=True)

    class Meta:
        verbose_name = _("search term document")
        verbose_name_plural = _("search term documents")

    def __str__(self):
        return f"{self.product_id}: {self.terms[:40]}"

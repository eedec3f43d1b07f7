from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Pasar Pesantren"

    def ready(self):
        # Oscar's templates load `currency_filters`: their `currency` filter becomes core.money's
        # formatter, so every page shows rupiah by the project's one rule. (A second template library
        # named `currency_filters` would draw Django's templates.W003 warning instead.)
        from oscar.templatetags import currency_filters

        from core.templatetags.money import currency

        currency_filters.register.filter("currency", currency)

        _connect_page_cache_invalidation()


def _connect_page_cache_invalidation() -> None:
    """Any write to what the browse pages show makes the page cache and its fragments stale (core/page_cache.py)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from oscar.core.loading import get_model

    from core.page_cache import bump

    shown = [
        get_model("catalogue", "Product"),
        get_model("catalogue", "ProductCategory"),
        get_model("catalogue", "Category"),
        get_model("catalogue", "ProductImage"),
        get_model("partner", "StockRecord"),
        get_model("partner", "Partner"),
        get_model("sellers", "Seller"),
        get_model("ratings", "LineReview"),
        get_model("ratings", "ReviewReply"),
        # What a verified company's members see on the cards and product pages (their fragments).
        get_model("wholesale", "WholesaleTerms"),
        get_model("wholesale", "PriceTier"),
    ]
    for model in shown:
        post_save.connect(bump, sender=model, dispatch_uid=f"page-cache-save-{model._meta.label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"page-cache-delete-{model._meta.label}")
    categories = get_model("catalogue", "Product").categories.through
    m2m_changed.connect(bump, sender=categories, dispatch_uid="page-cache-product-categories")

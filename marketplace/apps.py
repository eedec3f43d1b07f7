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

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotesConfig(AppConfig):
    name = "quotes"
    verbose_name = _("Requests for quotation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from dashboard.sellercentre import register_work_count
        from quotes.selectors import open_rfqs_to_quote_count

        register_work_count("open_rfqs", open_rfqs_to_quote_count)

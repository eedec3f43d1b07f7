from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WholesaleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wholesale"
    verbose_name = _("Wholesale prices")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfftakersConfig(AppConfig):
    """Migrations only: see the package docstring."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "offtakers"
    verbose_name = _("Off-takers")

from django.apps import AppConfig


class OfftakersConfig(AppConfig):
    """Migrations only: see the package docstring."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "offtakers"
    verbose_name = "Off-takers (migrations only)"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfftakersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "offtakers"
    verbose_name = _("Off-takers")

    def ready(self):
        from offtakers import receivers  # noqa: F401

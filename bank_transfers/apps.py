from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankTransfersConfig(AppConfig):
    name = "bank_transfers"
    verbose_name = _("bank transfers")

"""The ways a customer can pay, as recorded on the order through Oscar's payment sources."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Credit or debit card")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")

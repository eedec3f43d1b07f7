"""The ways a customer can pay, as recorded on the order through Oscar's payment sources."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from payments.stripe_api import card_payments_enabled


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Credit or debit card")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")


def available_payment_methods() -> list[PaymentMethod]:
    """The methods checkout offers, the default first: card only while MARKETPLACE_CARD_PAYMENTS is on."""
    return [method for method in PaymentMethod if method != PaymentMethod.CARD or card_payments_enabled()]

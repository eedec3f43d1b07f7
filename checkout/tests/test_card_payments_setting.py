"""MARKETPLACE_CARD_PAYMENTS off: no checkout offers or accepts card payment (production then needs no Stripe keys)."""

import pytest
from django.core.exceptions import ValidationError

from checkout.forms import PaymentMethodForm
from offtakers.checkout_forms import PurchaseTermsForm
from offtakers.ordering import _check_payment_method
from tests.factories import make_company


def _offered(form, field: str) -> list[str]:
    return [value for value, _label in form.fields[field].choices]


def test_with_card_payments_checkout_offers_card_first(settings):
    settings.MARKETPLACE_CARD_PAYMENTS = True

    assert _offered(PaymentMethodForm(), "method") == ["card", "bank_transfer"]


def test_without_card_payments_checkout_offers_and_accepts_bank_transfer_only(settings):
    settings.MARKETPLACE_CARD_PAYMENTS = False

    assert _offered(PaymentMethodForm(), "method") == ["bank_transfer"]
    assert not PaymentMethodForm({"method": "card"}).is_valid()
    assert PaymentMethodForm({"method": "bank_transfer"}).is_valid()


@pytest.mark.django_db
def test_without_card_payments_companies_cannot_choose_card(settings):
    settings.MARKETPLACE_CARD_PAYMENTS = False
    company = make_company(credit_limit=5_000_000)

    assert _offered(PurchaseTermsForm(company=company), "payment_method") == ["invoice", "bank_transfer"]
    with pytest.raises(ValidationError):
        _check_payment_method(company=company, payment_method="card")
    _check_payment_method(company=company, payment_method="bank_transfer")

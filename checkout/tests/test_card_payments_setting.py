"""MARKETPLACE_CARD_PAYMENTS off: no checkout offers or accepts card payment (production then needs no Stripe keys)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from checkout.forms import PaymentMethodForm
from payments.models import CardPayment
from purchasing.checkout_forms import PurchaseTermsForm
from purchasing.ordering import _check_payment_method
from tests.factories import (
    make_company,
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)


def _offered(form, field: str) -> list[str]:
    return [value for value, _label in form.fields[field].choices]


def test_with_card_payments_checkout_offers_card_first(settings):
    settings.MARKETPLACE_CARD_PAYMENTS = True
    settings.MARKETPLACE_MIDTRANS_PAYMENTS = False

    assert _offered(PaymentMethodForm(), "method") == ["card", "bank_transfer"]


def test_with_midtrans_checkout_offers_its_methods_between_card_and_manual_transfer(settings):
    settings.MARKETPLACE_CARD_PAYMENTS = True
    settings.MARKETPLACE_MIDTRANS_PAYMENTS = True

    assert _offered(PaymentMethodForm(), "method") == [
        "card",
        "bca_va",
        "bni_va",
        "bri_va",
        "permata_va",
        "mandiri_bill",
        "qris",
        "gopay",
        "shopeepay",
        "bank_transfer",
    ]


def test_without_card_payments_checkout_offers_and_accepts_bank_transfer_only(settings):
    settings.MARKETPLACE_CARD_PAYMENTS = False
    settings.MARKETPLACE_MIDTRANS_PAYMENTS = False

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


@pytest.mark.django_db
def test_without_card_payments_a_placed_order_has_no_card_page(client, settings):
    settings.MARKETPLACE_CARD_PAYMENTS = False
    regions = make_region_tree()
    owner = make_user()
    order = place_order(
        items=[(make_seller_product(make_seller(regions=regions)), 1)],
        shipping_address=make_shipping_address(regions=regions),
        user=owner,
    )
    client.force_login(owner)
    pay_url = reverse("checkout:pay", kwargs={"order_number": order.number})

    page = client.get(pay_url)
    attempt = client.post(pay_url, data='{"payment_method_id": "pm_card_visa"}', content_type="application/json")

    assert page.status_code == 302
    assert attempt.status_code == 400 and "tidak tersedia" in attempt.json()["error"]
    assert not CardPayment.objects.filter(order_id=order.pk).exists()

"""Fulfilment asks for refunds through the provider payments registers, and sees its errors as RefundFailed."""

import pytest

from fulfilment.refunds import RefundFailed, refund_provider
from payments.refunds import REFUND_PROVIDER, _failing_as_refund_failed
from payments.stripe_api import PaymentProviderUnavailable


def test_payments_registers_its_refunds_at_start_up():
    assert refund_provider() is REFUND_PROVIDER


def test_a_payment_error_reaches_fulfilment_as_refund_failed_with_its_message():
    def refund(**kwargs):
        raise PaymentProviderUnavailable("Layanan kartu sedang tidak menjawab.")

    with pytest.raises(RefundFailed, match="Layanan kartu sedang tidak menjawab.") as raised:
        _failing_as_refund_failed(refund)(seller_order=None, amount=1, actor=None)

    assert isinstance(raised.value.__cause__, PaymentProviderUnavailable)


def test_other_errors_pass_through_unchanged():
    def refund(**kwargs):
        raise ValueError("Jumlah melebihi yang bisa dikembalikan.")

    with pytest.raises(ValueError):
        _failing_as_refund_failed(refund)()

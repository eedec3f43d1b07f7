"""Midtrans pieces that need no server: signatures, amounts, fees and their shares, the QR."""

from decimal import Decimal

import pytest

from midtrans import client
from midtrans.methods import METHODS, how_to_pay
from midtrans.qr import qr_svg
from midtrans.services import allocate


@pytest.fixture(autouse=True)
def server_key(settings):
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-unit"


def test_the_signature_is_sha512_of_order_id_status_code_gross_amount_and_server_key():
    import hashlib

    payload = {"order_id": "100042-1", "status_code": "200", "gross_amount": "445500.00"}
    expected = hashlib.sha512(b"100042-1200445500.00SB-Mid-server-unit").hexdigest()

    assert client.signature_for(**payload) == expected
    assert client.signature_is_valid({**payload, "signature_key": expected})
    assert client.signature_is_valid({**payload, "signature_key": expected.upper()})


@pytest.mark.parametrize(
    "change",
    [
        {"gross_amount": "445501.00"},  # the amount tampered with
        {"status_code": "201"},
        {"order_id": "100043-1"},
        {"signature_key": ""},
        {"signature_key": None},
        {"gross_amount": 445500},  # not the string Midtrans signs
    ],
)
def test_a_signature_that_does_not_match_every_field_is_refused(change):
    payload = {"order_id": "100042-1", "status_code": "200", "gross_amount": "445500.00"}
    payload["signature_key"] = client.signature_for(**payload)

    assert not client.signature_is_valid({**payload, **change})


def test_amounts_are_whole_rupiah():
    assert client.to_midtrans_amount(Decimal("445500.00")) == 445500
    for bad in (Decimal("0.5"), Decimal(0), Decimal(-1), Decimal("NaN")):
        with pytest.raises(ValueError):
            client.to_midtrans_amount(bad)
    with pytest.raises(TypeError):
        client.to_midtrans_amount(1.5)
    assert client.from_midtrans_amount("445500.00") == Decimal(445500)


@pytest.mark.parametrize(
    ("code", "amount", "fee"),
    [
        ("bca_va", 445500, 4000),
        ("mandiri_bill", 10000, 4000),
        ("qris", 445500, 3119),  # 3.118,5 rounds half up
        ("gopay", 445500, 8910),
        ("shopeepay", 12345, 247),  # 246,9
    ],
)
def test_fees_per_method_from_settings_in_whole_rupiah(code, amount, fee):
    assert METHODS[code].fee_for(Decimal(amount)) == Decimal(fee)


def test_fee_shares_add_up_exactly_to_the_fee():
    assert allocate(Decimal(3119), [Decimal(310000), Decimal(135500)]) == [Decimal(2170), Decimal(949)]
    assert allocate(Decimal(10), [Decimal(1), Decimal(1), Decimal(1)]) == [Decimal(4), Decimal(3), Decimal(3)]
    for total in range(0, 50):
        shares = allocate(Decimal(total), [Decimal(7), Decimal(13), Decimal(1)])
        assert sum(shares) == total and all(share >= 0 for share in shares)
    assert allocate(Decimal(5), []) == []


def test_expiry_per_method_comes_from_settings(settings):
    settings.MARKETPLACE_MIDTRANS_EXPIRY_MINUTES = {"bca_va": 90, "qris": 5}
    assert METHODS["bca_va"].expiry_minutes() == 90
    assert METHODS["qris"].expiry_minutes() == 5
    assert METHODS["gopay"].expiry_minutes() == 15  # the default for e-wallets


def test_every_method_has_how_to_pay_steps():
    for method in METHODS.values():
        steps = how_to_pay(method)
        assert steps and all(channel and len(channel_steps) >= 3 for channel, channel_steps in steps), method.code
    channels = [channel for channel, _steps in how_to_pay(METHODS["bri_va"])]
    assert "ATM BRI" in channels or "BRI ATM" in channels


def test_the_qr_is_an_inline_svg_of_the_qr_string():
    svg = str(qr_svg("00020101021226670016COM.NOBUBANK.WWW011893600503", label="QRIS"))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and 'aria-label="QRIS"' in svg
    assert svg.count("M") > 50  # many dark modules
    assert "<script" not in str(qr_svg('"><script>alert(1)</script>', label='"><b>'))

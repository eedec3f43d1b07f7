import random
from decimal import Decimal

import pytest

from invoices.tax import PpnSplit, split_ppn, tax_totals

RATE = Decimal("0.11")


@pytest.mark.parametrize(
    ("gross", "dpp", "ppn"),
    [
        (1_110_000, 1_000_000, 110_000),  # the textbook case: 11 % on top of 1.000.000
        (0, 0, 0),
        (1, 1, 0),  # 0,90 rounds up to 1: nothing is left for PPN
        (2, 2, 0),  # 1,80
        (111, 100, 11),
        (1_250_000, 1_126_126, 123_874),  # 1.126.126,13 rounds down
        (150_000, 135_135, 14_865),  # 135.135,14
        (999_999_999_999, 900_900_900_900, 99_099_099_099),
    ],
)
def test_ppn_is_split_out_of_the_inclusive_price(gross, dpp, ppn):
    split = split_ppn(Decimal(gross), rate=RATE)

    assert (split.gross, split.dpp, split.ppn) == (Decimal(gross), Decimal(dpp), Decimal(ppn))


def test_dpp_rounds_half_up():
    # at 12 %, 14 × 100 / 112 is exactly 12,5
    assert split_ppn(14, rate=Decimal("0.12")) == PpnSplit(gross=Decimal(14), dpp=Decimal(13), ppn=Decimal(1))
    # and 13 × 100 / 112 = 11,607 rounds to 12
    assert split_ppn(13, rate=Decimal("0.12")).dpp == Decimal(12)


def test_a_zero_rate_leaves_everything_as_dpp():
    assert split_ppn(150_000, rate=Decimal(0)) == PpnSplit(Decimal(150_000), Decimal(150_000), Decimal(0))


def test_dpp_and_ppn_always_add_up_to_the_gross_and_ppn_is_within_half_a_rupiah():
    rng = random.Random(11)
    amounts = [*range(0, 3000), *(rng.randrange(0, 10**12) for _ in range(3000))]
    for gross in amounts:
        split = split_ppn(gross, rate=RATE)
        assert split.dpp + split.ppn == gross
        assert split.dpp == split.dpp.to_integral_value() and split.ppn >= 0
        exact_ppn = Decimal(gross) * RATE / (1 + RATE)
        assert abs(split.ppn - exact_ppn) <= Decimal("0.5")


def test_totals_are_the_sums_of_the_rounded_parts():
    splits = [split_ppn(gross, rate=RATE) for gross in (1_110_000, 150_000, 1)]

    totals = tax_totals(splits)

    assert totals.gross == Decimal(1_260_001)
    assert (totals.dpp, totals.ppn) == (Decimal(1_135_136), Decimal(124_865))
    assert totals.dpp + totals.ppn == totals.gross
    assert tax_totals([]).gross == 0


@pytest.mark.parametrize("gross", [Decimal("-1"), Decimal("10.5"), Decimal("NaN")])
def test_refuses_negative_fractional_or_unknown_amounts(gross):
    with pytest.raises(ValueError):
        split_ppn(gross, rate=RATE)


@pytest.mark.parametrize("rate", [Decimal("-0.01"), Decimal("1"), Decimal("1.5")])
def test_refuses_nonsense_rates(rate):
    with pytest.raises(ValueError):
        split_ppn(100, rate=rate)


def test_refuses_floats():
    with pytest.raises(TypeError):
        split_ppn(100.0, rate=RATE)
    with pytest.raises(TypeError):
        split_ppn(100, rate=0.11)

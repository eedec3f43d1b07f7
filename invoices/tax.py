"""PPN arithmetic for invoices. Pure functions: no database, no settings.

Our prices include PPN (see `sellers.Seller.is_vat_registered`). For a VAT-registered (PKP)
pesantren the invoice shows the tax base (DPP) and the PPN inside the gross amount:

    DPP = gross × 100 / (100 + rate × 100), rounded to whole rupiah (core.money's rule: half up)
    PPN = gross − DPP

PPN is the remainder rather than rounded on its own, so DPP + PPN is always exactly the gross and
the invoice adds up to the rupiah.
"""

from dataclasses import dataclass
from decimal import Decimal

from core.money import is_whole_rupiah, round_rupiah


@dataclass(frozen=True)
class PpnSplit:
    gross: Decimal
    dpp: Decimal
    ppn: Decimal


def _checked_amount(amount) -> Decimal:
    if isinstance(amount, float):
        raise TypeError("Money must be a Decimal or an int, never a float.")
    amount = Decimal(amount)
    if not amount.is_finite() or amount < 0:
        raise ValueError("An amount must be zero or more rupiah.")
    if not is_whole_rupiah(amount):
        raise ValueError(f"Amounts are whole rupiah, not {amount}.")
    return round_rupiah(amount)


def split_ppn(gross, *, rate) -> PpnSplit:
    """Split a PPN-inclusive gross amount (whole rupiah) into DPP and PPN at `rate` (e.g. 0.11)."""
    gross = _checked_amount(gross)
    if isinstance(rate, float):
        raise TypeError("The rate must be a Decimal, never a float.")
    rate = Decimal(rate)
    if not rate.is_finite() or rate < 0 or rate >= 1:
        raise ValueError("The PPN rate must be at least 0 and below 1.")
    dpp = round_rupiah(gross * 100 / (100 + rate * 100))
    return PpnSplit(gross=gross, dpp=dpp, ppn=gross - dpp)


@dataclass(frozen=True)
class TaxTotals:
    gross: Decimal
    dpp: Decimal
    ppn: Decimal


def tax_totals(splits: list[PpnSplit]) -> TaxTotals:
    """The invoice's totals over the VAT-registered sections: sums of the rounded parts, so they add up."""
    gross = sum((s.gross for s in splits), Decimal(0))
    dpp = sum((s.dpp for s in splits), Decimal(0))
    ppn = sum((s.ppn for s in splits), Decimal(0))
    return TaxTotals(gross=gross, dpp=dpp, ppn=ppn)

"""Rupiah: the project's one formatter and one rounding rule.

Rupiah has no minor unit in daily use, so money is kept and shown in whole rupiah:
- every amount the marketplace computes (commission, tax base, refunds, totals, exports) is rounded
  with `round_rupiah`: to the nearest rupiah, halves up, as Indonesian invoices and PPN round;
- every amount shown to a person (pages, emails, PDFs, messages) goes through `format_rupiah`:
  "Rp 150.000", dots between thousands, in every language. Templates get it as the `currency`
  filter (Oscar's library included, see marketplace/apps.py); the pages' scripts as
  static/js/rupiah.js, the same rule;
- what people type ("Rp 5.000.000") is read by `parse_rupiah`.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ROUNDING = ROUND_HALF_UP
# Whole rupiah as Indonesians type them: "15000", "15.000", "Rp 15.000" or "Rp. 15.000".
_TYPED_RUPIAH = re.compile(r"^(?:rp\.?\s*)?(-?)(\d{1,3}(?:\.\d{3})+|\d+)$", re.IGNORECASE)


def round_rupiah(amount, *, step: int = 1) -> Decimal:
    """`amount` rounded to whole rupiah (or to a multiple of `step` rupiah, e.g. 100), halves up."""
    if isinstance(amount, float):
        raise TypeError("Money must be a Decimal, an int or a string, never a float.")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise ValueError(f"Not an amount of money: {amount}.")
    return (amount / step).quantize(Decimal(1), rounding=ROUNDING) * step


def rupiah_int(amount) -> int:
    """Whole rupiah as an int, for bank files, CSV exports and APIs."""
    return int(round_rupiah(amount))


def is_whole_rupiah(amount) -> bool:
    amount = Decimal(amount)
    return amount.is_finite() and amount == amount.to_integral_value()


def format_rupiah(amount) -> str:
    """ "Rp 150.000", "-Rp 5.000", "Rp 0": rounded to whole rupiah; "" for no amount."""
    if amount is None or amount == "":
        return ""
    if isinstance(amount, float):
        # Only for display: a template may hand over a float (Oscar's filter takes them too).
        amount = Decimal(repr(amount))
    try:
        whole = rupiah_int(amount)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if whole < 0 else ""
    return f"{sign}Rp {abs(whole):,}".replace(",", ".")


def parse_rupiah(text: str) -> int | None:
    """The whole rupiah a person typed ("Rp 5.000.000" is 5000000), or None when it is not one."""
    match = _TYPED_RUPIAH.match(str(text).strip())
    if not match:
        return None
    sign, digits = match.groups()
    return int(sign + digits.replace(".", ""))

"""One rupiah formatter and one rounding rule (core/money.py), used by every page, message, PDF and export."""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation
from oscar.templatetags.currency_filters import currency as oscar_currency

from core.money import format_rupiah, parse_rupiah, round_rupiah, rupiah_int

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("150000"), "Rp 150.000"),
        (Decimal("1250000.00"), "Rp 1.250.000"),
        (Decimal("0"), "Rp 0"),
        (15000, "Rp 15.000"),
        (Decimal("-150000"), "-Rp 150.000"),
        (Decimal("-0.4"), "Rp 0"),
        (Decimal("999"), "Rp 999"),
        (Decimal("1000"), "Rp 1.000"),
        (Decimal("12345678901234"), "Rp 12.345.678.901.234"),
        (Decimal("1250000.50"), "Rp 1.250.001"),
        ("150000", "Rp 150.000"),
        (150000.0, "Rp 150.000"),
    ],
)
def test_rupiah_shows_with_dots_and_no_decimals_in_every_language(amount, shown, language):
    with translation.override(language):
        assert format_rupiah(amount) == shown


@pytest.mark.parametrize("nothing", [None, "", "not money"])
def test_no_amount_shows_nothing(nothing):
    assert format_rupiah(nothing) == ""


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(Decimal("150000"), "Rp 150.000"), (Decimal("-5000"), "-Rp 5.000"), (Decimal("100.5"), "Rp 101"), (0, "Rp 0")],
)
def test_the_currency_filter_of_every_template_is_the_project_formatter(amount, shown):
    # Oscar's own templates load `currency_filters`; settings point that library at core's formatter,
    # which rounds half up (Oscar's babel formatting would show Rp 100 for 100.5).
    rendered = Template("{% load currency_filters %}{{ price|currency }}").render(Context({"price": amount}))

    assert rendered == shown


@pytest.mark.parametrize("amount", [Decimal(0), Decimal(15000), Decimal(1250000), Decimal(987654321), Decimal(-5000)])
def test_oscar_internal_formatting_agrees_with_ours(amount):
    # Oscar's own Python code (offer descriptions, for instance) formats through OSCAR_CURRENCY_FORMAT.
    assert oscar_currency(amount) == format_rupiah(amount)


@pytest.mark.parametrize(
    ("amount", "step", "rounded"),
    [
        (Decimal("0.5"), 1, Decimal(1)),
        (Decimal("1.5"), 1, Decimal(2)),
        (Decimal("2.5"), 1, Decimal(3)),  # halves up, never to even
        (Decimal("2.49"), 1, Decimal(2)),
        (Decimal("-0.5"), 1, Decimal(-1)),
        (Decimal("7500.005"), 1, Decimal(7500)),
        (14950, 100, Decimal(15000)),
        (14949, 100, Decimal(14900)),
        ("1250", 500, Decimal(1500)),
    ],
)
def test_money_rounds_to_whole_rupiah_halves_up(amount, step, rounded):
    assert round_rupiah(amount, step=step) == rounded


def test_rounding_refuses_floats_and_non_numbers():
    with pytest.raises(TypeError):
        round_rupiah(0.1 + 0.2)
    with pytest.raises(ValueError):
        round_rupiah(Decimal("NaN"))
    assert rupiah_int(Decimal("1999.5")) == 2000


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("15000", 15000), ("15.000", 15000), ("Rp 15.000", 15000), ("rp.15.000", 15000), ("Rp 5.000.000", 5000000)],
)
def test_typed_rupiah_parse(typed, amount):
    assert parse_rupiah(typed) == amount


@pytest.mark.parametrize("typed", ["15,5", "1.50", "15.0000", "abc", "Rp", "1 500"])
def test_typed_non_rupiah_is_refused(typed):
    assert parse_rupiah(typed) is None


# --- No ad-hoc formatter or rounding rule may come back -----------------------------------------

ALLOWED = {
    Path("core/money.py"),
    Path("core/templatetags/money.py"),
    Path("static/js/rupiah.js"),
}
# Star ratings are rounded to halves and tenths: not money.
ROUNDS_RATINGS = {Path("ratings/selectors.py"), Path("ratings/templatetags/ratings_tags.py")}
SKIPPED_DIRS = {
    *(".git", ".venv", "node_modules", "__pycache__", "migrations", "tests"),
    *("vendor", "staticfiles", "locale", "var", "media", "benchmarks"),
}

AD_HOC_FORMATTING = {
    "a number pasted after Rp": re.compile(r"Rp\.?\s*(%\(|%s|%d|\{)"),
    "thousands dots by string replacement": re.compile(r"""\.replace\(\s*["'],["']\s*,\s*["']\.["']\s*\)"""),
    "Oscar's or babel's currency formatting": re.compile(r"currency_filters\s+import|format_currency|babel\.numbers"),
    "a browser number formatter": re.compile(r"Intl\.NumberFormat|toLocaleString"),
    "a formatter of its own": re.compile(r"def\s+\w*rupiah\w*\s*\(|function\s+\w*[Rr]upiah\w*\s*\("),
    "thousands separators in a format string": re.compile(r"\{[^{}]*:,[^{}]*\}"),
}
AD_HOC_ROUNDING = {
    "a rounding mode": re.compile(r"\bROUND_(HALF_UP|HALF_EVEN|HALF_DOWN|DOWN|UP|CEILING|FLOOR|05UP)\b"),
    "a Decimal quantize": re.compile(r"\.quantize\(\s*(Decimal|RUPIAH)"),
}
# Counts (not money) are printed with thousands separators by a management command.
COUNTS_WITH_SEPARATORS = {Path("regions/management/commands/load_regions.py")}


def _project_sources():
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = sorted(name for name in subdirectories if name not in SKIPPED_DIRS)
        for name in sorted(files):
            if Path(name).suffix not in {".py", ".html", ".txt", ".js"} or name.startswith("test_"):
                continue
            path = Path(directory) / name
            yield path.relative_to(ROOT), path.read_text(errors="replace")


def _offences(rules: dict, exempt: set[Path]) -> list[str]:
    found = []
    for relative, text in _project_sources():
        if relative in ALLOWED or relative in exempt:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            found.extend(
                f"{relative}:{number}: {what}: {line.strip()}" for what, rule in rules.items() if rule.search(line)
            )
    return found


def test_no_module_formats_rupiah_itself():
    assert any(relative == Path("invoices/pdf.py") for relative, _text in _project_sources())
    assert _offences(AD_HOC_FORMATTING, COUNTS_WITH_SEPARATORS) == []


def test_no_module_rounds_money_itself():
    assert _offences(AD_HOC_ROUNDING, ROUNDS_RATINGS) == []


def test_the_guard_would_catch_the_old_copies():
    old_copies = [
        'return f"{int(amount):,}".replace(",", ".")',
        '_("At most Rp %(amount)s can still be refunded.")',
        "from oscar.templatetags.currency_filters import currency",
        'var rupiah = new Intl.NumberFormat("id-ID", {style: "currency", currency: "IDR"});',
        "This is your order total of {{ total }} plus a unique code of Rp {{ code }}.",
    ]
    for line in old_copies:
        assert any(rule.search(line) for rule in AD_HOC_FORMATTING.values()), line
    assert AD_HOC_ROUNDING["a rounding mode"].search('amount.quantize(Decimal("1"), rounding=ROUND_DOWN)')

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from oscar.templatetags.currency_filters import currency


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("150000"), "Rp 150.000"),
        (Decimal("1250000.00"), "Rp 1.250.000"),
        (Decimal("0"), "Rp 0"),
        (15000, "Rp 15.000"),
    ],
)
def test_rupiah_shows_with_dots_and_no_decimals_in_every_language(amount, shown, language):
    with translation.override(language):
        assert currency(amount) == shown


def test_currency_filter_in_templates():
    rendered = Template("{% load currency_filters %}{{ price|currency }}").render(Context({"price": Decimal("150000")}))
    assert rendered == "Rp 150.000"

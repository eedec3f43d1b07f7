"""Oscar's basket line form, plus the wholesale MOQ when a verified off-taker changes a line's quantity.

Oscar checks a changed line against the line's stock policy with the quantity
*difference* (Basket.is_quantity_allowed), which cannot express a minimum; the MOQ is checked here on
the new total instead. It also keeps a line's recorded price at its tier price (see line_price_record).
"""

from django import forms
from oscar.apps.basket.forms import BasketLineForm as OscarBasketLineForm
from oscar.core.loading import get_model

from wholesale.strategy import MinimumQuantity, OfftakerStrategy

Line = get_model("basket", "Line")


def line_price_record(*, line, strategy) -> None:
    """Store the line's current unit price as Oscar's "price when added".

    Oscar stores the single-unit price on adding and warns when the line's price differs later; with volume
    tiers the line's quantity sets its price, so the tier price is what the buyer agreed to.
    """
    price = strategy.fetch_for_line(line).price
    if not price.exists:
        return
    fields = {"price_excl_tax": price.excl_tax, "price_incl_tax": price.incl_tax if price.is_tax_known else None}
    if any(getattr(line, name) != value for name, value in fields.items()):
        Line.objects.filter(pk=line.pk).update(**fields)
        for name, value in fields.items():
            setattr(line, name, value)


class BasketLineForm(OscarBasketLineForm):
    def check_permission(self, qty):
        super().check_permission(qty)
        self.check_wholesale_minimum(qty)

    def check_wholesale_minimum(self, qty):
        line = self.instance
        strategy = line.strategy
        if not isinstance(strategy, OfftakerStrategy) or line.stockrecord_id is None:
            return
        policy = strategy.availability_policy(line.product, line.stockrecord)
        if not isinstance(policy, MinimumQuantity):
            return
        # Other lines of the same stock record (other options) count too; `line.quantity` is still the saved one.
        total = line.basket.basket_quantity(line) - line.quantity + qty
        if total < policy.moq:
            _permitted, reason = policy.is_purchase_permitted(total)
            raise forms.ValidationError(reason)

    def save(self, commit=True):
        line = super().save(commit=commit)
        if commit and line.pk and isinstance(line.strategy, OfftakerStrategy):
            line_price_record(line=line, strategy=line.strategy)
        return line

"""The basket grouped by pesantren, for the basket and checkout templates.

Not named `shipping_tags`: that would shadow Oscar's library of the same name (templates.W003).
"""

from django import template

from shipping.repository import destination_kabupaten_of, is_checkout_address
from shipping.selectors import basket_groups as select_basket_groups

register = template.Library()


@register.simple_tag
def basket_groups(basket, shipping_method=None, formset=None, shipping_address=None):
    """The basket's pesantren groups, with shipping when the destination is known.

    Reuses the groups the shipping method already computed when given one. With a basket
    formset, each line gets `basket_form` and `basket_form_index` (the index Oscar's
    remove/save-for-later links need).
    """
    # Oscar wraps a method in an OfferDiscount when a shipping offer applies.
    method = getattr(shipping_method, "method", shipping_method)
    if method is not None and hasattr(method, "groups"):
        groups = method.groups(basket)
    else:
        groups = select_basket_groups(
            basket=basket,
            destination_kabupaten=destination_kabupaten_of(shipping_address),
            with_shipping=is_checkout_address(shipping_address),
        )
    if formset is not None:
        forms = {form.instance.pk: (index, form) for index, form in enumerate(formset)}
        for group in groups:
            for line in group.lines:
                line.basket_form_index, line.basket_form = forms.get(line.pk, (None, None))
    return groups

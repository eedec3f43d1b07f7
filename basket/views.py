"""Oscar's basket page, priced again after it deletes lines while another line is invalid."""

from oscar.apps.basket.views import BasketView as OscarBasketView
from oscar.core.loading import get_class

Applicator = get_class("offer.applicator", "Applicator")


class BasketView(OscarBasketView):
    def remove_deleted_forms(self, formset):
        """Delete the marked lines, then drop them from the basket's cached, priced lines.

        The deleted lines are the very objects `basket.all_lines()` cached (the formset's queryset), so
        without this the page re-rendered with the other line's errors still lists and totals them; our
        grouped basket (`{% basket_groups %}`) then read their attributes and failed with a ValueError.
        Oscar's own valid-formset path reloads the basket and applies the offers again in the same way.
        """
        super().remove_deleted_forms(formset)
        basket = self.request.basket
        basket.reset_offer_applications()
        Applicator().apply(basket, self.request.user, self.request)

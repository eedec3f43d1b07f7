from oscar.apps.basket.abstract_models import AbstractBasket
from oscar.core.loading import is_model_registered

if not is_model_registered("basket", "Basket"):

    class Basket(AbstractBasket):
        @property
        def num_lines(self):
            # Oscar counts with a query and then reads the lines anyway (the header's item count, the
            # offers): counting the lines it read is one query less on every page.
            return len(self.all_lines())


from oscar.apps.basket.models import *  # noqa: E402, F403

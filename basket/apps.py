import oscar.apps.basket.apps as apps


class BasketConfig(apps.BasketConfig):
    """Oscar's basket app, forked for the basket line form (the wholesale MOQ), the basket view and the
    receiver that records a line's tier price."""

    name = "basket"

    def ready(self):
        super().ready()
        from basket import receivers  # noqa: F401

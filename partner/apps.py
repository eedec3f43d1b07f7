import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    """Oscar's partner app, forked for `partner/strategy.py` (the pricing strategy's selector)."""

    name = "partner"

from django.db import models
from django.utils.translation import gettext_lazy as _

from shipping.calculator import ShippingZone


class SellerShippingRate(models.Model):
    """A pesantren's own shipping rate for one zone, replacing the platform default for it.

    Zones without a row use settings.MARKETPLACE_DEFAULT_SHIPPING_RATES. Written only through
    `shipping.services.seller_shipping_rates_update`.
    """

    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="shipping_rates"
    )
    zone = models.CharField(_("zone"), max_length=20, choices=ShippingZone.choices)
    first_kg = models.PositiveIntegerField(
        _("first kilogram (Rp)"), help_text=_("Charge for a parcel up to one kilogram, in whole rupiah.")
    )
    next_kg = models.PositiveIntegerField(
        _("each further kilogram (Rp)"),
        help_text=_("Added for each further started kilogram, in whole rupiah."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["seller", "zone"]
        verbose_name = _("pesantren shipping rate")
        verbose_name_plural = _("pesantren shipping rates")
        constraints = [models.UniqueConstraint(fields=["seller", "zone"], name="shipping_rate_unique_seller_zone")]

    def __str__(self):
        return f"{self.seller} — {self.get_zone_display()}"


class ShippingChoice(models.Model):
    """The courier service a buyer chose at checkout for one pesantren's parcel, with the price charged.

    Written when the order is placed (`shipping.methods.PerPesantrenShipping.record_for_order`), in
    the order's transaction; `fulfilment.services.split_order` charges the part exactly this price.
    `provider` is "rate_table" for the pesantren's own rate table, else the courier aggregator.
    """

    order = models.ForeignKey(
        "order.Order", verbose_name=_("order"), on_delete=models.CASCADE, related_name="shipping_choices"
    )
    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.PROTECT, related_name="+"
    )
    provider = models.CharField(_("shipping provider"), max_length=20)
    courier_code = models.CharField(_("courier code"), max_length=32)
    courier_name = models.CharField(_("courier"), max_length=64)
    service_code = models.CharField(_("service code"), max_length=32)
    service_name = models.CharField(_("service"), max_length=64)
    etd = models.CharField(_("estimated delivery"), max_length=32, blank=True, help_text=_("e.g. 2 - 3 days"))
    price = models.DecimalField(_("shipping price"), max_digits=14, decimal_places=2)
    weight_grams = models.PositiveIntegerField(_("weight (grams)"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["order", "seller"]
        verbose_name = _("shipping choice")
        verbose_name_plural = _("shipping choices")
        constraints = [models.UniqueConstraint(fields=["order", "seller"], name="one_shipping_choice_per_part")]

    def __str__(self):
        return f"{self.courier_name} {self.service_name}"

    @property
    def label(self) -> str:
        return f"{self.courier_name} {self.service_name}".strip()


from oscar.apps.shipping.models import *  # noqa: E402,F403

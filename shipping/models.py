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


from oscar.apps.shipping.models import *  # noqa: E402,F403

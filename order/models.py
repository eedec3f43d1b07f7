from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.abstract_models import AbstractShippingAddress


class ShippingAddress(AbstractShippingAddress):
    """Oscar's shipping address plus Kemendagri region codes.

    Shipping is charged per pesantren by where the parcel goes relative to the pesantren (same
    kabupaten, same province, elsewhere), so checkout records the destination's regions.
    """

    kabupaten = models.ForeignKey(
        "regions.Region",
        verbose_name=_("Kabupaten/kota"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kecamatan = models.ForeignKey(
        "regions.Region", verbose_name=_("Kecamatan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    desa = models.ForeignKey(
        "regions.Region",
        verbose_name=_("Desa/kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The pin of the address, optional: same-day and instant couriers need it (couriers/).
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    def region_lines(self) -> list[str]:
        """The desa/kelurahan and kecamatan, as a courier reads them ("Desa Sukamaju", "Kec. Cibiru").

        Kemendagri codes tell them apart: a kelurahan's last part starts with 1, a desa's with 2."""
        lines = []
        if self.desa_id:
            kelurahan = self.desa_id.rsplit(".", 1)[-1].startswith("1")
            template = _("Kel. %(name)s") if kelurahan else _("Desa %(name)s")
            lines.append(template % {"name": self.desa.name})
        if self.kecamatan_id:
            lines.append(_("Kec. %(name)s") % {"name": self.kecamatan.name})
        return lines

    def active_address_fields(self):
        """Oscar's address lines with the desa and kecamatan between the street and the kabupaten/kota.

        Every page and email that prints an order's address (order, checkout preview, thank-you page)
        goes through here. The hash Oscar keeps of an address is unchanged (it reads `hash_fields`)."""
        street = self.get_address_field_values(["salutation", "line1", "line2", "line3"])
        rest = self.get_address_field_values(["line4", "state", "postcode", "country"])
        return [*street, *self.region_lines(), *rest]


from oscar.apps.order.models import *  # noqa: E402,F403

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


from oscar.apps.order.models import *  # noqa: E402,F403

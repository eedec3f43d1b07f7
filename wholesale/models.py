"""Wholesale conditions a pesantren sets on its stock records: volume price tiers and the MOQ."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.money import format_rupiah


class PriceTier(models.Model):
    """A volume price for verified off-takers: from `min_quantity` units, each costs `unit_price` rupiah."""

    stockrecord = models.ForeignKey(
        "partner.StockRecord", verbose_name=_("stock record"), on_delete=models.CASCADE, related_name="price_tiers"
    )
    min_quantity = models.PositiveIntegerField(_("minimum quantity"), validators=[MinValueValidator(2)])
    unit_price = models.PositiveIntegerField(_("unit price (Rp)"), validators=[MinValueValidator(1)])

    class Meta:
        db_table = "offtakers_pricetier"  # kept from the offtakers app this model moved out of
        verbose_name = _("price tier")
        verbose_name_plural = _("price tiers")
        ordering = ["stockrecord", "min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["stockrecord", "min_quantity"], name="offtakers_unique_tier_quantity")
        ]

    def __str__(self) -> str:
        return f"{self.min_quantity}+ @ {format_rupiah(self.unit_price)}"

    def clean(self) -> None:
        if not self.stockrecord_id or self.min_quantity is None or self.unit_price is None:
            return
        # Buying more must never cost more per unit: compare with the neighbouring tiers and the retail price.
        others = PriceTier.objects.filter(stockrecord_id=self.stockrecord_id).exclude(pk=self.pk)
        lower = others.filter(min_quantity__lt=self.min_quantity).order_by("-min_quantity").first()
        higher = others.filter(min_quantity__gt=self.min_quantity).order_by("min_quantity").first()
        ceiling = lower.unit_price if lower else self.stockrecord.price
        if ceiling is not None and self.unit_price > ceiling:
            raise ValidationError(
                {"unit_price": _("A tier price must not be higher than the price for smaller quantities.")}
            )
        if higher and self.unit_price < higher.unit_price:
            raise ValidationError(
                {"unit_price": _("A tier price must not be lower than the price for larger quantities.")}
            )


class WholesaleTerms(models.Model):
    """Wholesale conditions of one stock record; the MOQ applies to verified off-takers only."""

    stockrecord = models.OneToOneField(
        "partner.StockRecord", verbose_name=_("stock record"), on_delete=models.CASCADE, related_name="wholesale_terms"
    )
    moq = models.PositiveIntegerField(_("minimum order quantity"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        db_table = "offtakers_wholesaleterms"  # kept from the offtakers app this model moved out of
        verbose_name = _("wholesale terms")
        verbose_name_plural = _("wholesale terms")

    def __str__(self) -> str:
        return f"MOQ {self.moq}"

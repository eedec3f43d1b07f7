from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    REGENCY = 2, _("Kabupaten/Kota")
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Desa/Kelurahan")


class RegionQuerySet(models.QuerySet):
    def provinces(self):
        return self.filter(level=RegionLevel.PROVINCE)

    def regencies(self):
        return self.filter(level=RegionLevel.REGENCY)

    def districts(self):
        return self.filter(level=RegionLevel.DISTRICT)

    def villages(self):
        return self.filter(level=RegionLevel.VILLAGE)


class Region(models.Model):
    """An Indonesian administrative region under its Kemendagri code, e.g. `32.04.01.2001`.

    The code's number of dot-separated parts is its level; its parent is the code without the
    last part. Loaded by `manage.py load_regions` from the data shipped in `regions/data/`.
    """

    code = models.CharField(_("Kemendagri code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self):
        return self.name

    @staticmethod
    def level_of(code: str) -> int:
        return code.count(".") + 1

    @staticmethod
    def parent_code_of(code: str) -> str | None:
        return code.rsplit(".", 1)[0] if "." in code else None

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetMeasure(models.TextChoices):
    """Which pesantren a target counts."""

    REGISTERED = "registered", _("Registered pesantren")
    VERIFIED = "verified", _("Verified pesantren")
    SELLING = "selling", _("Selling pesantren")


class ProgrammeTarget(models.Model):
    """A goal of the programme office, e.g. 1,250 verified pesantren by the end of the first year.

    Edited in the Django admin; the programme dashboard shows the progress towards each one.
    The model also carries the `view_programme` permission of the programme officer role.
    """

    name = models.CharField(_("name"), max_length=128)
    target_count = models.PositiveIntegerField(
        _("target count"), validators=[MinValueValidator(1)], help_text=_("Number of pesantren to reach.")
    )
    deadline = models.DateField(_("deadline"))
    measure = models.CharField(
        _("counts"),
        max_length=20,
        choices=TargetMeasure.choices,
        default=TargetMeasure.VERIFIED,
        help_text=_("Which pesantren count towards the target."),
    )

    class Meta:
        ordering = ["deadline", "target_count"]
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        permissions = [("view_programme", _("Can view the programme office dashboard"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(target_count__gte=1), name="programme_target_positive")
        ]

    def __str__(self):
        return self.name

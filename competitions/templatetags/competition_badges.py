"""Competition badges on browse pages, read from the denormalised `Seller.competition_badges` (no query)."""

from django import template
from django.utils.translation import gettext as _

from competitions.models import Award

register = template.Library()


@register.filter
def badges_for(badges, product_id=None):
    """The pesantren's badges; only those of one product when `product_id` is given."""
    badges = badges or []
    if product_id in (None, ""):
        return badges
    return [badge for badge in badges if badge.get("product_id") == product_id]


@register.filter
def badge_label(badge) -> str:
    """E.g. “Juara 1 Lomba Produk Unggulan OPOP 2027”."""
    kind = badge.get("kind")
    award = dict(Award.choices).get(kind) or _("Finalist")
    return _("%(award)s %(competition)s %(year)s") % {
        "award": award,
        "competition": badge.get("competition", ""),
        "year": badge.get("year", ""),
    }


@register.filter
def blind(text, seller_name):
    """An entry's product text shown to a blind judge, the pesantren's name masked (competitions.access)."""
    from competitions.access import blind_text

    return blind_text(str(text or ""), seller_name)

from django.db.models import QuerySet

from regions.models import Region


def children_of(code: str) -> QuerySet[Region]:
    """The regions directly under `code`, by name; none for a blank code."""
    if not code:
        return Region.objects.none()
    return Region.objects.filter(parent_id=code).order_by("name").only("code", "name", "postal_code")

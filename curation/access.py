"""Which curations and products each programme role reaches, built on programme/access.py's scope.

- The provincial office reaches every curation; a district officer those of pesantren in its
  kabupaten (anything else is "not found").
- A curator reaches the queue (curations waiting for a curator) and the curations assigned to it,
  nothing else: no other curator's work, no mapping, nomination or cohort page.
Views look every object up here; none decides scope itself.
"""

from django.db.models import Q, QuerySet
from oscar.core.loading import get_model

from curation.models import Curation, CurationStatus, Rubric
from programme.access import ProgrammeScope, can_edit_rubric, can_request_curation
from sellers.models import Seller, SellerStatus

Product = get_model("catalogue", "Product")


def curations(scope: ProgrammeScope) -> QuerySet[Curation]:
    """Curations the scope may see: officers by the pesantren's kabupaten, curators the queue and their own."""
    records = Curation.objects.all()
    if scope.is_officer:
        visible = scope.region_filter("seller__kabupaten_id")
        if scope.curator:
            visible |= _curator_q(scope)
        return records.filter(visible)
    if scope.curator:
        return records.filter(_curator_q(scope))
    return records.none()


def _curator_q(scope: ProgrammeScope) -> Q:
    return Q(status=CurationStatus.QUEUED, curator__isnull=True) | Q(curator_id=scope.user_id)


def curation_for(scope: ProgrammeScope, pk) -> Curation | None:
    return (
        curations(scope)
        .select_related("product", "seller__kabupaten", "rubric", "curator")
        .prefetch_related("rubric__criteria", "scores")
        .filter(pk=pk)
        .first()
    )


def curation_withdrawable(scope: ProgrammeScope, pk) -> Curation | None:
    """An open curation an officer of its kabupaten may withdraw."""
    if not can_request_curation(scope):
        return None
    return (
        Curation.objects.filter(scope.region_filter("seller__kabupaten_id"))
        .filter(pk=pk, status__in=[CurationStatus.QUEUED, CurationStatus.ASSIGNED])
        .first()
    )


def curation_takeable(scope: ProgrammeScope, pk) -> Curation | None:
    """A queued curation nobody has taken yet: any curator may take it."""
    if not scope.curator:
        return None
    return Curation.objects.filter(pk=pk, status=CurationStatus.QUEUED, curator__isnull=True).first()


def curation_scorable(scope: ProgrammeScope, pk) -> Curation | None:
    """A curation assigned to this curator and not yet finalised."""
    if not scope.curator:
        return None
    return (
        Curation.objects.select_related("product", "seller", "rubric")
        .prefetch_related("rubric__criteria")
        .filter(pk=pk, status=CurationStatus.ASSIGNED, curator_id=scope.user_id)
        .first()
    )


def sellers_for_request(scope: ProgrammeScope) -> QuerySet[Seller]:
    """Verified pesantren whose products the scope may put up for curation."""
    if not can_request_curation(scope):
        return Seller.objects.none()
    return Seller.objects.filter(status=SellerStatus.VERIFIED).filter(scope.region_filter("kabupaten_id"))


def products_for_request(scope: ProgrammeScope) -> QuerySet:
    """Public products (not variants) of those pesantren."""
    partners = sellers_for_request(scope).exclude(partner__isnull=True).values("partner_id")
    return (
        Product.objects.filter(parent__isnull=True, is_public=True)
        .filter(Q(stockrecords__partner_id__in=partners) | Q(children__stockrecords__partner_id__in=partners))
        .distinct()
        .order_by("title", "pk")
    )


def rubrics_editable(scope: ProgrammeScope) -> QuerySet[Rubric]:
    if not can_edit_rubric(scope):
        return Rubric.objects.none()
    return Rubric.objects.all()

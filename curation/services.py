"""Curation's writes: the rubric's versions, the queue, scoring, and the stars copied onto the product.

Each runs in a short transaction and locks only the curation it changes (curations carry no money or
stock, so they sit outside core/locks.py's chain). Status changes go through core.transitions
(CURATION_MACHINE). The product's `curation_stars` / `curation_stars_until` are written here and
nowhere else.
"""

import calendar
import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.signals import products_changed
from core.transitions import TransitionNotAllowed, record_initial, transition
from curation import access
from curation.models import (
    RUBRIC_TOTAL_POINTS,
    Criterion,
    CriterionScore,
    Curation,
    CurationStatus,
    Rubric,
    stars_for_points,
)
from programme.access import ProgrammeScope, can_edit_rubric, scope_for

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months, on the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


# --- The rubric -----------------------------------------------------------------------------------


def rubric_current() -> Rubric | None:
    """The newest rubric version, with its criteria."""
    return Rubric.objects.prefetch_related("criteria").order_by("-version").first()


def rubric_publish(*, scope: ProgrammeScope, criteria: Iterable[Mapping], validity_months: int, created_by) -> Rubric:
    """Save the rubric as its next version: `criteria` are dicts of section, name and max_points, in order.

    Earlier versions stay as they are, with the curations scored on them. The points must add up to 100.
    """
    if not can_edit_rubric(scope):
        raise ValidationError(_("Only the provincial office edits the curation rubric."))
    rows = [
        {
            "section": str(row["section"]).strip(),
            "name": str(row["name"]).strip(),
            "max_points": int(row["max_points"]),
        }
        for row in criteria
    ]
    if not rows:
        raise ValidationError(_("Add at least one criterion."))
    for row in rows:
        if not row["section"] or not row["name"] or row["max_points"] < 1:
            raise ValidationError(_("Every criterion needs a section, a name and at least 1 point."))
    total = sum(row["max_points"] for row in rows)
    if total != RUBRIC_TOTAL_POINTS:
        raise ValidationError(
            _("The criteria add up to %(total)s points; they must add up to %(required)s.")
            % {"total": total, "required": RUBRIC_TOTAL_POINTS}
        )
    try:
        with transaction.atomic():
            latest = Rubric.objects.aggregate(latest=Max("version"))["latest"] or 0
            rubric = Rubric.objects.create(version=latest + 1, validity_months=validity_months, created_by=created_by)
            Criterion.objects.bulk_create(
                [Criterion(rubric=rubric, position=index, **row) for index, row in enumerate(rows, start=1)]
            )
    except IntegrityError as error:
        raise ValidationError(_("Someone saved the rubric at the same moment; open it again and retry.")) from error
    return rubric


# --- The queue ------------------------------------------------------------------------------------


def _seller_of(product):
    records = StockRecord.objects.filter(product__in=[product.pk, *product.children.values_list("pk", flat=True)])
    record = records.select_related("partner__seller").exclude(partner__seller__isnull=True).first()
    return record.partner.seller if record is not None else None


def curation_request(*, scope: ProgrammeScope, product, requested_by, curator=None) -> Curation:
    """Put a product of a pesantren in the scope up for curation, on the current rubric.

    With `curator` (a user holding the curator role) it goes straight to that curator.
    """
    if not access.products_for_request(scope).filter(pk=product.pk).exists():
        raise ValidationError(_("This product cannot be put up for curation."))
    rubric = rubric_current()
    if rubric is None:
        raise ValidationError(_("Set up the curation rubric first."))
    if curator is not None and not scope_for(curator).curator:
        raise ValidationError({"curator": _("This user is not a curator.")})
    already = _("%(product)s is already waiting for curation.") % {"product": product.get_title()}
    if Curation.objects.filter(product=product, status__in=[CurationStatus.QUEUED, CurationStatus.ASSIGNED]).exists():
        raise ValidationError(already)
    curation = Curation(product=product, seller=_seller_of(product), rubric=rubric, requested_by=requested_by)
    try:
        with transaction.atomic():
            curation.save()
            record_initial([curation], actor=requested_by)
            if curator is not None:
                transition(curation, CurationStatus.ASSIGNED, actor=requested_by, curator=curator)
    except IntegrityError as error:
        raise ValidationError(already) from error
    return curation


def _move(curation: Curation, to_status: str, **kwargs) -> Curation:
    with transaction.atomic():
        locked = Curation.objects.select_for_update().get(pk=curation.pk)
        try:
            transition(locked, to_status, **kwargs)
        except TransitionNotAllowed as error:
            raise ValidationError(str(error)) from error
    return locked


def curation_take(*, scope: ProgrammeScope, curation: Curation, curator) -> Curation:
    """A curator takes a queued curation: it is theirs to score."""
    if not scope.curator or scope.user_id != curator.pk:
        raise ValidationError(_("Only a curator takes a curation."))
    with transaction.atomic():
        locked = Curation.objects.select_for_update().get(pk=curation.pk)
        if locked.curator_id is not None:
            raise ValidationError(_("Another curator has already taken this product."))
        try:
            transition(locked, CurationStatus.ASSIGNED, actor=curator, curator=curator)
        except TransitionNotAllowed as error:
            raise ValidationError(str(error)) from error
    return locked


def curation_withdraw(*, scope: ProgrammeScope, curation: Curation, withdrawn_by, note: str = "") -> Curation:
    if access.curation_withdrawable(scope, curation.pk) is None:
        raise ValidationError(_("This curation cannot be withdrawn."))
    return _move(curation, CurationStatus.WITHDRAWN, actor=withdrawn_by, note=note.strip())


def score_errors(curation: Curation, points: Mapping[int, object]) -> dict[int, str]:
    """Per criterion id, what is wrong with its points (missing, not a whole number, out of bounds)."""
    errors = {}
    for criterion in curation.rubric.criteria.all():
        value = points.get(criterion.pk)
        if value is None or value == "":
            errors[criterion.pk] = _("Enter the points for this criterion.")
            continue
        if isinstance(value, bool) or not str(value).strip().lstrip("-").isdigit():
            errors[criterion.pk] = _("Enter a whole number.")
            continue
        number = int(str(value).strip())
        if not 0 <= number <= criterion.max_points:
            errors[criterion.pk] = _("Enter between 0 and %(max)s points.") % {"max": criterion.max_points}
    return errors


def curation_finalise(
    *, scope: ProgrammeScope, curation: Curation, points: Mapping[int, object], note: str, curator
) -> Curation:
    """Score every criterion of the curation's rubric and finalise it: total, stars and their validity.

    Out-of-range or missing points raise a ValidationError naming each criterion, and nothing is
    saved. The product then shows the stars of its latest finalised curation.
    """
    if access.curation_scorable(scope, curation.pk) is None or scope.user_id != curator.pk:
        raise ValidationError(_("This curation is not yours to score."))
    errors = score_errors(curation, points)
    if errors:
        raise ValidationError({str(pk): message for pk, message in errors.items()})
    criteria = list(curation.rubric.criteria.all())
    values = {criterion.pk: int(points[criterion.pk]) for criterion in criteria}
    total = sum(values.values())
    stars = stars_for_points(total)
    today = timezone.localdate()
    with transaction.atomic():
        locked = Curation.objects.select_for_update().select_related("rubric").get(pk=curation.pk)
        if locked.status != CurationStatus.ASSIGNED or locked.curator_id != curator.pk:
            raise ValidationError(_("This curation is not yours to score."))
        CriterionScore.objects.bulk_create(
            [CriterionScore(curation=locked, criterion_id=pk, points=value) for pk, value in values.items()]
        )
        transition(
            locked,
            CurationStatus.FINALISED,
            actor=curator,
            note=note.strip(),
            data={"total_points": total, "stars": stars, "rubric_version": locked.rubric.version},
            total_points=total,
            stars=stars,
            curator_note=note.strip(),
            finalised_at=timezone.now(),
            valid_until=add_months(today, locked.rubric.validity_months),
        )
        product_stars_refresh(product_id=locked.product_id)
    return locked


def product_stars_refresh(*, product_id: int) -> None:
    """Copy the product's latest finalised curation's stars and expiry onto it, and re-index it."""
    latest = (
        Curation.objects.filter(product_id=product_id, status=CurationStatus.FINALISED)
        .order_by("-finalised_at", "-pk")
        .values("stars", "valid_until")
        .first()
    )
    stars, until = (latest["stars"], latest["valid_until"]) if latest else (0, None)
    Product.objects.filter(pk=product_id).update(curation_stars=stars or 0, curation_stars_until=until)
    products_changed.send(sender=Curation, product_ids=[product_id])

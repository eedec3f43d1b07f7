"""The programme's writes: mapping, invitations, nominations, cohorts, targets and stages, roles,
mentor assignments and mentors' visits.

Callers pass the user's `ProgrammeScope` (programme/access.py); every service re-checks that the
objects it is given are inside it, so a view that forgot a check still changes nothing outside.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image

from core import outbox
from core.identifiers import compact_nspp
from core.transitions import TransitionNotAllowed, record_initial, transition
from dashboard.catalogue.products import validate_product_photo
from programme import access
from programme.access import ProgrammeScope
from programme.imports import MappingImportInvalid, RowError, parse
from programme.models import (
    DEFAULT_STAGES,
    AccessAction,
    AccessEvent,
    ActionItem,
    Cohort,
    MappedPesantren,
    MentorAssignment,
    MentorVisit,
    Nomination,
    NominationStatus,
    Participant,
    PesantrenInvitation,
    ProgrammeRole,
    ProgrammeTarget,
    RoleKind,
    Stage,
    StageEvent,
    VisitPhoto,
)
from regions.models import Region
from sellers.models import Seller

INVITATION_VALID_DAYS = 30


def _require_officer_for(scope: ProgrammeScope, kabupaten_code: str) -> None:
    if not (scope.is_officer and scope.covers_kabupaten(kabupaten_code)):
        raise PermissionDenied(_("This kabupaten/kota is outside your area."))


def _require_provincial(scope: ProgrammeScope) -> None:
    if not scope.provincial:
        raise PermissionDenied(_("Only the provincial office can do this."))


def _registered_seller(nspp: str) -> Seller | None:
    return Seller.objects.filter(nspp=nspp, mapped_record__isnull=True).first()


# --- Mapping --------------------------------------------------------------------------------------


def mapping_record(*, scope: ProgrammeScope, data: dict, recorded_by) -> MappedPesantren:
    """Record one pesantren of a kecamatan in the scope. `data` holds the model's fields.

    The NSPP is stored compact; a registered pesantren with the same NSPP is linked at once.
    """
    kecamatan: Region = data["kecamatan"]
    _require_officer_for(scope, kecamatan.parent_id)
    record = MappedPesantren(**{**data, "kabupaten_id": kecamatan.parent_id, "recorded_by": recorded_by})
    record.nspp = compact_nspp(record.nspp)
    record.email = (record.email or "").strip().lower()
    record.full_clean(exclude=["seller", "recorded_by"])
    record.seller = _registered_seller(record.nspp)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        raise ValidationError({"nspp": _("A pesantren with this NSPP is already mapped.")}) from error
    return record


def mapping_update(*, scope: ProgrammeScope, record: MappedPesantren, data: dict) -> MappedPesantren:
    if access.mapped_pesantren_editable(scope).filter(pk=record.pk).first() is None:
        raise PermissionDenied(_("This pesantren is outside your area."))
    kecamatan = data.get("kecamatan", record.kecamatan)
    _require_officer_for(scope, kecamatan.parent_id)
    for name, value in data.items():
        setattr(record, name, value)
    record.kabupaten_id = kecamatan.parent_id
    record.nspp = compact_nspp(record.nspp)
    record.full_clean(exclude=["seller", "recorded_by"])
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        raise ValidationError({"nspp": _("A pesantren with this NSPP is already mapped.")}) from error
    return record


def mapping_import(*, scope: ProgrammeScope, kabupaten: Region, upload, recorded_by) -> list[MappedPesantren]:
    """Import a CSV of the kabupaten's pesantren: every row, or none (MappingImportInvalid lists why)."""
    from programme.imports import read_text

    _require_officer_for(scope, kabupaten.code)
    rows = parse(read_text(upload), kabupaten=kabupaten)
    nspps = [row.values["nspp"] for row in rows]
    sellers = {
        seller.nspp: seller for seller in Seller.objects.filter(nspp__in=nspps, mapped_record__isnull=True).only("nspp")
    }
    records = [
        MappedPesantren(**row.values, seller=sellers.get(row.values["nspp"]), recorded_by=recorded_by) for row in rows
    ]
    try:
        with transaction.atomic():
            MappedPesantren.objects.bulk_create(records)
    except IntegrityError as error:
        # Another import took one of the NSPPs between the check and the insert.
        raise MappingImportInvalid(
            [RowError(row=0, message=_("Some of these NSPPs were mapped meanwhile. Upload the file again."))]
        ) from error
    return records


# --- Invitations to register ----------------------------------------------------------------------


def invitation_send(
    *, scope: ProgrammeScope, pesantren: MappedPesantren, email: str, invited_by
) -> PesantrenInvitation:
    """Invite a mapped, unregistered pesantren to register; the link is mailed once this commits."""
    from programme.tasks import send_registration_invitation_email

    _require_officer_for(scope, pesantren.kabupaten_id)
    if pesantren.seller_id is not None:
        raise ValidationError({"email": _("This pesantren is already registered.")})
    email = (email or "").strip().lower()
    invitation = PesantrenInvitation(
        pesantren=pesantren,
        email=email,
        invited_by=invited_by,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_VALID_DAYS),
    )
    invitation.full_clean(exclude=["token"], validate_constraints=False)
    try:
        with transaction.atomic():
            invitation.save()
            if not pesantren.email:
                MappedPesantren.objects.filter(pk=pesantren.pk).update(email=email)
    except IntegrityError as error:
        raise ValidationError({"email": _("This pesantren already has an open invitation.")}) from error
    outbox.enqueue(send_registration_invitation_email, invitation.pk)
    return invitation


def invitation_revoke(*, scope: ProgrammeScope, invitation: PesantrenInvitation) -> PesantrenInvitation:
    _require_officer_for(scope, invitation.pesantren.kabupaten_id)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_accepted(*, invitation: PesantrenInvitation, seller: Seller, user) -> None:
    """The invited pesantren has applied: link its application to the mapped record."""
    with transaction.atomic():
        locked = PesantrenInvitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_open:
            raise ValidationError(_("This invitation is no longer open."))
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
        MappedPesantren.objects.filter(pk=locked.pesantren_id, seller__isnull=True).update(seller=seller)


def application_initial(record: MappedPesantren) -> dict:
    """The pesantren application's fields pre-filled from a mapped record."""
    return {
        "name": record.name,
        "nspp": record.nspp,
        "kabupaten": record.kabupaten_id,
        "kecamatan": record.kecamatan_id,
        "contact_name": record.contact_name,
        "email": record.email,
        "story": record.business_units,
        "tagline": record.products[:160],
    }


# --- Nominations ----------------------------------------------------------------------------------


def nominate(*, scope: ProgrammeScope, pesantren: MappedPesantren, nominated_by, reason: str = "") -> Nomination:
    """Nominate a mapped pesantren for its kecamatan; a pesantren holds one standing nomination."""
    _require_officer_for(scope, pesantren.kabupaten_id)
    already = _("%(name)s is already nominated.") % {"name": pesantren.name}
    if Nomination.objects.filter(pesantren=pesantren, status=NominationStatus.NOMINATED).exists():
        raise ValidationError(already)
    nomination = Nomination(
        pesantren=pesantren, kecamatan_id=pesantren.kecamatan_id, reason=reason.strip(), nominated_by=nominated_by
    )
    try:
        with transaction.atomic():
            nomination.save()
            record_initial([nomination], actor=nominated_by, note=nomination.reason)
    except IntegrityError as error:
        raise ValidationError(already) from error
    return nomination


def nomination_withdraw(*, scope: ProgrammeScope, nomination: Nomination, withdrawn_by, reason: str) -> Nomination:
    _require_officer_for(scope, nomination.pesantren.kabupaten_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the nomination is withdrawn.")})
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
        try:
            transition(locked, NominationStatus.WITHDRAWN, actor=withdrawn_by, note=reason.strip())
        except TransitionNotAllowed as error:
            raise ValidationError(str(error)) from error
    return locked


# --- Cohorts, stages and targets ------------------------------------------------------------------


def _stage_rows(names: list[str]) -> list[tuple[str, str]]:
    """(code, name) of each stage name, codes from the default stages where the name matches."""
    # A default stage keeps its code whichever language its name was typed or shown in.
    defaults = {}
    for language in {"en", settings.LANGUAGE_CODE, translation.get_language() or settings.LANGUAGE_CODE}:
        with translation.override(language):
            defaults.update({str(label).lower(): code for code, label in DEFAULT_STAGES})
    rows, seen = [], set()
    for name in names:
        code = defaults.get(name.lower()) or slugify(name)[:40] or f"stage-{len(rows) + 1}"
        if code in seen:
            raise ValidationError({"stages": _("Each stage needs a different name.")})
        seen.add(code)
        rows.append((code, name))
    return rows


def cohort_create(*, scope: ProgrammeScope, year: int, name: str, stage_names: list[str]) -> Cohort:
    _require_provincial(scope)
    if len(stage_names) < 2:
        raise ValidationError({"stages": _("A cohort needs at least two stages.")})
    cohort = Cohort(year=year, name=name.strip())
    cohort.full_clean()
    rows = _stage_rows(stage_names)
    with transaction.atomic():
        cohort.save()
        Stage.objects.bulk_create(
            [Stage(cohort=cohort, position=i, code=code, name=label) for i, (code, label) in enumerate(rows, start=1)]
        )
    return cohort


def cohort_stages_update(*, scope: ProgrammeScope, cohort: Cohort, stage_names: list[str]) -> list[Stage]:
    """Rename stages and add new ones at the end. A stage pesantren have been at is never removed."""
    _require_provincial(scope)
    if len(stage_names) < 2:
        raise ValidationError({"stages": _("A cohort needs at least two stages.")})
    with transaction.atomic():
        existing = list(Cohort.objects.select_for_update().get(pk=cohort.pk).stages.order_by("position"))
        if len(stage_names) < len(existing):
            if StageEvent.objects.filter(to_stage__in=existing[len(stage_names) :]).exists():
                raise ValidationError(
                    {"stages": _("A stage that pesantren have reached cannot be removed; rename it instead.")}
                )
            Stage.objects.filter(pk__in=[stage.pk for stage in existing[len(stage_names) :]]).delete()
            existing = existing[: len(stage_names)]
        for stage, name in zip(existing, stage_names, strict=False):
            if stage.name != name:
                stage.name = name
                stage.save(update_fields=["name"])
        codes = {stage.code for stage in existing}
        for position, name in enumerate(stage_names[len(existing) :], start=len(existing) + 1):
            code = slugify(name)[:40] or f"stage-{position}"
            while code in codes:
                code = f"{code[:36]}-{position}"
            codes.add(code)
            Stage.objects.create(cohort=cohort, position=position, code=code, name=name)
    return list(cohort.stages.order_by("position"))


def target_save(*, scope: ProgrammeScope, target: ProgrammeTarget) -> ProgrammeTarget:
    _require_provincial(scope)
    target.full_clean()
    target.save()
    return target


def target_delete(*, scope: ProgrammeScope, target: ProgrammeTarget) -> None:
    _require_provincial(scope)
    target.delete()


def participant_enrol(*, scope: ProgrammeScope, cohort: Cohort, pesantren: MappedPesantren, actor) -> Participant:
    """Enrol a registered mapped pesantren in a cohort at its first stage, with the first StageEvent."""
    _require_officer_for(scope, pesantren.kabupaten_id)
    if pesantren.seller_id is None:
        raise ValidationError(
            _("%(name)s has not registered yet: invite it to register first.") % {"name": pesantren.name}
        )
    first = cohort.stages.order_by("position").first()
    if first is None:
        raise ValidationError(_("This cohort has no stages."))
    already = _("%(name)s is already in %(cohort)s.") % {"name": pesantren.name, "cohort": cohort.name}
    if Participant.objects.filter(cohort=cohort, pesantren=pesantren).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            participant = Participant.objects.create(cohort=cohort, pesantren=pesantren, stage=first)
            StageEvent.objects.create(participant=participant, from_stage=None, to_stage=first, actor=actor)
    except IntegrityError as error:
        raise ValidationError(already) from error
    return participant


def participant_move(
    *, scope: ProgrammeScope, participant: Participant, to_stage: Stage, actor, note: str = ""
) -> StageEvent:
    """Move a participant one stage on, or one stage back (with a note saying why); writes a StageEvent.

    The one way a participant's stage changes. Skipping a stage is refused, as is a stage of another cohort.
    """
    _require_officer_for(scope, participant.pesantren.kabupaten_id)
    with transaction.atomic():
        locked = Participant.objects.select_for_update().select_related("stage").get(pk=participant.pk)
        current = locked.stage
        if to_stage.cohort_id != locked.cohort_id:
            raise ValidationError(_("That stage belongs to another cohort."))
        step = to_stage.position - current.position
        if step == -1 and not note.strip():
            raise ValidationError({"note": _("Say why the pesantren goes back a stage.")})
        if step not in (1, -1):
            raise ValidationError(
                _("%(name)s is at “%(current)s”: it can move only to the next stage or back one.")
                % {"name": locked.pesantren.name, "current": current.name}
            )
        event = StageEvent.objects.create(
            participant=locked, from_stage=current, to_stage=to_stage, actor=actor, note=note.strip()
        )
        locked.stage = to_stage
        locked.save(update_fields=["stage", "updated_at"])
    participant.stage = to_stage
    return event


# --- Roles and mentor assignments (every change leaves an AccessEvent) ----------------------------


def _audit(*, action: str, actor, user, kind: str, kabupaten_id=None, pesantren=None) -> AccessEvent:
    return AccessEvent.objects.create(
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        user=user,
        user_email=user.email,
        kind=kind,
        kabupaten_id=kabupaten_id,
        pesantren=pesantren,
    )


def _user_by_email(email: str, *, field: str = "email"):
    email = (email or "").strip()
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
    if user is None:
        raise ValidationError(
            {field: _("No active account uses %(email)s. Ask the person to register first.") % {"email": email}}
        )
    return user


def role_grant(*, scope: ProgrammeScope, email: str, kind: str, kabupaten: Region | None, granted_by) -> ProgrammeRole:
    """Give the user with `email` a programme role (a district officer's names its kabupaten/kota).

    Only the provincial office grants roles; a user holds each role once.
    """
    _require_provincial(scope)
    user = _user_by_email(email)
    if kind not in RoleKind.values:
        raise ValidationError({"kind": _("Choose a programme role.")})
    if kind == RoleKind.DISTRICT:
        if kabupaten is None:
            raise ValidationError({"kabupaten": _("A district officer needs the kabupaten/kota they work for.")})
        if not access.kabupaten_in_scope(scope).filter(code=kabupaten.code).exists():
            raise ValidationError({"kabupaten": _("This kabupaten/kota is outside the programme's province.")})
    else:
        kabupaten = None
    already = _("%(email)s already holds the role %(role)s.") % {
        "email": user.email,
        "role": RoleKind(kind).label,
    }
    if ProgrammeRole.objects.filter(user=user, kind=kind).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            role = ProgrammeRole.objects.create(user=user, kind=kind, kabupaten=kabupaten)
            _audit(
                action=AccessAction.ROLE_GRANTED,
                actor=granted_by,
                user=user,
                kind=kind,
                kabupaten_id=kabupaten.code if kabupaten else None,
            )
    except IntegrityError as error:
        raise ValidationError(already) from error
    return role


def role_revoke(*, scope: ProgrammeScope, role: ProgrammeRole, revoked_by) -> None:
    """Take a programme role away. A mentor's running assignments end with it (each audited too)."""
    _require_provincial(scope)
    if role.kind == RoleKind.PROVINCIAL and role.user_id == getattr(revoked_by, "pk", None):
        raise ValidationError(_("You cannot revoke your own provincial office role."))
    with transaction.atomic():
        locked = ProgrammeRole.objects.select_for_update().select_related("user").filter(pk=role.pk).first()
        if locked is None:
            return  # revoked meanwhile: nothing left to do
        if locked.kind == RoleKind.MENTOR:
            for assignment in (
                MentorAssignment.objects.select_for_update()
                .select_related("pesantren")
                .filter(mentor_id=locked.user_id, ended_at__isnull=True)
                .order_by("pk")
            ):
                _end_assignment(assignment, ended_by=revoked_by)
        _audit(
            action=AccessAction.ROLE_REVOKED,
            actor=revoked_by,
            user=locked.user,
            kind=locked.kind,
            kabupaten_id=locked.kabupaten_id,
        )
        locked.delete()


def mentor_assign(*, scope: ProgrammeScope, mentor, pesantren: MappedPesantren, assigned_by) -> MentorAssignment:
    """Assign a mentor (a user holding the mentor role) to a pesantren of the officer's area.

    A mentor has one running assignment per pesantren: assigning again is refused.
    """
    _require_officer_for(scope, pesantren.kabupaten_id)
    if not ProgrammeRole.objects.filter(user=mentor, kind=RoleKind.MENTOR).exists():
        raise ValidationError(
            {"email": _("%(email)s is not a mentor: the provincial office grants that role.") % {"email": mentor.email}}
        )
    already = _("%(email)s is already the mentor of %(name)s.") % {"email": mentor.email, "name": pesantren.name}
    if MentorAssignment.objects.filter(mentor=mentor, pesantren=pesantren, ended_at__isnull=True).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            assignment = MentorAssignment.objects.create(mentor=mentor, pesantren=pesantren, assigned_by=assigned_by)
            _audit(
                action=AccessAction.MENTOR_ASSIGNED,
                actor=assigned_by,
                user=mentor,
                kind=RoleKind.MENTOR,
                kabupaten_id=pesantren.kabupaten_id,
                pesantren=pesantren,
            )
    except IntegrityError as error:
        raise ValidationError(already) from error
    return assignment


def mentor_assign_by_email(
    *, scope: ProgrammeScope, email: str, pesantren: MappedPesantren, assigned_by
) -> MentorAssignment:
    _require_officer_for(scope, pesantren.kabupaten_id)
    return mentor_assign(scope=scope, mentor=_user_by_email(email), pesantren=pesantren, assigned_by=assigned_by)


def _end_assignment(assignment: MentorAssignment, *, ended_by) -> None:
    """Call with the assignment row locked."""
    assignment.ended_at = timezone.now()
    assignment.ended_by = ended_by if getattr(ended_by, "pk", None) else None
    assignment.save(update_fields=["ended_at", "ended_by"])
    _audit(
        action=AccessAction.MENTOR_ENDED,
        actor=ended_by,
        user=assignment.mentor,
        kind=RoleKind.MENTOR,
        kabupaten_id=assignment.pesantren.kabupaten_id,
        pesantren=assignment.pesantren,
    )


def mentor_assignment_end(*, scope: ProgrammeScope, assignment: MentorAssignment, ended_by) -> MentorAssignment:
    """End a running assignment: its visits stay on record; the mentor no longer reaches the pesantren."""
    _require_officer_for(scope, assignment.pesantren.kabupaten_id)
    with transaction.atomic():
        locked = (
            MentorAssignment.objects.select_for_update(of=("self",))
            .select_related("pesantren", "mentor")
            .get(pk=assignment.pk)
        )
        if locked.ended_at is None:
            _end_assignment(locked, ended_by=ended_by)
    return locked


# --- Mentor visits, their photos and action items -------------------------------------------------

MAX_ACTION_ITEMS = 5
MAX_VISIT_PHOTOS = 6
_PHOTO_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def _require_own_assignment(scope: ProgrammeScope, assignment: MentorAssignment) -> None:
    if not scope.mentor or assignment.mentor_id != scope.user_id or assignment.ended_at is not None:
        raise PermissionDenied(_("This pesantren is not assigned to you."))


def _checked_photos(photos: list, *, already: int = 0) -> list[tuple[object, str]]:
    """Each upload checked like a product photo (type from its bytes, size, dimensions), with its type."""
    if already + len(photos) > MAX_VISIT_PHOTOS:
        raise ValidationError({"photos": _("At most %(count)d photos per visit.") % {"count": MAX_VISIT_PHOTOS}})
    checked, errors = [], []
    for upload in photos:
        try:
            validate_product_photo(upload)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        upload.seek(0)
        with Image.open(upload) as image:
            content_type = _PHOTO_CONTENT_TYPES[image.format]
        upload.seek(0)
        checked.append((upload, content_type))
    if errors:
        raise ValidationError({"photos": errors})
    return checked


def _save_photos(visit: MentorVisit, checked: list) -> list[VisitPhoto]:
    saved = []
    for upload, content_type in checked:
        photo = VisitPhoto(visit=visit, content_type=content_type, size=upload.size)
        photo.image.save(upload.name or "foto.jpg", upload, save=False)
        photo.save()
        saved.append(photo)
    return saved


def mentor_visit_log(
    *,
    scope: ProgrammeScope,
    assignment: MentorAssignment,
    visited_on,
    topics: str,
    notes: str,
    actions: list,
    photos: list = (),
) -> MentorVisit:
    """Log a visit of the mentor to an assigned pesantren, with its action items (description, due
    date) and photos.

    The visit may not be in the future; an action may not be due before the visit, nor in the past.
    Photos are checked like the seller centre's product photos; a bad one saves nothing.
    """
    _require_own_assignment(scope, assignment)
    errors = {}
    today = timezone.localdate()
    if visited_on > today:
        errors["visited_on"] = _("A visit cannot be in the future.")
    if len(actions) > MAX_ACTION_ITEMS:
        errors["actions"] = _("At most %(count)d action items per visit.") % {"count": MAX_ACTION_ITEMS}
    if any(due_on < visited_on for _description, due_on in actions):
        errors["actions"] = _("An action cannot be due before the visit.")
    elif any(due_on < today for _description, due_on in actions):
        errors["actions"] = _("An action cannot be due in the past: give a date from today on.")
    try:
        checked = _checked_photos(list(photos))
    except ValidationError as error:
        errors.update(error.message_dict)
        checked = []
    if errors:
        raise ValidationError(errors)
    visit = MentorVisit(assignment=assignment, visited_on=visited_on, topics=topics.strip(), notes=notes.strip())
    visit.full_clean(exclude=["assignment"])
    with transaction.atomic():
        visit.save()
        ActionItem.objects.bulk_create(
            [ActionItem(visit=visit, description=description.strip(), due_on=due_on) for description, due_on in actions]
        )
        _save_photos(visit, checked)
    return visit


def visit_photos_add(*, scope: ProgrammeScope, visit: MentorVisit, photos: list) -> list[VisitPhoto]:
    """Add photos to one of the mentor's own visits, up to the limit per visit."""
    _require_own_assignment(scope, visit.assignment)
    checked = _checked_photos(list(photos), already=visit.photos.count())
    with transaction.atomic():
        return _save_photos(visit, checked)


def action_item_mark_done(*, scope: ProgrammeScope, item: ActionItem, done_by) -> ActionItem:
    """The mentor marks an action of their own visit done (once: marking it again changes nothing)."""
    _require_own_assignment(scope, item.visit.assignment)
    ActionItem.objects.filter(pk=item.pk, done_at__isnull=True).update(done_at=timezone.now(), done_by=done_by)
    item.refresh_from_db(fields=["done_at", "done_by"])
    return item

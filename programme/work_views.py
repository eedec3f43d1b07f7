"""The programme's own work: mapping pesantren, inviting and nominating them, cohorts and stages.

Views stay thin: the scope and every object look-up come from programme/access.py (an object
outside the user's scope is "not found"), the writes from programme/services.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from programme import access, selectors, services
from programme.access import (
    MentorOrOfficerRequiredMixin,
    MentorRequiredMixin,
    ProgrammeOfficerRequiredMixin,
    ProvincialOfficeRequiredMixin,
)
from programme.forms import (
    CohortForm,
    EnrolForm,
    InvitationForm,
    MappedPesantrenForm,
    MappingImportForm,
    MentorVisitForm,
    NominationForm,
    StageMoveForm,
    StagesForm,
    TargetForm,
    WithdrawForm,
)
from programme.imports import MappingImportInvalid, template_csv
from programme.models import Cohort, NominationStatus, ProgrammeTarget, Stage


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class _KabupatenMixin(ProgrammeOfficerRequiredMixin):
    """Pages of one kabupaten (`code` in the URL): outside the user's scope it is not found."""

    def get_kabupaten(self):
        kabupaten = access.kabupaten_for(self.scope, self.kwargs["code"])
        if kabupaten is None:
            raise Http404
        return kabupaten


class MappedListView(_KabupatenMixin, View):
    template_name = "programme/mapped_list.html"

    def get(self, request, code):
        kabupaten = self.get_kabupaten()
        kecamatan_code = request.GET.get("kecamatan", "")
        query = request.GET.get("q", "").strip()
        records = selectors.mapped_list(
            access.mapped_pesantren(self.scope).filter(kabupaten=kabupaten), kecamatan_code=kecamatan_code, query=query
        )
        context = {
            "kabupaten": kabupaten,
            "records": records,
            "kecamatan_choices": access.kecamatan_in_scope(self.scope, kabupaten=kabupaten).only("code", "name"),
            "filters": {"kecamatan": kecamatan_code, "q": query},
        }
        return render(request, self.template_name, context)


class MappedCreateView(_KabupatenMixin, View):
    template_name = "programme/mapped_form.html"

    def get(self, request, code):
        kabupaten = self.get_kabupaten()
        initial = {"kecamatan": request.GET.get("kecamatan")} if request.GET.get("kecamatan") else None
        return self.render(kabupaten, MappedPesantrenForm(kabupaten=kabupaten, initial=initial))

    def post(self, request, code):
        kabupaten = self.get_kabupaten()
        form = MappedPesantrenForm(request.POST, kabupaten=kabupaten)
        if form.is_valid():
            try:
                record = services.mapping_record(scope=self.scope, data=form.mapping_data(), recorded_by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(name)s is recorded.") % {"name": record.name})
                return redirect("programme:mapped-detail", pk=record.pk)
        return self.render(kabupaten, form, status=400)

    def render(self, kabupaten, form, status=200):
        return render(self.request, self.template_name, {"kabupaten": kabupaten, "form": form}, status=status)


class MappedImportView(_KabupatenMixin, View):
    template_name = "programme/mapped_import.html"

    def get(self, request, code):
        return self.render(self.get_kabupaten(), MappingImportForm())

    def post(self, request, code):
        kabupaten = self.get_kabupaten()
        form = MappingImportForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            try:
                records = services.mapping_import(
                    scope=self.scope, kabupaten=kabupaten, upload=form.cleaned_data["file"], recorded_by=request.user
                )
            except MappingImportInvalid as invalid:
                errors = invalid.errors
            else:
                messages.success(
                    request,
                    _("%(count)d pesantren imported into %(kabupaten)s.")
                    % {"count": len(records), "kabupaten": kabupaten.name},
                )
                return redirect("programme:mapped-list", code=kabupaten.code)
        return self.render(kabupaten, form, errors=errors, status=400)

    def render(self, kabupaten, form, errors=(), status=200):
        context = {"kabupaten": kabupaten, "form": form, "row_errors": errors}
        return render(self.request, self.template_name, context, status=status)


class ImportTemplateView(ProgrammeOfficerRequiredMixin, View):
    def get(self, request):
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="pemetaan-pesantren.csv"'
        return response


class _RecordMixin(ProgrammeOfficerRequiredMixin):
    def get_record(self):
        record = access.mapped_pesantren_for(self.scope, self.kwargs["pk"])
        if record is None:
            raise Http404
        return record


class MappedDetailView(_RecordMixin, View):
    template_name = "programme/mapped_detail.html"

    def get(self, request, pk):
        return self.render(self.get_record())

    def render(self, record, *, invitation_form=None, nomination_form=None, withdraw_form=None, status=200):
        standing = record.nominations.filter(status=NominationStatus.NOMINATED).first()
        context = {
            "record": record,
            "standing": standing,
            "history": selectors.nomination_history(pesantren=record),
            "invitations": list(record.invitations.all()),
            "participations": list(record.participations.select_related("cohort", "stage")),
            "invitation_form": invitation_form or InvitationForm(initial={"email": record.email}),
            "nomination_form": nomination_form or NominationForm(),
            "withdraw_form": withdraw_form or WithdrawForm(),
        }
        return render(self.request, self.template_name, context, status=status)


class MappedEditView(_RecordMixin, View):
    template_name = "programme/mapped_form.html"

    def get(self, request, pk):
        record = self.get_record()
        return self.render(record, MappedPesantrenForm(instance=record, kabupaten=record.kabupaten))

    def post(self, request, pk):
        record = self.get_record()
        form = MappedPesantrenForm(request.POST, instance=record, kabupaten=record.kabupaten)
        if form.is_valid():
            try:
                services.mapping_update(scope=self.scope, record=record, data=form.mapping_data())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("programme:mapped-detail", pk=record.pk)
        return self.render(record, form, status=400)

    def render(self, record, form, status=200):
        context = {"kabupaten": record.kabupaten, "form": form, "record": record}
        return render(self.request, self.template_name, context, status=status)


class NominateView(_RecordMixin, View):
    template_name = MappedDetailView.template_name

    def post(self, request, pk):
        record = self.get_record()
        form = NominationForm(request.POST)
        if form.is_valid():
            try:
                services.nominate(
                    scope=self.scope, pesantren=record, nominated_by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is nominated for %(kecamatan)s.")
                    % {"name": record.name, "kecamatan": record.kecamatan.name},
                )
                return redirect("programme:mapped-detail", pk=record.pk)
        return MappedDetailView.render(self, record, nomination_form=form, status=400)


class NominationWithdrawView(ProgrammeOfficerRequiredMixin, View):
    template_name = MappedDetailView.template_name

    def post(self, request, pk):
        nomination = access.nomination_for(self.scope, pk)
        if nomination is None:
            raise Http404
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.nomination_withdraw(
                    scope=self.scope,
                    nomination=nomination,
                    withdrawn_by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The nomination is withdrawn."))
                return redirect("programme:mapped-detail", pk=nomination.pesantren_id)
        record = access.mapped_pesantren_for(self.scope, nomination.pesantren_id)
        return MappedDetailView.render(self, record, withdraw_form=form, status=400)


class InviteView(_RecordMixin, View):
    template_name = MappedDetailView.template_name

    def post(self, request, pk):
        record = self.get_record()
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                services.invitation_send(
                    scope=self.scope, pesantren=record, email=form.cleaned_data["email"], invited_by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("An invitation to register is on its way to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("programme:mapped-detail", pk=record.pk)
        return MappedDetailView.render(self, record, invitation_form=form, status=400)


# --- Cohorts --------------------------------------------------------------------------------------


class CohortListView(ProgrammeOfficerRequiredMixin, View):
    template_name = "programme/cohort_list.html"

    def get(self, request):
        return self.render(CohortForm() if self.scope.provincial else None)

    def post(self, request):
        if not self.scope.provincial:
            raise PermissionDenied
        form = CohortForm(request.POST)
        if form.is_valid():
            try:
                cohort = services.cohort_create(
                    scope=self.scope,
                    year=form.cleaned_data["year"],
                    name=form.cleaned_data["name"],
                    stage_names=form.cleaned_data["stages"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(name)s is created.") % {"name": cohort.name})
                return redirect("programme:cohort", pk=cohort.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {"cohorts": Cohort.objects.all(), "form": form, "scope": self.scope}
        return render(self.request, self.template_name, context, status=status)


class _CohortMixin(ProgrammeOfficerRequiredMixin):
    def get_cohort(self) -> Cohort:
        cohort = Cohort.objects.filter(pk=self.kwargs["pk"]).first()
        if cohort is None:
            raise Http404
        return cohort


class CohortDetailView(_CohortMixin, View):
    """A cohort: the funnel per kabupaten (of the user's scope), its targets, its participants."""

    template_name = "programme/cohort_detail.html"

    def get(self, request, pk):
        return self.render(self.get_cohort())

    def render(self, cohort, *, stages_form=None, enrol_error="", status=200):
        stages = selectors.cohort_stages(cohort)
        participants = (
            access.participants(self.scope)
            .filter(cohort=cohort)
            .select_related("pesantren__kecamatan", "pesantren__kabupaten", "stage")
            .order_by("pesantren__kabupaten_id", "pesantren__name", "pk")
        )
        enrollable = (
            selectors.mapped_list(access.mapped_pesantren_editable(self.scope))
            .filter(seller__isnull=False, is_nominated=True)
            .exclude(participations__cohort=cohort)
        )
        following = {stage.pk: (stages[i + 1] if i + 1 < len(stages) else None) for i, stage in enumerate(stages)}
        rows = [{"participant": participant, "next": following[participant.stage_id]} for participant in participants]
        context = {
            "cohort": cohort,
            "stages": stages,
            "funnel": selectors.funnel(cohort=cohort, stages=stages, kabupaten=access.kabupaten_in_scope(self.scope)),
            "targets": cohort.targets.all(),
            "rows": rows,
            "enrollable": enrollable,
            "scope": self.scope,
            "stages_form": stages_form
            or (StagesForm(initial={"stages": "\n".join(s.name for s in stages)}) if self.scope.provincial else None),
            "enrol_error": enrol_error,
        }
        return render(self.request, self.template_name, context, status=status)


class CohortStagesView(ProvincialOfficeRequiredMixin, _CohortMixin, View):
    template_name = CohortDetailView.template_name

    def post(self, request, pk):
        cohort = self.get_cohort()
        form = StagesForm(request.POST)
        if form.is_valid():
            try:
                services.cohort_stages_update(scope=self.scope, cohort=cohort, stage_names=form.cleaned_data["stages"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The stages are saved."))
                return redirect("programme:cohort", pk=cohort.pk)
        return CohortDetailView.render(self, cohort, stages_form=form, status=400)


class EnrolView(_CohortMixin, View):
    template_name = CohortDetailView.template_name

    def post(self, request, pk):
        cohort = self.get_cohort()
        form = EnrolForm(request.POST)
        record = None
        if form.is_valid():
            record = access.mapped_pesantren_editable(self.scope).filter(pk=form.cleaned_data["pesantren"]).first()
        if record is None:
            raise Http404
        try:
            services.participant_enrol(scope=self.scope, cohort=cohort, pesantren=record, actor=request.user)
        except ValidationError as error:
            return CohortDetailView.render(self, cohort, enrol_error=_error_text(error), status=400)
        messages.success(request, _("%(name)s joins %(cohort)s.") % {"name": record.name, "cohort": cohort.name})
        return redirect("programme:cohort", pk=cohort.pk)


class ParticipantView(ProgrammeOfficerRequiredMixin, View):
    """A participant's stage history; POST moves it one stage (programme.services.participant_move)."""

    template_name = "programme/participant.html"

    def get_participant(self):
        participant = access.participant_for(self.scope, self.kwargs["pk"])
        if participant is None:
            raise Http404
        return participant

    def get(self, request, pk):
        return self.render(self.get_participant(), StageMoveForm())

    def post(self, request, pk):
        participant = self.get_participant()
        form = StageMoveForm(request.POST)
        if form.is_valid():
            stage = Stage.objects.filter(pk=form.cleaned_data["stage"], cohort_id=participant.cohort_id).first()
            if stage is None:
                form.add_error("stage", _("Choose a stage of this cohort."))
            else:
                try:
                    services.participant_move(
                        scope=self.scope,
                        participant=participant,
                        to_stage=stage,
                        actor=request.user,
                        note=form.cleaned_data["note"],
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        _("%(name)s is now at “%(stage)s”.")
                        % {"name": participant.pesantren.name, "stage": stage.name},
                    )
                    if request.POST.get("back") == "cohort":
                        return redirect("programme:cohort", pk=participant.cohort_id)
                    return redirect("programme:participant", pk=participant.pk)
        return self.render(participant, form, status=400)

    def render(self, participant, form, status=200):
        stages = selectors.cohort_stages(participant.cohort)
        context = {
            "participant": participant,
            "stages": stages,
            "events": participant.events.select_related("from_stage", "to_stage", "actor"),
            "form": form,
        }
        return render(self.request, self.template_name, context, status=status)


# --- Targets (provincial office) ------------------------------------------------------------------


class TargetCreateView(ProvincialOfficeRequiredMixin, _CohortMixin, View):
    template_name = "programme/target_form.html"

    def get(self, request, pk):
        cohort = self.get_cohort()
        return render(request, self.template_name, {"cohort": cohort, "form": TargetForm()})

    def post(self, request, pk):
        cohort = self.get_cohort()
        form = TargetForm(request.POST, instance=ProgrammeTarget(cohort=cohort))
        if form.is_valid():
            services.target_save(scope=self.scope, target=form.instance)
            messages.success(request, _("The target is saved."))
            return redirect("programme:cohort", pk=cohort.pk)
        return render(request, self.template_name, {"cohort": cohort, "form": form}, status=400)


class TargetEditView(ProvincialOfficeRequiredMixin, View):
    template_name = "programme/target_form.html"

    def get_target(self):
        target = access.targets_editable(self.scope).select_related("cohort").filter(pk=self.kwargs["pk"]).first()
        if target is None:
            raise Http404
        return target

    def get(self, request, pk):
        target = self.get_target()
        context = {"cohort": target.cohort, "form": TargetForm(instance=target), "target": target}
        return render(request, self.template_name, context)

    def post(self, request, pk):
        target = self.get_target()
        if "delete" in request.POST:
            services.target_delete(scope=self.scope, target=target)
            messages.success(request, _("The target is deleted."))
        else:
            form = TargetForm(request.POST, instance=target)
            if not form.is_valid():
                context = {"cohort": target.cohort, "form": form, "target": target}
                return render(request, self.template_name, context, status=400)
            services.target_save(scope=self.scope, target=form.instance)
            messages.success(request, _("The target is saved."))
        if target.cohort_id:
            return redirect("programme:cohort", pk=target.cohort_id)
        return redirect("programme:overview")


# --- Mentors --------------------------------------------------------------------------------------


class MentorHomeView(MentorRequiredMixin, View):
    """A mentor's dashboard: their pesantren with the last visit and the marketplace's figures before
    and since the first visit, and the action items due next."""

    template_name = "programme/mentor_home.html"

    def get(self, request):
        context = {
            "progress": selectors.mentoring_progress(access.mentor_assignments(self.scope)),
            "due_items": selectors.next_action_items(access.mentor_action_items(self.scope)),
            "today": timezone.localdate(),
            "window_days": selectors.PROGRESS_WINDOW_DAYS,
        }
        return render(request, self.template_name, context)


class MentorVisitView(MentorRequiredMixin, View):
    """One assigned pesantren: the mentor's visits with their action items and photos, and a form to log one."""

    template_name = "programme/mentor_visits.html"

    def get_assignment(self):
        assignment = (
            access.mentor_assignments(self.scope)
            .select_related("pesantren__kecamatan", "pesantren__kabupaten")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if assignment is None:
            raise Http404
        return assignment

    def get(self, request, pk):
        return self.render(self.get_assignment(), MentorVisitForm())

    def post(self, request, pk):
        assignment = self.get_assignment()
        form = MentorVisitForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.mentor_visit_log(
                    scope=self.scope,
                    assignment=assignment,
                    visited_on=form.cleaned_data["visited_on"],
                    topics=form.cleaned_data["topics"],
                    notes=form.cleaned_data["notes"],
                    actions=form.cleaned_data["actions"],
                    photos=form.cleaned_data["photos"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "actions" in error.error_dict:
                    form.add_error(None, error.error_dict.pop("actions"))
                form.add_error(None, error)
            else:
                messages.success(request, _("The visit is logged."))
                return redirect("programme:mentor-visits", pk=assignment.pk)
        return self.render(assignment, form, status=400)

    def render(self, assignment, form, status=200):
        visits = assignment.visits.prefetch_related("action_items", "photos")
        context = {"assignment": assignment, "visits": visits, "form": form, "today": timezone.localdate()}
        return render(self.request, self.template_name, context, status=status)


class ActionItemDoneView(MentorRequiredMixin, View):
    """The mentor marks one of their action items done, from the dashboard or the visits page."""

    def post(self, request, pk):
        item = access.mentor_action_items(self.scope).select_related("visit__assignment").filter(pk=pk).first()
        if item is None:
            raise Http404
        services.action_item_mark_done(scope=self.scope, item=item, done_by=request.user)
        messages.success(request, _("“%(action)s” is done.") % {"action": item.description})
        if request.POST.get("back") == "visits":
            return redirect("programme:mentor-visits", pk=item.visit.assignment_id)
        return redirect("programme:mentor-home")


class VisitPhotoView(MentorOrOfficerRequiredMixin, View):
    """A visit photo, served from private storage to those who reach the visit's pesantren."""

    def get(self, request, pk):
        photo = access.visit_photos(self.scope).filter(pk=pk).first()
        if photo is None:
            raise Http404
        response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
        response["Cache-Control"] = "private, max-age=3600"
        return response

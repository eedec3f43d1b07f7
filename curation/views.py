"""Curation pages of the programme dashboard. Thin: scope and look-ups from curation/access.py and
programme/access.py (an object outside the user's scope is "not found"), writes from curation/services.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from curation import access, selectors, services
from curation.forms import CriterionFormSet, CurationRequestForm, RubricForm, ScoreForm, WithdrawForm
from curation.models import DEFAULT_VALIDITY_MONTHS, STAR_THRESHOLDS, Rubric
from programme.access import (
    CurationRequestRequiredMixin,
    CurationWorkRequiredMixin,
    CuratorRequiredMixin,
    RubricEditorRequiredMixin,
    can_edit_rubric,
    can_request_curation,
)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class QueueView(CurationWorkRequiredMixin, View):
    template_name = "curation/queue.html"

    def get(self, request):
        context = {
            **selectors.queue(self.scope),
            "scope": self.scope,
            "can_request": can_request_curation(self.scope),
            "can_edit_rubric": can_edit_rubric(self.scope),
            "thresholds": STAR_THRESHOLDS,
        }
        return render(request, self.template_name, context)


class RequestView(CurationRequestRequiredMixin, View):
    template_name = "curation/request_form.html"

    def get(self, request):
        initial = {"product": request.GET.get("product")} if request.GET.get("product", "").isdigit() else None
        return self.render(self.form(initial=initial))

    def post(self, request):
        form = self.form(data=request.POST)
        if form.is_valid():
            try:
                curation = services.curation_request(
                    scope=self.scope,
                    product=form.cleaned_data["product"],
                    requested_by=request.user,
                    curator=form.cleaned_data["curator"],
                )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(
                    request, _("%(product)s is in the curation queue.") % {"product": curation.product.get_title()}
                )
                return redirect("curation:detail", pk=curation.pk)
        return self.render(form, status=400)

    def form(self, **kwargs):
        return CurationRequestForm(products=access.products_for_request(self.scope), **kwargs)

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form}, status=status)


class _CurationMixin(CurationWorkRequiredMixin):
    def get_curation(self):
        curation = access.curation_for(self.scope, self.kwargs["pk"])
        if curation is None:
            raise Http404
        return curation


class DetailView(_CurationMixin, View):
    template_name = "curation/detail.html"

    def get(self, request, pk):
        curation = self.get_curation()
        context = {
            "curation": curation,
            "scores": selectors.scores_by_section(curation),
            "events": selectors.curation_history(curation),
            "can_take": access.curation_takeable(self.scope, pk) is not None,
            "can_score": access.curation_scorable(self.scope, pk) is not None,
            "can_withdraw": access.curation_withdrawable(self.scope, pk) is not None,
            "withdraw_form": WithdrawForm(),
        }
        return render(request, self.template_name, context)


class TakeView(CuratorRequiredMixin, View):
    def post(self, request, pk):
        curation = access.curation_takeable(self.scope, pk)
        if curation is None:
            raise Http404
        try:
            services.curation_take(scope=self.scope, curation=curation, curator=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("curation:queue")
        messages.success(request, _("The product is yours to score."))
        return redirect("curation:score", pk=pk)


class ScoreView(CuratorRequiredMixin, View):
    template_name = "curation/score_form.html"

    def get_curation(self):
        curation = access.curation_scorable(self.scope, self.kwargs["pk"])
        if curation is None:
            raise Http404
        return curation

    def get(self, request, pk):
        curation = self.get_curation()
        return self.render(curation, ScoreForm(curation=curation))

    def post(self, request, pk):
        curation = self.get_curation()
        form = ScoreForm(request.POST, curation=curation)
        if form.is_valid():
            try:
                finalised = services.curation_finalise(
                    scope=self.scope,
                    curation=curation,
                    points=form.points(),
                    note=form.cleaned_data["note"],
                    curator=request.user,
                )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(
                    request,
                    _("Curation finalised: %(points)s points, %(stars)s stars.")
                    % {"points": finalised.total_points, "stars": finalised.stars},
                )
                return redirect("curation:detail", pk=pk)
        return self.render(curation, form, status=400)

    def render(self, curation, form, status=200):
        context = {"curation": curation, "form": form, "thresholds": STAR_THRESHOLDS}
        return render(self.request, self.template_name, context, status=status)


class WithdrawView(CurationRequestRequiredMixin, View):
    def post(self, request, pk):
        curation = access.curation_withdrawable(self.scope, pk)
        if curation is None:
            raise Http404
        form = WithdrawForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            services.curation_withdraw(scope=self.scope, curation=curation, withdrawn_by=request.user, note=note)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The curation is withdrawn."))
        return redirect("curation:queue")


class RubricView(RubricEditorRequiredMixin, View):
    template_name = "curation/rubric.html"

    def get(self, request):
        versions = access.rubrics_editable(self.scope).prefetch_related("criteria").select_related("created_by")
        versions = list(versions[:10])
        context = {"current": versions[0] if versions else None, "versions": versions}
        return render(request, self.template_name, context)


class RubricEditView(RubricEditorRequiredMixin, View):
    template_name = "curation/rubric_form.html"

    def get(self, request):
        current = services.rubric_current()
        initial = [
            {"section": c.section, "name": c.name, "max_points": c.max_points}
            for c in (current.criteria.all() if current else [])
        ]
        form = RubricForm(initial={"validity_months": current.validity_months if current else DEFAULT_VALIDITY_MONTHS})
        return self.render(form, CriterionFormSet(initial=initial, prefix="criteria"), current)

    def post(self, request):
        current = services.rubric_current()
        form = RubricForm(request.POST)
        formset = CriterionFormSet(request.POST, prefix="criteria")
        if form.is_valid() and formset.is_valid():
            rows = [row for row in formset.cleaned_data if row and row.get("name")]
            try:
                rubric = services.rubric_publish(
                    scope=self.scope,
                    criteria=rows,
                    validity_months=form.cleaned_data["validity_months"],
                    created_by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("Rubric version %(version)s is saved.") % {"version": rubric.version})
                return redirect("curation:rubric")
        return self.render(form, formset, current, status=400)

    def render(self, form, formset, current: Rubric | None, status=200):
        context = {"form": form, "formset": formset, "current": current}
        return render(self.request, self.template_name, context, status=status)

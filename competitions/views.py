"""Competition pages: the provincial office's set-up and rounds, judges' scoring, pesantren entries.

Views stay thin: scope and look-ups from competitions/access.py (built on programme/access.py and
sellers/access.py), writes from competitions/services.py. Outside the scope is "not found".
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from oscar.core.loading import get_model

from competitions import access, selectors, services
from competitions.forms import CompetitionForm, ConflictForm, EntryForm, JudgeAssignForm, ScoreForm
from competitions.models import Competition, EntryStatus
from core.transitions import TransitionNotAllowed
from programme.access import JudgeRequiredMixin, ProvincialOfficeRequiredMixin, ProvincialOrJudgeRequiredMixin
from sellers.access import PesantrenStaffRequiredMixin

Product = get_model("catalogue", "Product")


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class CompetitionListView(ProvincialOrJudgeRequiredMixin, View):
    template_name = "competitions/list.html"

    def get(self, request):
        return self.render(CompetitionForm() if self.scope.provincial else None)

    def post(self, request):
        if not self.scope.provincial:
            raise PermissionDenied
        form = CompetitionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                competition = services.competition_create(
                    scope=self.scope,
                    name=data["name"],
                    year=data["year"],
                    sector=data["sector"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    blind=data["blind"],
                    harapan_count=data["harapan_count"],
                    criteria=data["criteria"],
                    rounds=data["rounds"],
                    created_by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("%(name)s is created.") % {"name": competition})
                return redirect("competitions:detail", pk=competition.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {"competitions": access.competitions(self.scope), "form": form, "scope": self.scope}
        return render(self.request, self.template_name, context, status=status)


class _CompetitionMixin(ProvincialOrJudgeRequiredMixin):
    def get_competition(self) -> Competition:
        competition = access.competition_for(self.scope, self.kwargs["pk"])
        if competition is None:
            raise Http404
        return competition


class CompetitionDetailView(_CompetitionMixin, View):
    """The office's page of a competition (rubric, rounds, entries, judges); a judge's work list."""

    def get(self, request, pk):
        competition = self.get_competition()
        if not self.scope.provincial:
            return self.render_judge(competition)
        return self.render_office(competition)

    def render_judge(self, competition):
        round_ = selectors.open_round(competition)
        entries = access.entries(self.scope, competition)
        context = {
            "competition": competition,
            "round": round_,
            "rounds": selectors.rounds_of(competition),
            "work": selectors.judge_work(entries, round_=round_, judge=self.request.user),
            "show_pesantren": access.shows_pesantren(self.scope, competition),
        }
        return render(self.request, "competitions/judging.html", context)

    def render_office(self, competition, *, judge_form=None, conflict_form=None, error="", status=200):
        entries = list(
            access.entries(self.scope, competition).select_related("product", "seller", "round").order_by("code")
        )
        judges = [assignment.judge for assignment in competition.judges.select_related("judge")]
        sellers = sorted({entry.seller for entry in entries}, key=lambda seller: seller.name)
        context = {
            "competition": competition,
            "criteria": selectors.criteria_of(competition),
            "rounds": selectors.rounds_of(competition),
            "entries": entries,
            "judges": judges,
            "conflicts": competition.conflicts.select_related("judge", "seller"),
            "judge_form": judge_form or JudgeAssignForm(),
            "conflict_form": conflict_form or ConflictForm(judges=judges, sellers=sellers),
            "error": error,
        }
        return render(self.request, "competitions/detail.html", context, status=status)


class _OfficeCompetitionMixin(ProvincialOfficeRequiredMixin):
    def get_competition(self) -> Competition:
        competition = access.competition_manageable(self.scope, self.kwargs["pk"])
        if competition is None:
            raise Http404
        return competition

    def back(self, competition):
        return redirect("competitions:detail", pk=competition.pk)

    def refuse(self, competition, error, **forms):
        return CompetitionDetailView.render_office(self, competition, error=error, status=400, **forms)


class JudgeAssignView(_OfficeCompetitionMixin, View):
    def post(self, request, pk):
        competition = self.get_competition()
        form = JudgeAssignForm(request.POST)
        if not form.is_valid():
            return self.refuse(competition, "", judge_form=form)
        try:
            assignment = services.judge_assign(
                scope=self.scope, competition=competition, email=form.cleaned_data["email"], assigned_by=request.user
            )
        except ValidationError as error:
            return self.refuse(competition, _error_text(error), judge_form=form)
        messages.success(request, _("%(email)s judges this competition.") % {"email": assignment.judge.email})
        return self.back(competition)


class ConflictDeclareView(_OfficeCompetitionMixin, View):
    def post(self, request, pk):
        competition = self.get_competition()
        judges = [assignment.judge for assignment in competition.judges.select_related("judge")]
        sellers = {entry.seller for entry in competition.entries.select_related("seller")}
        form = ConflictForm(request.POST, judges=judges, sellers=sellers)
        if not form.is_valid():
            return self.refuse(competition, "", conflict_form=form)
        judge = next(user for user in judges if user.pk == form.cleaned_data["judge"])
        seller = next(seller for seller in sellers if seller.pk == form.cleaned_data["seller"])
        try:
            services.conflict_declare(
                scope=self.scope,
                competition=competition,
                judge=judge,
                seller=seller,
                reason=form.cleaned_data["reason"],
                declared_by=request.user,
            )
        except ValidationError as error:
            return self.refuse(competition, _error_text(error), conflict_form=form)
        messages.success(request, _("The conflict of interest is recorded: the judge no longer sees its entries."))
        return self.back(competition)


class JudgingStartView(_OfficeCompetitionMixin, View):
    def post(self, request, pk):
        competition = self.get_competition()
        try:
            round_ = services.judging_start(scope=self.scope, competition=competition, actor=request.user)
        except (ValidationError, TransitionNotAllowed) as error:
            return self.refuse(competition, _error_text(error) if isinstance(error, ValidationError) else str(error))
        messages.success(request, _("Entries are closed and %(round)s is open for judging.") % {"round": round_.name})
        return self.back(competition)


class RoundCloseView(ProvincialOfficeRequiredMixin, View):
    def post(self, request, pk):
        round_ = access.round_for(self.scope, pk)
        if round_ is None:
            raise Http404
        try:
            services.round_close(scope=self.scope, round_=round_, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("%(round)s is closed and the ranking decided.") % {"round": round_.name})
        return redirect("competitions:ranking", pk=round_.pk)


class RankingView(ProvincialOrJudgeRequiredMixin, View):
    template_name = "competitions/ranking.html"

    def get(self, request, pk):
        round_ = access.round_for(self.scope, pk)
        if round_ is None:
            raise Http404
        competition = round_.competition
        rows = selectors.ranking(round_, access.entries(self.scope, competition))
        context = {
            "competition": competition,
            "round": round_,
            "rounds": selectors.rounds_of(competition),
            "rows": rows,
            "criteria": selectors.criteria_of(competition),
            "show_pesantren": access.shows_pesantren(self.scope, competition),
            "scope": self.scope,
        }
        return render(request, self.template_name, context)


class ScoreView(JudgeRequiredMixin, View):
    """A judge scores one entry in its open round (again, to change the scores, until it closes)."""

    template_name = "competitions/score.html"

    def get_entry(self):
        entry = access.entry_for_judging(self.scope, self.kwargs["pk"])
        if entry is None:
            raise Http404
        return entry

    def get(self, request, pk):
        entry = self.get_entry()
        criteria = selectors.criteria_of(entry.competition)
        initial = {}
        card = selectors.scorecard_of(entry=entry, round_=entry.round, judge=request.user) if entry.round else None
        if card is not None:
            initial = {f"criterion_{score.criterion_id}": score.points for score in card.scores.all()}
            initial["comment"] = card.comment
        return self.render(entry, ScoreForm(initial=initial, criteria=criteria), scored=card is not None)

    def post(self, request, pk):
        entry = self.get_entry()
        form = ScoreForm(request.POST, criteria=selectors.criteria_of(entry.competition))
        if form.is_valid():
            try:
                services.scorecard_submit(
                    scope=self.scope, entry=entry, points=form.points(), comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("Scores for %(code)s are saved.") % {"code": entry.code})
                return redirect("competitions:detail", pk=entry.competition_id)
        return self.render(entry, form, status=400)

    def render(self, entry, form, *, scored=False, status=200):
        context = {
            "entry": entry,
            "competition": entry.competition,
            "form": form,
            "scored": scored,
            "round_open": entry.round is not None
            and entry.round.status == "open"
            and entry.status != EntryStatus.ELIMINATED,
            "show_pesantren": access.shows_pesantren(self.scope, entry.competition),
        }
        return render(self.request, self.template_name, context, status=status)


class RecuseView(JudgeRequiredMixin, View):
    """A judge declares a conflict of interest with an entry: it leaves their list."""

    def post(self, request, pk):
        entry = access.entry_for_judging(self.scope, pk)
        if entry is None:
            raise Http404
        services.judge_recuse(scope=self.scope, entry=entry, reason=request.POST.get("reason", "")[:255])
        messages.success(request, _("You no longer judge %(code)s.") % {"code": entry.code})
        return redirect("competitions:detail", pk=entry.competition_id)


class SellerEntriesView(PesantrenStaffRequiredMixin, View):
    """A pesantren's competitions: the open ones to enter its own products in, and its entries."""

    template_name = "competitions/seller_entries.html"

    def form(self, data=None):
        products = (
            Product.objects.filter(stockrecords__partner_id=self.seller.partner_id)
            .distinct()
            .order_by("title")
            .only("pk", "title", "structure", "parent_id")
        )
        return EntryForm(data, competitions=selectors.open_competitions_for(self.seller), products=products)

    def get(self, request):
        return self.render(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            competition = Competition.objects.get(pk=form.cleaned_data["competition"])
            product = Product.objects.get(pk=form.cleaned_data["product"])
            try:
                entry = services.entry_submit(
                    seller=self.seller, competition=competition, product=product, entered_by=request.user
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, _error_text(error) if isinstance(error, ValidationError) else str(error))
            else:
                messages.success(
                    request,
                    _("%(product)s is entered in %(competition)s as %(code)s.")
                    % {"product": product.get_title(), "competition": competition, "code": entry.code},
                )
                return redirect("competitions-seller:entries")
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {"form": form, "entries": selectors.entries_of_seller(self.seller), "seller": self.seller}
        return render(self.request, self.template_name, context, status=status)

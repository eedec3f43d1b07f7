"""Programme staff's event pages: create and edit events, registrations, check-in, meetings, showcase.

Who may open them and which events each officer reaches come from programme/access.py (an event of
another kabupaten is "not found"); writes from events.services.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from events import selectors, services
from events.forms import CheckInForm, EventForm, MeetingForm, ShowcaseForm
from programme import access
from programme.access import ProgrammeOfficerRequiredMixin
from sellers.models import Seller


class EventListView(ProgrammeOfficerRequiredMixin, View):
    template_name = "events/staff/list.html"

    def get(self, request):
        return render(request, self.template_name, {"events": selectors.staff_events(self.scope)[:200]})


class _EventFormMixin(ProgrammeOfficerRequiredMixin):
    template_name = "events/staff/form.html"

    def make_form(self, *args, **kwargs):
        return EventForm(
            *args,
            kabupaten_choices=access.kabupaten_in_scope(self.scope),
            host_choices=access.officer_records(self.scope, Seller.objects.all()),
            **kwargs,
        )

    def render_form(self, form, event=None, status=200):
        return render(self.request, self.template_name, {"form": form, "event": event}, status=status)


class EventCreateView(_EventFormMixin, View):
    def get(self, request):
        initial = {"kabupaten": self.scope.home_kabupaten} if self.scope.home_kabupaten else None
        return self.render_form(self.make_form(initial=initial))

    def post(self, request):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                event = services.event_create(scope=self.scope, data=form.event_data(), actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(title)s is on the calendar.") % {"title": event.title})
                return redirect("events-programme:detail", pk=event.pk)
        return self.render_form(form, status=400)


class _StaffEventMixin(ProgrammeOfficerRequiredMixin):
    def get_event(self, pk):
        event = selectors.staff_event_for(self.scope, pk)
        if event is None:
            raise Http404
        return event


class EventEditView(_StaffEventMixin, _EventFormMixin, View):
    def get(self, request, pk):
        event = self.get_event(pk)
        return self.render_form(self.make_form(instance=event), event)

    def post(self, request, pk):
        event = self.get_event(pk)
        form = self.make_form(request.POST, instance=selectors.staff_event_for(self.scope, pk))
        if form.is_valid():
            try:
                services.event_update(scope=self.scope, event=event, data=form.event_data(), actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("events-programme:detail", pk=event.pk)
        return self.render_form(form, event, status=400)


class EventStaffDetailView(_StaffEventMixin, View):
    template_name = "events/staff/detail.html"

    def get(self, request, pk):
        event = self.get_event(pk)
        context = {"event": event, "registrations": selectors.event_registrations(event)}
        return render(request, self.template_name, context)


class CheckInView(_StaffEventMixin, View):
    """Check a participant in by the token of their QR code (scanned into `?kode=`, or typed)."""

    template_name = "events/staff/checkin.html"

    def get(self, request, pk):
        event = self.get_event(pk)
        form = CheckInForm(initial={"token": request.GET.get("kode", "")[:40]})
        return self.render(event, form)

    def post(self, request, pk):
        event = self.get_event(pk)
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                registration = services.check_in(event=event, token=form.cleaned_data["token"], actor=request.user)
            except ValidationError as error:
                form.add_error("token", error)
            else:
                messages.success(request, _("%(name)s is checked in.") % {"name": registration.party_name})
                return redirect("events-programme:checkin", pk=event.pk)
        return self.render(event, form, status=400)

    def render(self, event, form, status=200):
        attended = [r for r in selectors.event_registrations(event) if r.status == "attended"]
        context = {"event": event, "form": form, "attended": attended}
        return render(self.request, self.template_name, context, status=status)


class MeetingsView(_StaffEventMixin, View):
    template_name = "events/staff/meetings.html"

    def get(self, request, pk):
        event = self.get_event(pk)
        if not event.is_business_meeting:
            raise Http404
        return self.render(event, self.make_form(event))

    def post(self, request, pk):
        event = self.get_event(pk)
        if not event.is_business_meeting:
            raise Http404
        form = self.make_form(event, request.POST)
        if form.is_valid():
            try:
                services.meeting_book(event=event, **form.meeting_data())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The meeting is scheduled."))
                return redirect("events-programme:meetings", pk=event.pk)
        return self.render(event, form, status=400)

    def make_form(self, event, data=None):
        registrations = [r for r in selectors.event_registrations(event) if r.status in ("registered", "attended")]
        return MeetingForm(data, registrations=registrations)

    def render(self, event, form, status=200):
        meetings = event.meetings.select_related("company_registration__company", "seller_registration__seller")
        context = {"event": event, "form": form, "meetings": meetings}
        return render(self.request, self.template_name, context, status=status)


class MeetingCancelView(_StaffEventMixin, View):
    def post(self, request, pk, meeting_pk):
        event = self.get_event(pk)
        services.meeting_cancel(event=event, meeting_id=meeting_pk)
        messages.success(request, _("The meeting is removed from the schedule."))
        return redirect("events-programme:meetings", pk=event.pk)


class ShowcaseEditView(_StaffEventMixin, View):
    template_name = "events/staff/showcase.html"

    def get(self, request, pk):
        event = self.get_event(pk)
        if not event.is_exhibition:
            raise Http404
        products = selectors.exhibitor_products(event)
        chosen = list(event.showcase_items.values_list("product_id", flat=True))
        return self.render(event, ShowcaseForm(products=products, initial={"products": chosen}))

    def post(self, request, pk):
        event = self.get_event(pk)
        if not event.is_exhibition:
            raise Http404
        form = ShowcaseForm(request.POST, products=selectors.exhibitor_products(event))
        if form.is_valid():
            try:
                services.showcase_set(event=event, product_ids=form.cleaned_data["products"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The showcase is saved."))
                return redirect("events-programme:showcase", pk=event.pk)
        return self.render(event, form, status=400)

    def render(self, event, form, status=200):
        return render(self.request, self.template_name, {"event": event, "form": form}, status=status)

"""Public pages of programme events and the pages of the pesantren and companies that register.

Thin views: who acts for which pesantren or company comes from sellers.access and companies.access,
reads from events.selectors, writes from events.services.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from companies.access import VerifiedCompanyMemberMixin, verified_company_for_user
from events import selectors, services
from events.certificates import certificate_pdf, verification_url
from events.forms import CertificateLookupForm, FilterForm
from events.models import EventKind, RegistrationStatus
from midtrans.qr import qr_svg
from sellers.access import DASHBOARD_PERMISSION, PesantrenStaffRequiredMixin, seller_for_user


def _pesantren_of(user):
    """The pesantren the user registers for (sellers.access), or None."""
    seller = seller_for_user(user=user)
    if seller is None or not user.has_perm(DASHBOARD_PERMISSION):
        return None
    return seller


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Public ---------------------------------------------------------------------------------------


class CalendarView(View):
    template_name = "events/calendar.html"

    def get(self, request):
        form = FilterForm(request.GET or None)
        kind = kabupaten = ""
        if form.is_valid():
            kind, kabupaten = form.cleaned_data["kind"], form.cleaned_data["kabupaten"]
        context = {
            "months": selectors.calendar(kind=kind, kabupaten=kabupaten),
            "form": form,
            "kinds": EventKind.choices,
            "kabupaten_choices": selectors.calendar_kabupaten(),
            "filters": {"kind": kind, "kabupaten": kabupaten},
        }
        return render(request, self.template_name, context)


class EventDetailView(View):
    template_name = "events/detail.html"

    def get(self, request, pk):
        event = selectors.event_for_public(pk)
        if event is None:
            raise Http404
        seller = _pesantren_of(request.user) if request.user.is_authenticated else None
        company = None
        if event.is_business_meeting and seller is None and request.user.is_authenticated:
            company = verified_company_for_user(request.user)
        registration = selectors.registration_of(event=event, seller=seller, company=company)
        context = {
            "event": event,
            "seller": seller,
            "company": company,
            "registration": registration,
            "waitlist_position": selectors.waitlist_position(registration) if registration else 0,
            "is_open": services.registration_is_open(event),
            "seats_left": max(event.capacity - event.seated_count, 0),
            "showcase_count": event.showcase_items.count() if event.is_exhibition else 0,
        }
        return render(request, self.template_name, context)


class RegisterView(LoginRequiredMixin, View):
    """POST: register the user's pesantren (or, for a business meeting, its verified company)."""

    def post(self, request, pk):
        event = selectors.event_for_public(pk)
        if event is None:
            raise Http404
        seller = _pesantren_of(request.user)
        company = None
        if seller is None and event.is_business_meeting:
            company = verified_company_for_user(request.user)
        if seller is None and company is None:
            if event.is_business_meeting:
                messages.error(
                    request, _("Only the staff of a verified pesantren, or a verified company, can register.")
                )
            else:
                messages.error(request, _("Only the staff of a verified pesantren can register."))
            return redirect("events:detail", pk=pk)
        try:
            registration = services.register(event=event, actor=request.user, seller=seller, company=company)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("events:detail", pk=pk)
        if registration.status == RegistrationStatus.WAITLISTED:
            messages.warning(
                request,
                _(
                    "The event is full: you are on the waiting list, number %(position)d. If a seat opens, "
                    "it goes to the first on the list and we will email you."
                )
                % {"position": selectors.waitlist_position(registration)},
            )
        else:
            messages.success(request, _("You are registered. Show the QR code of your registration at the check-in."))
        name = "events-dashboard:registration" if seller is not None else "events-offtaker:registration"
        return redirect(name, pk=registration.pk)


class ShowcaseView(View):
    template_name = "events/showcase.html"

    def get(self, request, pk):
        event = selectors.event_for_public(pk)
        if event is None or not event.is_exhibition:
            raise Http404
        return render(request, self.template_name, {"event": event, "products": selectors.showcase_products(event)})


class CertificateVerifyView(View):
    template_name = "events/certificate_verify.html"

    def get(self, request, code=None):
        form = CertificateLookupForm(request.GET or None)
        if code is None and form.is_valid():
            return redirect("events:certificate-verify", code=form.cleaned_data["code"].strip().upper())
        registration = selectors.certificate_for_code(code) if code else None
        status = 404 if code and registration is None else 200
        context = {"form": form, "code": code, "registration": registration}
        return render(request, self.template_name, context, status=status)


# --- A registration, seen by its pesantren or company ---------------------------------------------


def _registration_context(registration, *, cancel_url: str) -> dict:
    token = services.checkin_token(registration)
    checkin_url = ""
    if registration.status == RegistrationStatus.REGISTERED:
        checkin_url = settings.MARKETPLACE_SITE_URL + reverse(
            "events-programme:checkin", kwargs={"pk": registration.event_id}
        )
        checkin_url += f"?kode={token}"
    return {
        "registration": registration,
        "event": registration.event,
        "token": token,
        "qr": qr_svg(checkin_url or token, label=_("QR code of the registration")),
        "waitlist_position": selectors.waitlist_position(registration),
        "meetings": selectors.meetings_of([registration]),
        "cancel_url": cancel_url,
        "can_cancel": registration.status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
        and registration.event.starts_at > timezone.now(),
        "verification_url": verification_url(registration) if registration.certificate_code else "",
    }


class SellerRegistrationListView(PesantrenStaffRequiredMixin, View):
    template_name = "events/seller_registrations.html"

    def get(self, request):
        registrations = list(selectors.seller_registrations(self.seller)[:100])
        context = {
            "seller": self.seller,
            "registrations": registrations,
            "meetings": selectors.meetings_of(registrations),
        }
        return render(request, self.template_name, context)


class _SellerRegistrationMixin(PesantrenStaffRequiredMixin):
    def get_registration(self, pk):
        registration = selectors.seller_registration_for(self.seller, pk)
        if registration is None:
            raise Http404
        return registration


class SellerRegistrationView(_SellerRegistrationMixin, View):
    template_name = "events/seller_registration.html"

    def get(self, request, pk):
        registration = self.get_registration(pk)
        cancel_url = reverse("events-dashboard:registration-cancel", kwargs={"pk": pk})
        return render(request, self.template_name, _registration_context(registration, cancel_url=cancel_url))


class SellerCancelView(_SellerRegistrationMixin, View):
    def post(self, request, pk):
        registration = self.get_registration(pk)
        _cancel(request, registration)
        return redirect("events-dashboard:registration", pk=pk)


class CertificateDownloadView(_SellerRegistrationMixin, View):
    def get(self, request, pk):
        registration = self.get_registration(pk)
        if registration.status != RegistrationStatus.ATTENDED or not registration.certificate_code:
            raise Http404
        response = HttpResponse(certificate_pdf(registration), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="sertifikat-{registration.certificate_code}.pdf"'
        return response


def _cancel(request, registration) -> None:
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your registration is cancelled."))


class CompanyRegistrationListView(VerifiedCompanyMemberMixin, View):
    template_name = "events/company_registrations.html"

    def get(self, request):
        registrations = list(selectors.company_registrations(self.company)[:100])
        context = {
            "company": self.company,
            "registrations": registrations,
            "meetings": selectors.meetings_of(registrations),
        }
        return render(request, self.template_name, context)


class _CompanyRegistrationMixin(VerifiedCompanyMemberMixin):
    def get_registration(self, pk):
        registration = selectors.company_registration_for(self.company, pk)
        if registration is None:
            raise Http404
        return registration


class CompanyRegistrationView(_CompanyRegistrationMixin, View):
    template_name = "events/company_registration.html"

    def get(self, request, pk):
        registration = self.get_registration(pk)
        cancel_url = reverse("events-offtaker:registration-cancel", kwargs={"pk": pk})
        return render(request, self.template_name, _registration_context(registration, cancel_url=cancel_url))


class CompanyCancelView(_CompanyRegistrationMixin, View):
    def post(self, request, pk):
        registration = self.get_registration(pk)
        _cancel(request, registration)
        return redirect("events-offtaker:registration", pk=pk)

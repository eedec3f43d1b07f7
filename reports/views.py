"""Programme reports (progress per kabupaten and kecamatan, the province's PDF) and the open data.

Who reaches which report is decided by programme/access.py (its mixins and `kabupaten_for`), never
here: the provincial office sees the province and every kabupaten, a district officer only their
own kabupaten (another one is 404). The open data pages are public.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from programme import access
from programme.access import ProgrammeOfficerRequiredMixin, ProvincialOfficeRequiredMixin
from regions.models import Region
from reports import open_data, pdf, selectors
from reports.forms import period_from


def _province_name() -> str:
    name = Region.objects.filter(code=access.province_code()).values_list("name", flat=True).first()
    return name or access.province_code()


class _PeriodMixin:
    def period_context(self) -> dict:
        self.form, self.period = period_from(self.request.GET)
        return {"form": self.form, "period": self.period, "period_label": pdf.period_label(self.period)}


class ProvinceReportView(ProgrammeOfficerRequiredMixin, _PeriodMixin, TemplateView):
    """The province's progress per kabupaten/kota; a district officer is taken to their own kabupaten."""

    template_name = "reports/province.html"

    def get(self, request, *args, **kwargs):
        if not self.scope.provincial:
            return redirect("reports:kabupaten", code=self.scope.home_kabupaten)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = self.period_context()
        progress = selectors.kabupaten_progress(period=self.period)
        return {
            **super().get_context_data(**kwargs),
            **context,
            "progress": progress,
            "figures": pdf.headline_figures(progress),
            "province_name": _province_name(),
        }


class KabupatenReportView(ProgrammeOfficerRequiredMixin, _PeriodMixin, TemplateView):
    """One kabupaten/kota's progress per kecamatan, against the province's targets."""

    template_name = "reports/kabupaten.html"

    def get_context_data(self, **kwargs):
        kabupaten = access.kabupaten_for(self.scope, self.kwargs["code"])
        if kabupaten is None:
            raise Http404
        context = self.period_context()
        progress = selectors.kecamatan_progress(kabupaten=kabupaten, period=self.period)
        return {
            **super().get_context_data(**kwargs),
            **context,
            "kabupaten": kabupaten,
            "progress": progress,
            "figures": pdf.headline_figures(progress),
            "scope": self.scope,
        }


class KecamatanReportView(ProgrammeOfficerRequiredMixin, _PeriodMixin, TemplateView):
    """One kecamatan's pesantren, mapped or registered, with their stage, products, sales and visits."""

    template_name = "reports/kecamatan.html"

    def get_context_data(self, **kwargs):
        kecamatan = access.kecamatan_for(self.scope, self.kwargs["code"])
        if kecamatan is None:
            raise Http404
        context = self.period_context()
        detail = selectors.kecamatan_detail(kecamatan=kecamatan, period=self.period)
        return {**super().get_context_data(**kwargs), **context, "detail": detail, "kecamatan": kecamatan}


class ProvinceSummaryPdfView(ProvincialOfficeRequiredMixin, View):
    def get(self, request):
        _form, period = period_from(request.GET)
        content = pdf.render_province_summary(
            progress=selectors.kabupaten_progress(period=period), province_name=_province_name()
        )
        response = HttpResponse(content, content_type="application/pdf")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="ringkasan-opop-{stamp}.pdf"'
        return response


class OpenDataView(TemplateView):
    """The public page listing the open data files, their licence and where their fields are described."""

    template_name = "reports/open_data.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "datasets": list(open_data.DATASETS),
            "licence_url": open_data.LICENCE_URL,
        }


class OpenDataFileView(View):
    """A public open data file: no sign-in, cached briefly (server side and by browsers and proxies)."""

    def get(self, request, slug, fmt):
        if slug not in open_data.DATASETS or fmt not in open_data.FORMATS:
            raise Http404
        response = HttpResponse(open_data.cached_file(slug, fmt), content_type=open_data.FORMATS[fmt])
        response["Cache-Control"] = f"public, max-age={open_data.cache_seconds()}"
        response["Access-Control-Allow-Origin"] = "*"
        if fmt == "csv":
            response["Content-Disposition"] = f'attachment; filename="opop-{slug}.csv"'
        return response

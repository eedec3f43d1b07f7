"""The programme office dashboard: progress, mapping, directory and exports.

Who reaches which page and which records is decided in programme/access.py (the mixins and the
scoped look-ups), never here. Decisions on pesantren (approve, suspend, reinstate) stay on the review
pages of sellers/dashboard; mapping, nominations and cohorts are in programme/work_views.py.
"""

from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from programme import access, exports, selectors
from programme.access import ProgrammeOfficerRequiredMixin, ProvincialOfficeRequiredMixin
from regions.models import RegionLevel
from sellers.models import Sector, SellerStatus


def _codes(scope) -> frozenset[str] | None:
    """The kabupaten a selector should be limited to: None for the whole province."""
    return None if scope.provincial else scope.kabupaten_codes


def _int(value) -> int:
    return int(value)


class OverviewView(ProgrammeOfficerRequiredMixin, TemplateView):
    """The province's overview; a district officer is taken to their kabupaten instead."""

    template_name = "programme/overview.html"

    def get(self, request, *args, **kwargs):
        if not self.scope.provincial:
            return redirect("programme:kabupaten", code=self.scope.home_kabupaten)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        counts = selectors.programme_counts()
        by_sector = selectors.sales_by_sector()
        by_kabupaten = selectors.sales_by_kabupaten()
        return {
            **super().get_context_data(**kwargs),
            "counts": counts,
            "targets": selectors.target_progress(counts=counts),
            "sales_by_sector": by_sector,
            "sales_by_kabupaten": by_kabupaten,
            # one bar per kabupaten with sales: give each bar room
            "kabupaten_chart_height": 60 + 28 * len(by_kabupaten),
            "chart_data": overview_chart_data(counts=counts, by_sector=by_sector, by_kabupaten=by_kabupaten),
        }


def overview_chart_data(*, counts: dict, by_sector: list[dict], by_kabupaten: list[dict]) -> dict:
    """What the overview's charts draw, as JSON-ready numbers (whole rupiah)."""
    return {
        "status": {
            "labels": [_("Verified, selling"), _("Verified, not selling yet"), _("Suspended"), _("Not verified")],
            "values": [
                counts["selling"],
                counts["verified"] - counts["selling"],
                counts["suspended"],
                counts["registered"] - counts["verified"] - counts["suspended"],
            ],
        },
        "sector": {
            "labels": [row["label"] for row in by_sector],
            "values": [_int(row["total"]) for row in by_sector],
        },
        "kabupaten": {
            "labels": [row["name"] for row in by_kabupaten],
            "values": [_int(row["total"]) for row in by_kabupaten],
        },
    }


class MappingView(ProvincialOfficeRequiredMixin, TemplateView):
    template_name = "programme/mapping.html"

    def get_context_data(self, **kwargs):
        rows = list(selectors.kabupaten_table())
        return {
            **super().get_context_data(**kwargs),
            "rows": rows,
            "kecamatan_total": sum(row.kecamatan_total for row in rows),
            "kecamatan_uncovered": sum(row.kecamatan_uncovered for row in rows),
            "kecamatan_without_nominee": sum(row.kecamatan_without_nominee for row in rows),
        }


class KabupatenDetailView(ProgrammeOfficerRequiredMixin, TemplateView):
    template_name = "programme/kabupaten_detail.html"

    def get_context_data(self, **kwargs):
        kabupaten = access.kabupaten_for(self.scope, self.kwargs["code"])
        if kabupaten is None:
            raise Http404
        rows = list(selectors.kecamatan_table(kabupaten=kabupaten))
        return {
            **super().get_context_data(**kwargs),
            "kabupaten": kabupaten,
            "rows": rows,
            "uncovered": [row for row in rows if row.verified == 0],
            "without_nominee": [row for row in rows if row.nominated == 0],
            "scope": self.scope,
        }


class MapCountsView(ProgrammeOfficerRequiredMixin, View):
    def get(self, request):
        return JsonResponse(selectors.map_counts(kabupaten_codes=_codes(self.scope)))


class BoundariesView(ProgrammeOfficerRequiredMixin, View):
    """The shipped boundaries: read once per process, revalidated by ETag, cached by the browser."""

    LEVELS = {"kecamatan": RegionLevel.DISTRICT, "kabkota": RegionLevel.REGENCY}

    def get(self, request, level):
        if level not in self.LEVELS:
            raise Http404
        content, etag = selectors.boundaries(self.LEVELS[level])
        quoted = f'"{etag}"'
        if request.headers.get("If-None-Match") == quoted:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(content, content_type="application/geo+json")
        response["ETag"] = quoted
        response["Cache-Control"] = "private, max-age=86400"
        return response


def _directory_filters(params, scope) -> dict:
    return {
        "kabupaten_codes": _codes(scope),
        "status": params.get("status", ""),
        "kabupaten_code": params.get("kabupaten", ""),
        "sector": params.get("sector", ""),
        "query": params.get("q", "").strip(),
    }


class DirectoryView(ProgrammeOfficerRequiredMixin, ListView):
    template_name = "programme/directory.html"
    context_object_name = "sellers"
    paginate_by = 50

    def get_queryset(self):
        self.filters = _directory_filters(self.request.GET, self.scope)
        return selectors.directory(**self.filters)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "filters": self.filters,
            "statuses": SellerStatus.choices,
            "sectors": Sector.choices,
            "kabupaten_choices": access.kabupaten_in_scope(self.scope).only("code", "name"),
            "filter_query": query.urlencode(),
            "SellerStatus": SellerStatus,
        }


class ExportView(ProgrammeOfficerRequiredMixin, View):
    def get(self, request, kind):
        if kind == "directory":
            content = exports.directory_csv(filters=_directory_filters(request.GET, self.scope))
        elif kind == "kecamatan":
            kabupaten = None
            if code := request.GET.get("kabupaten"):
                kabupaten = access.kabupaten_for(self.scope, code)
                if kabupaten is None:
                    raise Http404
            elif not self.scope.provincial:
                raise Http404
            content = exports.kecamatan_csv(kabupaten=kabupaten)
            if kabupaten is not None:
                kind = f"kecamatan-{kabupaten.code}"
        elif kind in exports.EXPORTS and self.scope.provincial:
            content = exports.EXPORTS[kind]()
        else:
            raise Http404
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="programme-{kind}.csv"'
        return response

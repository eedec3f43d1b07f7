"""CSV import and export of the signed-in pesantren's products."""

import csv

from django import forms
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dashboard.catalogue.imports import COLUMNS, ImportFileError, export_rows, import_job_create
from dashboard.catalogue.models import ImportJob
from sellers.access import PesantrenStaffRequiredMixin

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class SellerRequiredMixin(PesantrenStaffRequiredMixin):
    """Imports belong to a pesantren: platform staff without one, like anyone else, get 404."""

    def get_job(self, pk) -> ImportJob:
        job = ImportJob.objects.filter(seller=self.seller, pk=pk).first()
        if job is None:
            raise Http404
        return job


class ProductImportView(SellerRequiredMixin, View):
    template_name = "oscar/dashboard/catalogue/product_import.html"

    def get(self, request):
        return self._render(ImportForm())

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = import_job_create(seller=self.seller, user=request.user, file_name=upload.name, raw=upload.read())
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                return redirect("dashboard:product-import-job", pk=job.pk)
        return self._render(form, status=400)

    def _render(self, form, status=200):
        jobs = ImportJob.objects.filter(seller=self.seller).defer("content")[:10]
        return render(
            self.request,
            self.template_name,
            {"form": form, "jobs": jobs, "columns": COLUMNS, "title": _("Import products")},
            status=status,
        )


class ImportJobView(SellerRequiredMixin, View):
    template_name = "oscar/dashboard/catalogue/product_import_job.html"

    def get(self, request, pk):
        return render(request, self.template_name, {"job": self.get_job(pk), "title": _("Product import")})


class ImportJobStatusView(SellerRequiredMixin, View):
    """Polled by the job page while the import runs."""

    def get(self, request, pk):
        job = self.get_job(pk)
        return JsonResponse(
            {
                "status": job.status,
                "status_display": job.get_status_display(),
                "progress": job.progress_percent,
                "processed_rows": job.processed_rows,
                "total_rows": job.total_rows,
                "created": job.created_count,
                "updated": job.updated_count,
                "errors": job.errors,
                "finished": job.is_finished,
            }
        )


class ProductExportView(SellerRequiredMixin, View):
    def get(self, request):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="produk-{self.seller.slug}.csv"'
        writer = csv.writer(response)
        writer.writerows(export_rows(seller=self.seller))
        return response

"""The province's summary PDF: Indonesian text with the period, the figures, the targets and each kabupaten."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports import pdf, selectors
from reports.tests.conftest import PERIOD

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_summary_pdf_reads_in_indonesian_with_figures_targets_and_kabupaten(world):
    progress = selectors.kabupaten_progress(period=PERIOD)

    pages, text = pdf_text(pdf.render_province_summary(progress=progress, province_name="Jawa Barat"))

    assert pages <= 2
    assert "Ringkasan program OPOP: Jawa Barat" in text
    assert "Periode:" in text and "Dibuat pada" in text
    assert "Angka utama" in text
    assert "Pesantren terverifikasi 2027" in text  # the target
    assert "Kabupaten Sukabumi" in text and "Kabupaten Bandung" in text
    assert "Rp 300.000" in text and "Rp 90.000" in text and "Rp 390.000" in text
    assert "Total" in text
    # no English headings left
    for english in ("Headline figures", "Targets", "Generated on", "Period:", "Sales in the period"):
        assert english not in text


def test_the_provincial_office_downloads_the_pdf_for_a_period(client, world):
    client.force_login(world["provincial"])

    response = client.get(reverse("reports:province-pdf") + f"?start={PERIOD.start}&end={PERIOD.end}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="ringkasan-opop-')
    _pages, text = pdf_text(response.content)
    assert "Rp 390.000" in text
    assert pdf.period_label(PERIOD) in text.replace("\n", " ")

"""CSV import and export of a pesantren's products: all rows or none, with every error listed."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from dashboard.catalogue.imports import import_job_run
from dashboard.catalogue.models import ImportJob, ImportJobStatus
from tests.factories import make_region_tree, make_seller, make_seller_product

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

HEADER = "sku,title,category,price,stock,weight_grams,unit,halal_number,halal_expiry\n"


@pytest.fixture
def setup():
    regions = make_region_tree()
    ProductClass.objects.create(name="Produk Pesantren", track_stock=True)
    Category.add_root(name="Makanan")
    return make_seller(name="Pesantren Alfa", regions=regions), make_seller(name="Pesantren Beta", regions=regions)


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Upload a CSV; the import is queued on commit and runs eagerly, as Celery does in tests."""

    def post(text: str, name: str = "produk.csv"):
        file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("dashboard:product-import"), {"file": file})

    return post


def test_a_good_file_creates_every_product_on_the_pesantrens_own_stock_records(client, setup, upload):
    # given
    alfa, _beta = setup
    client.force_login(alfa.owner)
    text = HEADER + (
        "DODOL-1,Dodol Garut,Makanan,35000,40,250,pak,ID32110000123450824,2030-01-01\n"
        "KERUPUK-1,Kerupuk,makanan,15000,10,,,,\n"
    )

    # when
    response = upload(text)

    # then
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{job.pk}/")
    assert (job.status, job.created_count, job.errors, job.progress_percent) == (ImportJobStatus.DONE, 2, [], 100)
    records = {r.partner_sku: r for r in StockRecord.objects.select_related("product")}
    assert set(records) == {"DODOL-1", "KERUPUK-1"}
    assert all(r.partner_id == alfa.partner_id for r in records.values())
    dodol = records["DODOL-1"]
    assert (dodol.price, dodol.num_in_stock, dodol.product.weight_grams, dodol.product.unit) == (
        Decimal("35000.00"),
        40,
        250,
        "pak",
    )
    assert dodol.product.categories.get().name == "Makanan"
    status = client.get(reverse("dashboard:product-import-status", kwargs={"pk": job.pk})).json()
    assert (status["status"], status["progress"], status["created"], status["finished"]) == ("done", 100, 2, True)


def test_a_file_with_bad_rows_saves_nothing_and_lists_each_error(client, setup, upload):
    # given
    alfa, _beta = setup
    client.force_login(alfa.owner)
    text = HEADER + (
        "OK-1,Produk Baik,Makanan,10000,5,,,,\n"
        "BAD-1,Harga Salah,Makanan,abc,5,,,,\n"
        "BAD-2,Halal Salah,Makanan,10000,5,,,KH123,2030-01-01\n"
        "OK-1,Duplikat,Tidak Ada,10000,-1,,,,\n"
    )

    # when
    upload(text)

    # then
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert not Product.objects.exists() and not StockRecord.objects.exists()
    located = {(error["row"], error["column"]) for error in job.errors}
    assert located == {(3, "price"), (4, "halal_number"), (5, "category"), (5, "stock"), (5, "sku")}
    page = client.get(reverse("dashboard:product-import-job", kwargs={"pk": job.pk}))
    assert "halal_number" in page.content.decode()


def test_a_file_without_required_columns_is_refused_before_any_job(client, setup, upload):
    alfa, _beta = setup
    client.force_login(alfa.owner)

    response = upload("title,price\nDodol,1000\n")

    assert response.status_code == 400
    assert "sku" in response.context["form"].errors["file"][0]
    assert not ImportJob.objects.exists()


def test_reimporting_an_export_updates_instead_of_duplicating(client, setup, upload):
    # given
    alfa, beta = setup
    product = make_seller_product(alfa, title="Kopi Alfa", price="50000", stock=5)
    product.categories.add(Category.objects.get())
    record = product.stockrecords.get()
    record.partner_sku = "KOPI-1"
    record.save()
    make_seller_product(beta, title="Kopi Beta Rahasia")
    client.force_login(alfa.owner)

    # when
    export = client.get(reverse("dashboard:product-export")).content.decode()
    rows = list(csv.reader(io.StringIO(export)))
    assert [row[1] for row in rows[1:]] == ["Kopi Alfa"]
    rows[1][4] = "60000"  # price
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    upload(buffer.getvalue())

    # then
    job = ImportJob.objects.get()
    assert (job.status, job.created_count, job.updated_count) == (ImportJobStatus.DONE, 0, 1)
    record.refresh_from_db()
    assert record.price == Decimal("60000.00")
    assert StockRecord.objects.filter(partner=alfa.partner).count() == 1


def test_running_a_finished_job_again_changes_nothing(setup):
    alfa, _beta = setup
    job = ImportJob.objects.create(seller=alfa, file_name="a.csv", content=HEADER + "A-1,Satu,Makanan,1000,1,,,,\n")

    import_job_run(job_id=job.pk)
    import_job_run(job_id=job.pk)

    assert StockRecord.objects.filter(partner_sku="A-1").count() == 1


def test_another_pesantren_cannot_see_an_import_job(client, setup):
    alfa, beta = setup
    job = ImportJob.objects.create(seller=alfa, file_name="a.csv", content=HEADER)
    client.force_login(beta.owner)

    assert client.get(reverse("dashboard:product-import-job", kwargs={"pk": job.pk})).status_code == 404
    assert client.get(reverse("dashboard:product-import-status", kwargs={"pk": job.pk})).status_code == 404

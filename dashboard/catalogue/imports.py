"""Bulk CSV import and export of a pesantren's products.

An import is all or nothing: every row is checked first, and a file with any bad row saves nothing
and records each problem as (row, column, message). Rows are matched to existing products by the
pesantren's own SKU, so importing an exported file again updates instead of duplicating.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.models import SalesUnit
from core import outbox
from core.money import is_whole_rupiah
from dashboard.catalogue.models import ImportJob, ImportJobStatus
from sellers.models import Seller

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

COLUMNS = [
    "sku",
    "title",
    "description",
    "category",
    "price",
    "stock",
    "low_stock_threshold",
    "weight_grams",
    "unit",
    "halal_number",
    "halal_expiry",
    "pirt_number",
    "pirt_expiry",
    "bpom_number",
    "bpom_expiry",
    "is_public",
]
REQUIRED_COLUMNS = ["sku", "title", "category", "price", "stock"]
PRODUCT_FIELDS = [
    "title",
    "description",
    "weight_grams",
    "unit",
    "halal_number",
    "halal_expiry",
    "pirt_number",
    "pirt_expiry",
    "bpom_number",
    "bpom_expiry",
    "is_public",
]
MAX_ROWS = 5000
PROGRESS_EVERY = 25


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header)."""


@dataclass
class RowPlan:
    row: int
    sku: str
    product_values: dict
    price: Decimal
    stock: int
    low_stock_threshold: int | None
    category: object | None
    existing: StockRecord | None


def _error(row: int, column: str, message) -> dict:
    return {"row": row, "column": column, "message": str(message)}


def read_rows(content: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(content))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ImportFileError(_("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)})
    unknown = [column for column in header if column not in COLUMNS]
    if unknown:
        raise ImportFileError(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    reader.fieldnames = header
    rows = [{key: (value or "").strip() for key, value in row.items() if key} for row in reader]
    # PostgreSQL stores no NUL in text: such a file cannot even be kept for the job to read.
    with_nul = [
        _("row %(row)d, column %(column)s") % {"row": number, "column": column}
        for number, row in enumerate(rows, start=2)
        for column, value in row.items()
        if "\x00" in value
    ]
    if with_nul:
        raise ImportFileError(
            _("These cells hold a NUL character (code 0), which cannot be imported: %(cells)s.")
            % {"cells": "; ".join(with_nul[:10])}
        )
    if not rows:
        raise ImportFileError(_("The file has no product rows."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("A file may hold at most %(count)d rows.") % {"count": MAX_ROWS})
    return rows


def _parse_row(*, number: int, row: dict, seller: Seller, existing: dict, categories: dict, product_class):
    """Check one row; returns (plan, errors)."""
    errors = []
    sku = row.get("sku", "")
    if not sku:
        errors.append(_error(number, "sku", _("Enter a SKU.")))
    if not row.get("title"):
        errors.append(_error(number, "title", _("Enter a title.")))
    try:
        price = Decimal(row.get("price", ""))
        if price <= 0 or not is_whole_rupiah(price):
            raise InvalidOperation
    except InvalidOperation:
        price = None
        errors.append(_error(number, "price", _("Enter a price in whole rupiah above zero.")))
    stock = _parse_int(row.get("stock", ""), number, "stock", errors, required=True)
    threshold = _parse_int(row.get("low_stock_threshold", ""), number, "low_stock_threshold", errors)
    weight = _parse_int(row.get("weight_grams", ""), number, "weight_grams", errors)
    stock_values = {"sku": sku, "price": price, "stock": stock, "low_stock_threshold": threshold}
    for column, value in stock_values.items():
        errors.extend(_stockrecord_errors(number, column, value))

    category = None
    if not row.get("category"):
        # As in the product form: a product is always listed under a category.
        errors.append(_error(number, "category", _("Enter a category.")))
    else:
        category = categories.get(row["category"].lower())
        if category is None:
            errors.append(_error(number, "category", _("No such category: %(name)s.") % {"name": row["category"]}))

    unit = row.get("unit") or SalesUnit.PIECE
    if unit not in SalesUnit.values:
        errors.append(_error(number, "unit", _("Choose one of: %(units)s.") % {"units": ", ".join(SalesUnit.values)}))
    values = {
        "title": row.get("title", ""),
        "description": row.get("description", ""),
        "weight_grams": weight,
        "unit": unit,
        "is_public": row.get("is_public", "yes").lower() not in ("0", "no", "false", "tidak"),
    }
    for licence in ("halal", "pirt", "bpom"):
        values[f"{licence}_number"] = row.get(f"{licence}_number", "")
        raw_expiry = row.get(f"{licence}_expiry", "")
        expiry = parse_date(raw_expiry) if raw_expiry else None
        if raw_expiry and expiry is None:
            errors.append(_error(number, f"{licence}_expiry", _("Enter a date as YYYY-MM-DD.")))
        values[f"{licence}_expiry"] = expiry

    record = existing.get(sku)
    product = record.product if record else Product(product_class=product_class)
    for field, value in values.items():
        setattr(product, field, value)
    try:
        product.full_clean(exclude=["slug", "upc", "parent", "product_class", "structure"], validate_unique=False)
    except ValidationError as error:
        reported = {e["column"] for e in errors}
        for field, messages in error.message_dict.items():
            column = field if field in COLUMNS else "title" if field == "__all__" else field
            if column not in reported:
                errors.extend(_error(number, column, message) for message in messages)
    if errors:
        return None, errors
    values = {field: getattr(product, field) for field in PRODUCT_FIELDS}
    return RowPlan(number, sku, values, price, stock, threshold, category, record), []


# The stock record's columns behind the CSV's: their limits (digits, integer range, length) apply.
STOCKRECORD_FIELDS = {
    "sku": "partner_sku",
    "price": "price",
    "stock": "num_in_stock",
    "low_stock_threshold": "low_stock_threshold",
}


def _stockrecord_errors(number: int, column: str, value) -> list[dict]:
    if value in (None, ""):
        return []
    try:
        StockRecord._meta.get_field(STOCKRECORD_FIELDS[column]).run_validators(value)
    except ValidationError as error:
        return [_error(number, column, message) for message in error.messages]
    return []


def _parse_int(raw: str, number: int, column: str, errors: list, *, required: bool = False) -> int | None:
    if raw == "":
        if required:
            errors.append(_error(number, column, _("Enter a whole number.")))
        return None
    try:
        value = int(raw)
        if value < 0:
            raise ValueError
    except ValueError:
        errors.append(_error(number, column, _("Enter a whole number, zero or more.")))
        return None
    return value


def import_job_create(*, seller: Seller, user, file_name: str, raw: bytes) -> ImportJob:
    """Store an uploaded CSV and queue its import once the upload is committed."""
    from dashboard.catalogue.tasks import run_product_import

    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(_("Save the file as CSV in UTF-8.")) from error
    rows = read_rows(content)
    job = ImportJob.objects.create(
        seller=seller, created_by=user, file_name=file_name[:255], content=content, total_rows=len(rows)
    )
    outbox.enqueue(run_product_import, job.pk)
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Validate every row, then save all of them in one transaction, or none. Safe to run twice."""
    job = ImportJob.objects.select_related("seller__partner").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return job
    seller = job.seller
    try:
        rows = read_rows(job.content)
    except ImportFileError as error:
        return _finish(job, ImportJobStatus.FAILED, errors=[_error(1, "", error)])
    _update(job, status=ImportJobStatus.VALIDATING, total_rows=len(rows), processed_rows=0)

    existing = {
        record.partner_sku: record
        for record in StockRecord.objects.filter(partner_id=seller.partner_id).select_related("product")
    }
    categories = {}
    for category in Category.objects.all():
        categories.setdefault(category.name.lower(), category)
        categories.setdefault(category.full_name.lower(), category)
        categories.setdefault(category.slug.lower(), category)
    product_class = ProductClass.objects.filter(track_stock=True).order_by("pk").first()
    if product_class is None:
        return _finish(job, ImportJobStatus.FAILED, errors=[_error(1, "", _("No product type is set up yet."))])

    plans, errors, seen = [], [], {}
    for index, row in enumerate(rows):
        number = index + 2  # the header is row 1, as a spreadsheet shows it
        plan, row_errors = _parse_row(
            number=number, row=row, seller=seller, existing=existing, categories=categories, product_class=product_class
        )
        sku = row.get("sku", "")
        if sku and sku in seen:
            row_errors.append(_error(number, "sku", _("SKU repeats row %(row)d.") % {"row": seen[sku]}))
        seen.setdefault(sku, number)
        errors.extend(row_errors)
        if plan and not row_errors:
            plans.append(plan)
        if (index + 1) % PROGRESS_EVERY == 0:
            _update(job, processed_rows=index + 1)
    if errors:
        return _finish(job, ImportJobStatus.FAILED, errors=errors, processed_rows=len(rows))

    _update(job, status=ImportJobStatus.SAVING, processed_rows=len(rows))
    created = updated = 0
    with transaction.atomic():
        # A second delivery of this task running at the same time waits here, then finds the job done.
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.is_finished:
            return locked
        for plan in plans:
            if plan.existing is None:
                _create_product(plan, seller=seller, product_class=product_class)
                created += 1
            else:
                _update_product(plan)
                updated += 1
        return _finish(job, ImportJobStatus.DONE, created_count=created, updated_count=updated)


def _create_product(plan: RowPlan, *, seller: Seller, product_class) -> None:
    product = Product(product_class=product_class, structure=Product.STANDALONE, **plan.product_values)
    product.save()
    StockRecord.objects.create(
        product=product,
        partner_id=seller.partner_id,
        partner_sku=plan.sku,
        price=plan.price,
        price_currency="IDR",
        num_in_stock=plan.stock,
        low_stock_threshold=plan.low_stock_threshold,
    )
    if plan.category is not None:
        ProductCategory.objects.create(product=product, category=plan.category)


def _update_product(plan: RowPlan) -> None:
    record = StockRecord.objects.select_for_update().get(pk=plan.existing.pk)
    product = record.product
    for field, value in plan.product_values.items():
        setattr(product, field, value)
    product.save()
    record.price = plan.price
    record.num_in_stock = plan.stock
    record.low_stock_threshold = plan.low_stock_threshold
    record.save(update_fields=["price", "num_in_stock", "low_stock_threshold"])
    if plan.category is not None and not product.categories.filter(pk=plan.category.pk).exists():
        ProductCategory.objects.create(product=product, category=plan.category)


def _update(job: ImportJob, **fields) -> None:
    for field, value in fields.items():
        setattr(job, field, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _finish(job: ImportJob, status: str, **fields) -> ImportJob:
    _update(job, status=status, finished_at=timezone.now(), **fields)
    return job


def export_rows(*, seller: Seller) -> list[list]:
    """The pesantren's products in the import format, so an export can be edited and imported back."""
    records = (
        StockRecord.objects.filter(partner_id=seller.partner_id)
        .select_related("product")
        .prefetch_related("product__categories")
        .order_by("product__title", "pk")
    )
    rows = [COLUMNS]
    for record in records:
        product = record.product
        category = next(iter(product.categories.all()), None)
        rows.append(
            [
                record.partner_sku,
                product.title,
                product.description,
                category.full_name if category else "",
                f"{record.price:.0f}" if record.price is not None else "",
                record.num_in_stock if record.num_in_stock is not None else "",
                record.low_stock_threshold if record.low_stock_threshold is not None else "",
                product.weight_grams if product.weight_grams is not None else "",
                product.unit,
                product.halal_number,
                product.halal_expiry.isoformat() if product.halal_expiry else "",
                product.pirt_number,
                product.pirt_expiry.isoformat() if product.pirt_expiry else "",
                product.bpom_number,
                product.bpom_expiry.isoformat() if product.bpom_expiry else "",
                "yes" if product.is_public else "no",
            ]
        )
    return rows

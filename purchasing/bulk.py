"""Bulk orders for off-takers: a CSV upload, the quick-order grid and re-ordering a past order.

Every source becomes a list of `BulkRow`s (raw text, as typed); `bulk_lines_validate` checks all of
them against the catalogue at once and either returns the priced `BulkLine`s or raises
`BulkOrderInvalid` with every problem as (row, column, message). A bulk order is all or nothing: any
bad row means nothing is added to the basket and no order is placed.

Rules that apply to every source:

- A SKU is a pesantren's own code (`partner.StockRecord.partner_sku`), matched ignoring case. Two
  pesantren may use the same SKU; an optional `pesantren` column (its name or its web address code)
  tells them apart.
- Rows naming the same product are added together (merged), and the stock and the minimum order
  quantity are checked on the sum. Merging, never an error, so a list pasted twice reads as twice
  the quantity in the review table before anything is placed.
- Only public products of verified pesantren can be ordered.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Upper
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from companies.access import companies_for_user
from companies.models import Company
from purchasing.models import CompanyOrder
from purchasing.ordering import PurchaseItem, PurchaseResult, submit_purchase
from sellers.availability import not_selling_message
from sellers.models import SellerStatus
from wholesale.models import PriceTier
from wholesale.selectors import moq_of

StockRecord = get_model("partner", "StockRecord")
BasketLine = get_model("basket", "Line")

MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 1000
# Header names as buyers write them, in English or Indonesian, mapped to the column they mean.
COLUMN_NAMES = {
    "sku": "sku",
    "kode": "sku",
    "kode produk": "sku",
    "quantity": "quantity",
    "qty": "quantity",
    "jumlah": "quantity",
    "kuantitas": "quantity",
    "pesantren": "pesantren",
}
TEMPLATE_HEADER = ["sku", "quantity", "pesantren"]
_PRODUCT_FIELDS = ["title", "slug", "structure", "is_public", "upc", "parent", "product_class"]
CANDIDATE_FIELDS = [
    "partner_sku",
    "price",
    "price_currency",
    "num_in_stock",
    "num_allocated",
    "product",
    "partner",
    *(f"product__{name}" for name in _PRODUCT_FIELDS),
    *(f"product__parent__{name}" for name in _PRODUCT_FIELDS),
    *(
        f"{owner}__product_class__{name}"
        for owner in ("product", "product__parent")
        for name in ("track_stock", "requires_shipping", "name")
    ),
    "partner__name",
    "partner__seller__name",
    "partner__seller__slug",
    "partner__seller__status",
    "partner__seller__partner",
    "wholesale_terms__moq",
    "wholesale_terms__stockrecord",
]


@dataclass(frozen=True)
class BulkRow:
    """One row as the buyer gave it. `row` is the spreadsheet row (the header is row 1) or grid row."""

    row: int
    sku: str = ""
    quantity: str = ""
    pesantren: str = ""
    # A re-order names the stock record itself; `sku` and `title` then only describe it in messages.
    stockrecord_id: int | None = None
    title: str = ""


@dataclass(frozen=True)
class BulkError:
    row: int | None
    column: str
    message: str


@dataclass
class BulkLine:
    """A product to order: one stock record, the summed quantity of its rows, and the company's unit price."""

    stockrecord: object
    quantity: int
    rows: tuple[int, ...]
    unit_price: Decimal = Decimal(0)
    moq: int = 1

    @property
    def product(self):
        return self.stockrecord.product

    @property
    def sku(self) -> str:
        return self.stockrecord.partner_sku

    @property
    def seller(self):
        return self.stockrecord.partner.seller

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


class BulkOrderInvalid(ValidationError):
    """Some rows are bad; `errors` lists each problem, `valid_lines` the products that had none."""

    def __init__(self, errors: list[BulkError], valid_lines: list[BulkLine] | None = None):
        self.errors = sorted(errors, key=lambda error: (error.row or 0, error.column))
        self.valid_lines = valid_lines or []
        super().__init__([_format_error(error) for error in self.errors])

    @property
    def bad_rows(self) -> set[int]:
        return {error.row for error in self.errors if error.row is not None}


def _format_error(error: BulkError) -> str:
    if error.row is None:
        return error.message
    return _("Row %(row)d, %(column)s: %(message)s") % {
        "row": error.row,
        "column": error.column,
        "message": error.message,
    }


def _file_error(message: str, row: int | None = None) -> BulkOrderInvalid:
    return BulkOrderInvalid([BulkError(row, "", message)])


# --- reading ------------------------------------------------------------------------------------


def bulk_rows_read(*, file=None, text: str | None = None) -> list[BulkRow]:
    """The rows of an uploaded CSV file (or its text); raises BulkOrderInvalid when the file is unreadable.

    Accepts comma, semicolon (Excel in the Indonesian locale) or tab separators, UTF-8 with or without
    a byte order mark, header names in any case, and ignores blank lines and unknown columns.
    """
    if file is not None:
        if file.size is not None and file.size > MAX_FILE_BYTES:
            raise _file_error(_("The file is larger than %(size)s; split it into smaller orders.") % {"size": "1 MB"})
        raw = file.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise _file_error(_("The file is larger than %(size)s; split it into smaller orders.") % {"size": "1 MB"})
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise _file_error(
                _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)”.")
            ) from error
    if text is None:
        raise _file_error(_("Choose a CSV file to upload."))
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise _file_error(_("The file is not a CSV text file. In Excel, save it as “CSV UTF-8 (Comma delimited)”."))
    lines = io.StringIO(text, newline="")
    reader = csv.reader(lines, delimiter=_delimiter(text))
    try:
        header, header_row = _header(reader)
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise _file_error(
                    _("A bulk order may have at most %(count)s rows; split the file into smaller orders.")
                    % {"count": number_format(MAX_ROWS, force_grouping=True)}
                )
            values = {name: cells[index].strip() if index < len(cells) else "" for name, index in header.items()}
            rows.append(
                BulkRow(
                    row=reader.line_num,
                    sku=values["sku"],
                    quantity=values["quantity"],
                    pesantren=values.get("pesantren", ""),
                )
            )
    except csv.Error as error:
        raise _file_error(
            _("Row %(row)d cannot be read as CSV: %(error)s") % {"row": reader.line_num, "error": error}
        ) from error
    if not rows:
        raise _file_error(_("The file has no order rows under its header."), row=header_row)
    return rows


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _header(reader) -> tuple[dict[str, int], int]:
    """Column name -> index, from the first non-blank row."""
    for cells in reader:
        names = [cell.strip().lower() for cell in cells]
        if not any(names):
            continue
        header = {}
        for index, name in enumerate(names):
            column = COLUMN_NAMES.get(name)
            if column and column not in header:
                header[column] = index
        missing = [column for column in ("sku", "quantity") if column not in header]
        if missing:
            raise BulkOrderInvalid(
                [
                    BulkError(
                        reader.line_num,
                        "",
                        _("The first row must name the columns “sku” and “quantity”; it reads: %(found)s.")
                        % {"found": ", ".join(cell.strip() for cell in cells if cell.strip()) or "-"},
                    )
                ]
            )
        return header, reader.line_num
    raise _file_error(_("The file is empty."))


# --- validation ---------------------------------------------------------------------------------


def _sellable(record) -> bool:
    product = record.product
    seller = getattr(record.partner, "seller", None) if record.partner_id else None
    parent = product.parent
    return (
        product.is_public
        and (parent is None or parent.is_public)
        and seller is not None
        and seller.status == SellerStatus.VERIFIED
    )


def _of_pesantren_not_selling(record) -> bool:
    seller = getattr(record.partner, "seller", None) if record.partner_id else None
    return seller is not None and not seller.is_live


def _candidates(rows: list[BulkRow]) -> list:
    """Every stock record a row may mean, in one query plus one for the price tiers."""
    skus = {row.sku.upper() for row in rows if row.sku and row.stockrecord_id is None}
    ids = {row.stockrecord_id for row in rows if row.stockrecord_id is not None}
    if not skus and not ids:
        return []
    return list(
        StockRecord.objects.annotate(sku_upper=Upper("partner_sku"))
        .filter(Q(sku_upper__in=skus) | Q(pk__in=ids))
        .select_related(
            "product__product_class",
            "product__parent__product_class",
            "partner__seller",
            "wholesale_terms",
        )
        # Only what validation, pricing and placing read: building 3,000+ full model instances (products
        # carry licences, dates and descriptions) cost ten times the query itself for 500 rows.
        .only(*CANDIDATE_FIELDS)
        .prefetch_related(Prefetch("price_tiers", queryset=PriceTier.objects.order_by("min_quantity")))
        .order_by("pk")
    )


def _parse_quantity(raw: str) -> tuple[int | None, str]:
    raw = raw.strip()
    if not raw:
        return None, _("Enter a quantity.")
    try:
        quantity = int(raw)
    except ValueError:
        return None, _("Enter a whole number of units, such as 12.")
    if quantity < 1:
        return None, _("The quantity must be at least 1.")
    return quantity, ""


def _pesantren_matches(record, wanted: str) -> bool:
    seller = record.partner.seller
    wanted = wanted.strip().lower()
    return wanted in (seller.slug.lower(), seller.name.strip().lower())


def _resolve(row: BulkRow, by_sku: dict, by_id: dict) -> tuple[object | None, BulkError | None]:
    if row.stockrecord_id is not None:
        record = by_id.get(row.stockrecord_id)
        if record is not None and _of_pesantren_not_selling(record):
            return None, BulkError(row.row, "sku", not_selling_message(record.partner.seller.name))
        if record is None or not _sellable(record):
            name = row.title or row.sku
            return None, BulkError(row.row, "sku", _("“%(product)s” is no longer for sale.") % {"product": name})
        return record, None
    if not row.sku:
        return None, BulkError(row.row, "sku", _("Enter a SKU."))
    matches = by_sku.get(row.sku.upper(), [])
    exact = [record for record in matches if record.partner_sku == row.sku]
    matches = exact or matches
    if not matches:
        return None, BulkError(row.row, "sku", _("No product has the SKU “%(sku)s”.") % {"sku": row.sku})
    sellable = [record for record in matches if _sellable(record)]
    if not sellable:
        suspended = [record.partner.seller for record in matches if _of_pesantren_not_selling(record)]
        if suspended:
            return None, BulkError(row.row, "sku", not_selling_message(suspended[0].name))
        return None, BulkError(
            row.row, "sku", _("The product with the SKU “%(sku)s” is not for sale at the moment.") % {"sku": row.sku}
        )
    if row.pesantren:
        chosen = [record for record in sellable if _pesantren_matches(record, row.pesantren)]
        if not chosen:
            return None, BulkError(
                row.row,
                "pesantren",
                _("No pesantren called “%(pesantren)s” sells the SKU “%(sku)s”.")
                % {"pesantren": row.pesantren, "sku": row.sku},
            )
        sellable = chosen
    if len(sellable) > 1:
        names = ", ".join(sorted(record.partner.seller.slug for record in sellable))
        return None, BulkError(
            row.row,
            "sku",
            _(
                "Several pesantren use the SKU “%(sku)s” (%(pesantren)s); add the pesantren column to say "
                "which one you mean."
            )
            % {"sku": row.sku, "pesantren": names},
        )
    return sellable[0], None


def _unit_price(record, quantity: int) -> Decimal:
    # The prefetched tiers are ordered by min_quantity, so the last one reached is the price.
    price = record.price
    for tier in record.price_tiers.all():
        if tier.min_quantity <= quantity:
            price = Decimal(tier.unit_price)
    return Decimal(price)


def _available(record) -> int | None:
    """Units that may still be sold, or None when the product class does not track stock."""
    product_class = record.product.get_product_class()
    if product_class is not None and not product_class.track_stock:
        return None
    return max((record.num_in_stock or 0) - (record.num_allocated or 0), 0)


def _together(message: str, rows: tuple[int, ...]) -> str:
    if len(rows) == 1:
        return message
    return _("%(message)s (rows %(rows)s added together)") % {
        "message": message,
        "rows": ", ".join(str(row) for row in rows),
    }


def bulk_lines_validate(
    *, company: Company, rows: list[BulkRow], in_basket: dict[int, int] | None = None
) -> list[BulkLine]:
    """Check every row and return the merged, priced lines; raises BulkOrderInvalid listing every problem.

    `in_basket` (stock record id -> quantity) is what the basket already holds, so that the stock check
    covers what the basket will hold once the rows are added.
    """
    if not company.is_verified:
        raise _file_error(_("Your company must be verified by programme staff before it can order."))
    if not rows:
        raise _file_error(_("The order has no products."))
    if len(rows) > MAX_ROWS:
        raise _file_error(
            _("A bulk order may have at most %(count)s rows; split the file into smaller orders.")
            % {"count": number_format(MAX_ROWS, force_grouping=True)}
        )
    in_basket = in_basket or {}
    records = _candidates(rows)
    by_id = {record.pk: record for record in records}
    by_sku = defaultdict(list)
    for record in records:
        by_sku[record.sku_upper].append(record)

    errors: list[BulkError] = []
    grouped: dict[int, list[tuple[BulkRow, int]]] = {}
    for row in rows:
        quantity, quantity_error = _parse_quantity(row.quantity)
        record, sku_error = _resolve(row, by_sku, by_id)
        if sku_error:
            errors.append(sku_error)
        if quantity_error:
            errors.append(BulkError(row.row, "quantity", quantity_error))
        if sku_error or quantity_error:
            continue
        grouped.setdefault(record.pk, []).append((row, quantity))

    lines = []
    for pk, entries in grouped.items():
        record = by_id[pk]
        quantity = sum(quantity for _row, quantity in entries)
        line_rows = tuple(row.row for row, _quantity in entries)
        line = BulkLine(stockrecord=record, quantity=quantity, rows=line_rows, moq=moq_of(record))
        problems = []
        available = _available(record)
        already = in_basket.get(pk, 0)
        if available is not None and quantity + already > available:
            if available == 0:
                problems.append(_("Sold out."))
            elif already:
                problems.append(
                    _("Only %(available)d in stock, and your basket already holds %(already)d.")
                    % {"available": available, "already": already}
                )
            else:
                problems.append(_("Only %(available)d in stock.") % {"available": available})
        if quantity + already < line.moq:
            problems.append(_("The minimum order for wholesale buyers is %(moq)d units.") % {"moq": line.moq})
        if problems:
            errors.extend(BulkError(line_rows[0], "quantity", _together(problem, line_rows)) for problem in problems)
            continue
        line.unit_price = _unit_price(record, quantity + already)
        lines.append(line)
    lines.sort(key=lambda line: line.rows[0])
    if errors:
        raise BulkOrderInvalid(errors, valid_lines=lines)
    return lines


def bulk_lines_parse(*, company: Company, file=None, text: str | None = None) -> list[BulkLine]:
    """Read a CSV upload (or its text) and validate every row: the priced lines, or BulkOrderInvalid."""
    return bulk_lines_validate(company=company, rows=bulk_rows_read(file=file, text=text))


def bulk_lines_total(lines: list[BulkLine]) -> Decimal:
    return sum((line.line_total for line in lines), Decimal(0))


# --- destinations -------------------------------------------------------------------------------


@transaction.atomic
def bulk_order_add_to_basket(*, company: Company, basket, rows: list[BulkRow]) -> list[BulkLine]:
    """Add every row to the buyer's Oscar basket, or none of them (BulkOrderInvalid).

    Lines are written in two statements instead of `basket.add_product` per row. The basket's own
    strategy prices them whenever the basket is read, so the stored price is only Oscar's audit copy.
    """
    if not basket.can_be_edited:
        raise _file_error(_("Your basket cannot be changed at the moment."))
    if basket.pk is None:
        basket.save()
    existing = {line.line_reference: line for line in basket.lines.select_for_update().order_by("pk")}
    in_basket = defaultdict(int)
    for line in existing.values():
        in_basket[line.stockrecord_id] += line.quantity
    lines = bulk_lines_validate(company=company, rows=rows, in_basket=in_basket)
    new, changed = [], []
    for line in lines:
        reference = basket._create_line_reference(line.product, line.stockrecord, [])
        current = existing.get(reference)
        if current is not None:
            current.quantity += line.quantity
            changed.append(current)
            continue
        new.append(
            BasketLine(
                basket=basket,
                line_reference=reference,
                product=line.product,
                stockrecord=line.stockrecord,
                quantity=line.quantity,
                price_currency=line.stockrecord.price_currency,
                price_excl_tax=line.unit_price,
                price_incl_tax=line.unit_price,
            )
        )
    BasketLine.objects.bulk_create(new)
    BasketLine.objects.bulk_update(changed, ["quantity"])
    basket.reset_offer_applications()
    basket._lines = None
    return lines


def bulk_order_place(
    *,
    company: Company,
    user,
    rows: list[BulkRow],
    shipping_address,
    payment_method: str,
    po_number: str = "",
) -> PurchaseResult:
    """Validate the rows and place them as one company purchase (or hold it for approval), or raise."""
    lines = bulk_lines_validate(company=company, rows=rows)
    items = [PurchaseItem(stockrecord=line.stockrecord, quantity=line.quantity) for line in lines]
    return submit_purchase(
        company=company,
        user=user,
        items=items,
        shipping_address=shipping_address,
        payment_method=payment_method,
        po_number=po_number,
    )


def bulk_rows_from_lines(lines: list[BulkLine]) -> list[BulkRow]:
    """Validated lines as rows again (by stock record), to keep between two requests and check again."""
    return [
        BulkRow(
            row=line.rows[0],
            sku=line.sku,
            quantity=str(line.quantity),
            stockrecord_id=line.stockrecord.pk,
            title=line.product.get_title(),
        )
        for line in lines
    ]


# --- re-ordering --------------------------------------------------------------------------------


def company_order_for_member(*, user, order_number: str) -> CompanyOrder | None:
    """A company order the user may see: one of a verified company the user belongs to (else None)."""
    return (
        CompanyOrder.objects.filter(
            order__number=order_number,
            company__in=companies_for_user(user),
        )
        .select_related("order", "company")
        .first()
    )


def reorder_rows(*, company_order: CompanyOrder) -> list[BulkRow]:
    """The past order's products and quantities, one row per order line (numbered from 1)."""
    lines = company_order.order.lines.order_by("pk").only("pk", "stockrecord_id", "partner_sku", "title", "quantity")
    return [
        BulkRow(
            row=index,
            sku=line.partner_sku,
            quantity=str(line.quantity),
            stockrecord_id=line.stockrecord_id or 0,
            title=line.title,
        )
        for index, line in enumerate(lines, start=1)
    ]


def reorder_add_to_basket(
    *, company_order: CompanyOrder, basket, only_available: bool = False
) -> tuple[list[BulkLine], list[BulkError]]:
    """Put a past order's products into the basket again; returns (added lines, products left out).

    By default nothing is added when any product cannot be ordered again (BulkOrderInvalid). With
    `only_available` the buyer has chosen to add the rest: the failing rows are left out and reported.
    """
    company = company_order.company
    rows = reorder_rows(company_order=company_order)
    left_out: list[BulkError] = []
    if only_available:
        in_basket = defaultdict(int)
        for line in basket.all_lines() if basket.pk else []:
            in_basket[line.stockrecord_id] += line.quantity
        try:
            bulk_lines_validate(company=company, rows=rows, in_basket=in_basket)
        except BulkOrderInvalid as invalid:
            left_out = invalid.errors
            rows = [row for row in rows if row.row not in invalid.bad_rows]
            if not rows:
                raise
    return bulk_order_add_to_basket(company=company, basket=basket, rows=rows), left_out


# --- the template and the SKU lookup ------------------------------------------------------------


def bulk_template_csv() -> str:
    """An empty order sheet; the BOM makes Excel open it as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer).writerow(TEMPLATE_HEADER)
    return buffer.getvalue()


@dataclass
class SkuLookup:
    found: bool
    message: str = ""
    title: str = ""
    pesantren: str = ""
    unit_price: Decimal | None = None
    retail_price: Decimal | None = None
    moq: int = 1
    available: int | None = None
    tiers: list[tuple[int, Decimal]] = field(default_factory=list)


def bulk_sku_lookup(*, sku: str, pesantren: str = "", quantity: int = 1) -> SkuLookup:
    """What the quick-order grid shows beside a typed SKU: only public products of verified pesantren."""
    row = BulkRow(row=1, sku=sku.strip(), quantity=str(quantity), pesantren=pesantren.strip())
    if not row.sku:
        return SkuLookup(found=False, message=_("Enter a SKU."))
    records = _candidates([row])
    by_sku = defaultdict(list)
    for record in records:
        by_sku[record.sku_upper].append(record)
    record, error = _resolve(row, by_sku, {})
    if error:
        return SkuLookup(found=False, message=error.message)
    return SkuLookup(
        found=True,
        title=record.product.get_title(),
        pesantren=record.partner.seller.name,
        unit_price=_unit_price(record, max(quantity, 1)),
        retail_price=Decimal(record.price),
        moq=moq_of(record),
        available=_available(record),
        tiers=[(tier.min_quantity, Decimal(tier.unit_price)) for tier in record.price_tiers.all()],
    )

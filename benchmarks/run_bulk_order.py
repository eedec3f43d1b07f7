"""Benchmark of an off-taker's bulk order: a 500-line CSV read, validated and placed as one order.

    .venv/bin/python benchmarks/run_bulk_order.py [--rows 500] [--runs 5] [--payment invoice|bank_transfer]

1. Data: 200 verified pesantren with 5,000 products (the search benchmark's generator, smaller), price
   tiers on 60% of the stock records and a minimum order quantity on a quarter; one verified company
   with a large invoice credit limit. Written into a database of its own (created and migrated when
   missing; reused by later runs).
2. Each run: a fresh CSV of `--rows` distinct SKUs (semicolon separated, UTF-8 with BOM, as Excel
   in the Indonesian locale saves it) goes through what the "place order now" request does:
   `bulk_rows_read` → `bulk_lines_validate` → `submit_purchase`. The Celery tasks the order queues
   go to Redis (and are purged), as from a web process; no worker runs them.
3. Reported: wall time per phase and end to end (median of `--runs`), the CPU time of this process
   and of its PostgreSQL backend, SQL queries per phase (those of placing by area), the Python heap
   peak (tracemalloc, in a separate run, as tracing slows the code) and the process's resident memory
   peak (VmHWM, reset before each run).

Drop the database when done: `dropdb -h 127.0.0.1 -U postgres pasar_pesantren_bulk_bench`.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.harness import ensure_database, machine_facts, setup_django  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pasar_pesantren_bulk_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
COMPANY_NPWP = "019876549210000"
BUYER_EMAIL = "pembelian@bench-offtaker.example"
TARGET_SECONDS = 2.0
STOCK_PER_RECORD = 1_000_000


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=500, help="CSV lines per order (default 500).")
    parser.add_argument("--runs", type=int, default=5, help="Timed runs; the median is reported (default 5).")
    parser.add_argument("--products", type=int, default=5_000, help="Products to generate (default 5,000).")
    parser.add_argument("--pesantren", type=int, default=200, help="Pesantren to generate (default 200).")
    parser.add_argument(
        "--payment", choices=["invoice", "bank_transfer"], default="invoice", help="Payment method (default invoice)."
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_BULK_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_BULK_REDIS_URL", DEFAULT_REDIS_URL))
    args = parser.parse_args(argv)
    if args.runs < 1 or args.rows < 1:
        parser.error("--runs and --rows must be at least 1")
    if args.rows > args.products:
        parser.error("--rows cannot exceed --products")
    return args


def log(message: str) -> None:
    print(f"[bulk-bench] {message}", file=sys.stderr, flush=True)


# --- setup -------------------------------------------------------------------------------------


def prepare_world(args: argparse.Namespace) -> dict:
    from oscar.core.loading import get_model

    from benchmarks.search.run_search import generate_catalogue, prepare_schema
    from wholesale.models import PriceTier, WholesaleTerms

    StockRecord = get_model("partner", "StockRecord")
    prepare_schema()
    generated = generate_catalogue(products=args.products, pesantren=args.pesantren, seed=args.seed)
    if generated.get("created"):
        log(f"catalogue created in {generated['seconds']:.0f} s")
    if not PriceTier.objects.exists():
        rng = random.Random(args.seed)
        tiers, terms = [], []
        for pk, price in StockRecord.objects.order_by("pk").values_list("pk", "price"):
            if rng.random() < 0.6:
                tiers.append(PriceTier(stockrecord_id=pk, min_quantity=10, unit_price=int(price * 95 / 100)))
                tiers.append(PriceTier(stockrecord_id=pk, min_quantity=50, unit_price=int(price * 90 / 100)))
            if rng.random() < 0.25:
                terms.append(WholesaleTerms(stockrecord_id=pk, moq=rng.choice([5, 6, 10, 12, 24])))
        PriceTier.objects.bulk_create(tiers)
        WholesaleTerms.objects.bulk_create(terms)
        log(f"{len(tiers)} price tiers, {len(terms)} minimum order quantities")
    company, user = _company_and_buyer()
    return {
        "company": company,
        "user": user,
        "pesantren": StockRecord.objects.values("partner_id").distinct().count(),
        "products": StockRecord.objects.count(),
        "tiered": PriceTier.objects.values("stockrecord_id").distinct().count(),
        "moq": WholesaleTerms.objects.filter(moq__gt=1).count(),
    }


def _company_and_buyer():
    from django.contrib.auth import get_user_model

    from companies.models import Company, CompanyMembership, CompanyStatus, MembershipRole

    user, _created = get_user_model().objects.get_or_create(
        username="bench-offtaker", defaults={"email": BUYER_EMAIL, "password": "!"}
    )
    company, _created = Company.objects.get_or_create(
        npwp=COMPANY_NPWP,
        defaults={
            "legal_name": "PT Grosir Benchmark Nusantara",
            "business_type": "wholesaler",
            "address": "Jl. Soekarno-Hatta 100, Bandung",
            "contact_name": "Dewi",
            "contact_phone": "0812000999",
            "contact_email": BUYER_EMAIL,
        },
    )
    # Every run's invoice adds to the credit used, so the limit is far above anything the runs reach.
    Company.objects.filter(pk=company.pk).update(
        status=CompanyStatus.VERIFIED, credit_limit=10**15, approval_threshold=None
    )
    company.refresh_from_db()
    CompanyMembership.objects.get_or_create(company=company, user=user, defaults={"role": MembershipRole.APPROVER})
    return company, user


def shipping_address(rng: random.Random):
    from oscar.core.loading import get_model

    from regions.models import Region, RegionLevel
    from shipping.services import indonesia

    ShippingAddress = get_model("order", "ShippingAddress")
    villages = Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="32.").order_by("pk")[:500]
    desa = rng.choice(list(villages))
    kecamatan = desa.parent
    kabupaten = kecamatan.parent
    return ShippingAddress(
        first_name="Dewi Lestari",
        line1="Jl. Soekarno-Hatta 100",
        line4=kabupaten.name,
        state="Jawa Barat",
        postcode=desa.postal_code or "40000",
        country=indonesia(),
        phone_number="+6281200099900",
        kabupaten=kabupaten,
        kecamatan=kecamatan,
        desa=desa,
    )


def make_csv(rng: random.Random, rows: int) -> bytes:
    """`rows` distinct SKUs with quantities at or above each MOQ, some crossing a price tier."""
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    records = list(StockRecord.objects.values_list("partner_sku", "wholesale_terms__moq"))
    lines = ["sku;quantity"]
    for sku, moq in rng.sample(records, rows):
        quantity = max(moq or 1, rng.choice([1, 2, 3, 6, 10, 12, 24, 50, 60]))
        # Spreadsheets keep whatever case the buyer typed.
        lines.append(f"{sku.lower() if rng.random() < 0.1 else sku};{quantity}")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def reset_world(user) -> None:
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    StockRecord.objects.update(num_in_stock=STOCK_PER_RECORD, num_allocated=0)


# --- measurement -------------------------------------------------------------------------------


@dataclass
class RunResult:
    read: float
    validate: float
    place: float
    lines: int
    seller_orders: int
    queries: dict | None = None
    hwm_kib: int = 0
    rss_before_kib: int = 0
    tracemalloc_peak: int = 0
    cpu_self: float = 0.0
    cpu_postgres: float = 0.0
    queries_by_area: dict | None = None

    @property
    def total(self) -> float:
        return self.read + self.validate + self.place


def _proc_status_kib(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def _backend_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of this connection's PostgreSQL backend, from /proc (same machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, PermissionError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _area(sql: str) -> str:
    for table, area in (
        ("analytics_", "Oscar analytics"),
        ("fulfilment_", "SellerOrders and their events"),
        ("invoices_", "invoice"),
    ):
        if f'"{table}' in sql.split(" WHERE ")[0]:
            return area
    return "the rest"


def _reset_hwm() -> bool:
    # Writing 5 to clear_refs resets the kernel's peak RSS (VmHWM) of this process.
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def one_run(world: dict, args: argparse.Namespace, rng: random.Random, *, count_queries=False, trace=False):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fulfilment.models import SellerOrder
    from marketplace.celery import app
    from purchasing.bulk import bulk_lines_validate, bulk_rows_read
    from purchasing.ordering import PurchaseItem, submit_purchase

    reset_world(world["user"])
    raw = make_csv(rng, args.rows)
    address = shipping_address(rng)
    app.control.purge()
    company, user = world["company"], world["user"]

    queries, areas = {}, {}

    def phase(name, call):
        if count_queries:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                value = call()
                seconds = time.perf_counter() - started
            queries[name] = len(captured)
            if name == "place":
                for query in captured.captured_queries:
                    areas[_area(query["sql"])] = areas.get(_area(query["sql"]), 0) + 1
            return value, seconds
        started = time.perf_counter()
        value = call()
        return value, time.perf_counter() - started

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    rss_before = _proc_status_kib("VmRSS")
    cpu_self, cpu_postgres = time.process_time(), _backend_cpu_seconds(backend)
    _reset_hwm()
    if trace:
        tracemalloc.start()
    upload = SimpleUploadedFile("pesanan.csv", raw, content_type="text/csv")
    rows, read_s = phase("read", lambda: bulk_rows_read(file=upload))
    lines, validate_s = phase("validate", lambda: bulk_lines_validate(company=company, rows=rows))
    items = [PurchaseItem(stockrecord=line.stockrecord, quantity=line.quantity) for line in lines]
    result, place_s = phase(
        "place",
        lambda: submit_purchase(
            company=company,
            user=user,
            items=items,
            shipping_address=address,
            payment_method=args.payment,
            po_number=f"PO-BENCH-{rng.randint(1, 10**6)}",
        ),
    )
    peak = 0
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    hwm = _proc_status_kib("VmHWM")
    cpu_self, cpu_postgres = time.process_time() - cpu_self, _backend_cpu_seconds(backend) - cpu_postgres
    app.control.purge()
    order = result.order
    if order is None:
        raise SystemExit("the order was held for approval; the benchmark company should need none")
    if order.lines.count() != len(lines):
        raise SystemExit(f"expected {len(lines)} order lines, found {order.lines.count()}")
    return RunResult(
        read=read_s,
        validate=validate_s,
        place=place_s,
        lines=len(lines),
        seller_orders=SellerOrder.objects.filter(order=order).count(),
        queries=queries or None,
        hwm_kib=hwm,
        rss_before_kib=rss_before,
        tracemalloc_peak=peak,
        cpu_self=cpu_self,
        cpu_postgres=cpu_postgres,
        queries_by_area=areas or None,
    )


# --- report ------------------------------------------------------------------------------------


def report(args, world, facts, runs: list[RunResult], counted: RunResult, traced: RunResult, load_before) -> str:
    mib = 1024
    totals = [run.total for run in runs]
    median_total = statistics.median(totals)
    verdict = "✓" if median_total < TARGET_SECONDS else "✗"
    rss_before = min(run.rss_before_kib for run in runs)
    hwm = max(run.hwm_kib for run in runs)
    q = counted.queries
    rows = [
        ("Order lines / pesantren parts (SellerOrders)", f"{runs[0].lines} / {runs[0].seller_orders}"),
        (
            "End to end: read + validate + place, median (min-max)",
            f"{median_total * 1000:.0f} ms ({min(totals) * 1000:.0f}-{max(totals) * 1000:.0f}) "
            f"— target < {TARGET_SECONDS:.0f} s {verdict}",
        ),
        ("Read the CSV (`bulk_rows_read`), median", f"{statistics.median(r.read for r in runs) * 1000:.0f} ms"),
        (
            f"Validate {args.rows} rows (`bulk_lines_validate`), median",
            f"{statistics.median(r.validate for r in runs) * 1000:.0f} ms",
        ),
        ("Place (`submit_purchase`), median", f"{statistics.median(r.place for r in runs) * 1000:.0f} ms"),
        (
            "CPU time, median: this process + its PostgreSQL backend",
            f"{statistics.median(r.cpu_self for r in runs) * 1000:.0f} + "
            f"{statistics.median(r.cpu_postgres for r in runs) * 1000:.0f} ms",
        ),
        ("SQL queries: read / validate / place", f"{q['read']} / {q['validate']} / {q['place']}"),
        (
            "Queries while placing, by area",
            ", ".join(
                f"{area} {count}" for area, count in sorted(counted.queries_by_area.items(), key=lambda i: -i[1])
            ),
        ),
        ("Python heap peak during a run (tracemalloc)", f"{traced.tracemalloc_peak / 2**20:.1f} MiB"),
        ("Process resident memory before → peak (VmHWM)", f"{rss_before / mib:.0f} → {hwm / mib:.0f} MiB"),
    ]
    lines = [
        f"## Bulk order benchmark, {datetime.date.today().isoformat()}",
        "",
        "| Measure | Result |",
        "| --- | --- |",
        *(f"| {name} | {value} |" for name, value in rows),
        "",
        f"Machine: {facts['cpus']} CPUs ({facts['cpu']}), PostgreSQL {facts['postgres']}, "
        f"Python {facts['python']}; 1-minute load average {load_before} before, {facts['load']} after.",
        f"World: {world['pesantren']} verified pesantren, {world['products']} products "
        f"({world['tiered']} with price tiers, {world['moq']} with an MOQ); {args.rows} CSV lines, "
        f"payment {args.payment}, {args.runs} timed runs.",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    if ensure_database(args.database_url):
        log(f"created database {urlsplit(args.database_url).path.lstrip('/')}")
    setup_django(args)
    from marketplace.celery import app

    # The order's tasks leave through Redis, as from a web process; the benchmark purges them.
    app.conf.task_always_eager = False
    load_before = f"{os.getloadavg()[0]:.2f}"
    world = prepare_world(args)
    log(f"world ready: {world['pesantren']} pesantren, {world['products']} products")
    rng = random.Random(args.seed)
    log("warm-up run")
    one_run(world, args, rng)
    runs = []
    for index in range(args.runs):
        runs.append(one_run(world, args, rng))
        log(f"run {index + 1}/{args.runs}: {runs[-1].total * 1000:.0f} ms")
    counted = one_run(world, args, rng, count_queries=True)
    traced = one_run(world, args, rng, trace=True)
    print(report(args, world, machine_facts(), runs, counted, traced, load_before))
    return 0


if __name__ == "__main__":
    sys.exit(main())

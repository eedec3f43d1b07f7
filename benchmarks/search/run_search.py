"""Benchmark of product search on the active backend (PostgreSQL full-text search on these machines).

    .venv/bin/python benchmarks/search/run_search.py [--products 50000] [--pesantren 2000] [--samples 100]

1. Data: 2,000 verified pesantren spread over Jawa Barat's kabupaten and kecamatan, and 50,000
   products titled from the demo templates (marketplace/demo/data.py), written with bulk_create into
   a database of their own (created and migrated when missing; reused by later runs).
2. Rebuild: `get_backend().rebuild()` in a child process, so that its peak resident memory
   (VmHWM) belongs to the rebuild alone. Reports products/s, the resident memory before the rebuild
   and the peak during it.
3. Latency: p50/p95 and SQL queries per call of the backend's `search()` for free text, for free
   text with two filters (facets are always computed), and of `autocomplete()`.
4. Pages: server time (in-process test client, as Oscar's sandbox baseline was measured) and SQL
   queries of `/catalogue/` and `/search/?q=...`, median of 20.

Drop the database when done: `dropdb -h 127.0.0.1 -U postgres pasar_pesantren_search_bench`.
"""

import argparse
import datetime
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.harness import ensure_database, machine_facts, percentile, setup_django  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pasar_pesantren_search_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
BENCH_EMAIL_DOMAIN = "bench.pasarpesantren.id"
OUT_OF_STOCK_SHARE = 0.1

FREE_TEXT_QUERIES = [
    "keripik pisang",
    "kerudung",
    "kopi arabika",
    "madu hutan",
    "sambal",
    "peci rajut",
    "gamis",
    "kerupuk",
    "kripik singkong",  # a typo and a spelling variant
    "abon lele",
    "sabun sereh",
    "beras organik",
]
AUTOCOMPLETE_PREFIXES = ["ker", "kopi", "mad", "sam", "pec", "gam", "kerup", "abo", "sab", "ber", "dod", "tel"]
TARGETS_MS = {"search": 150, "autocomplete": 50}
STOCK_OSCAR = {"/catalogue/": (292, 132), "search": (227, 10)}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=50_000, help="Products to generate (default 50,000).")
    parser.add_argument("--pesantren", type=int, default=2_000, help="Pesantren to generate (default 2,000).")
    parser.add_argument("--samples", type=int, default=100, help="Calls per backend measurement (default 100).")
    parser.add_argument("--page-samples", type=int, default=20, help="Requests per page (default 20).")
    parser.add_argument("--batch-size", type=int, default=1000, help="Rebuild batch size (default 1000).")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--skip-rebuild", action="store_true", help="Measure the index as it is.")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_SEARCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_SEARCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--phase", choices=["all", "rebuild"], default="all", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.products < 1 or args.pesantren < 1 or args.samples < 1 or args.page_samples < 1:
        parser.error("--products, --pesantren, --samples and --page-samples must be at least 1")
    if args.pesantren > args.products:
        parser.error("--pesantren cannot exceed --products")
    return args


def log(message: str) -> None:
    print(f"[search-bench] {message}", file=sys.stderr, flush=True)


# --- setup -------------------------------------------------------------------------------------


def prepare_schema() -> None:
    from django.core.management import call_command

    from regions.models import Region

    call_command("migrate", verbosity=0, interactive=False)
    if not Region.objects.filter(code="32").exists():
        log("loading Jawa Barat regions")
        call_command("load_regions", province="32", verbosity=0, stdout=io.StringIO())


def generate_catalogue(*, products: int, pesantren: int, seed: int) -> dict:
    """Create the pesantren and products with bulk_create (no signals, so nothing is indexed yet)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify
    from oscar.core.loading import get_model

    from marketplace.demo import data
    from marketplace.demo.services import _ensure_taxonomy, _product_catalogue, _RegionPicker
    from sellers.models import Seller, SellerStatus

    Partner = get_model("partner", "Partner")
    Product = get_model("catalogue", "Product")
    User = get_user_model()

    existing = Seller.objects.filter(owner__email__endswith=f"@{BENCH_EMAIL_DOMAIN}").count()
    if existing >= pesantren and Product.objects.count() >= products:
        log(f"reusing {existing} pesantren and {Product.objects.count()} products")
        return {"created": False}
    if existing:
        raise SystemExit("A partial benchmark catalogue exists; drop the database and run again.")

    rng = random.Random(seed)
    picker = _RegionPicker("32")
    catalogue = _product_catalogue()
    product_class, categories = _ensure_taxonomy()
    today = timezone.localdate()
    now = timezone.now()
    started = time.perf_counter()

    with transaction.atomic():
        users = User.objects.bulk_create(
            User(username=f"bench-{n}", email=f"pesantren{n}@{BENCH_EMAIL_DOMAIN}", password="!")
            for n in range(pesantren)
        )
        sellers, plans = [], []
        for n, owner in enumerate(users):
            kabupaten = picker.regencies[n % len(picker.regencies)]  # every kabupaten, evenly
            place = picker.place(rng, kabupaten)
            sector = rng.choices(*zip(*data.SECTOR_SHARES, strict=True))[0]
            prefix = rng.choices(*zip(*data.PESANTREN_PREFIXES, strict=True))[0]
            name = f"{prefix} {rng.choice(data.PESANTREN_CORE_NAMES)} {place.kecamatan.name.title()}"
            slug = f"{slugify(name)[:120]}-{n}"
            sellers.append(
                Seller(
                    owner=owner,
                    name=name,
                    slug=slug,
                    nspp=f"5100{n:08d}",
                    sector=sector,
                    address_line=f"{rng.choice(data.STREETS)} No. {rng.randint(1, 160)}",
                    province=picker.province,
                    kabupaten=place.kabupaten,
                    kecamatan=place.kecamatan,
                    desa=place.desa,
                    postal_code=place.desa.postal_code or "40000",
                    contact_name=f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}",
                    whatsapp=f"62812{n:08d}",
                    status=SellerStatus.VERIFIED,
                    verified_at=now,
                )
            )
            plans.append((name, place, sector))
        partners = Partner.objects.bulk_create(Partner(name=seller.name[:128], code=seller.slug) for seller in sellers)
        for seller, partner in zip(sellers, partners, strict=True):
            seller.partner = partner
        Seller.objects.bulk_create(sellers)
        log(f"{pesantren} pesantren created")

        per_seller = [products // pesantren + (1 if n < products % pesantren else 0) for n in range(pesantren)]
        batch = []
        created = 0
        for n, count in enumerate(per_seller):
            name, place, sector = plans[n]
            for _ in range(count):
                template, title, size = rng.choice(catalogue[sector])
                batch.append((partners[n].pk, place, name, template, title, size))
            if len(batch) >= 5000 or n == pesantren - 1:
                created = _create_products(
                    batch, rng=rng, start=created, product_class=product_class, categories=categories, today=today
                )
                batch = []
                log(f"{created} products created")
        # Spread the creation dates over two years, so "newest" has something to sort.
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Product._meta.db_table} SET date_created = date_created - (id %% %s) * interval '1 day'",
                [730],
            )
    return {"created": True, "seconds": time.perf_counter() - started}


def _create_products(rows, *, rng, start, product_class, categories, today) -> int:
    from django.conf import settings
    from django.utils.text import slugify
    from oscar.core.loading import get_model

    from marketplace.demo.services import _licences, _round_price

    Product = get_model("catalogue", "Product")
    ProductCategory = get_model("catalogue", "ProductCategory")
    StockRecord = get_model("partner", "StockRecord")

    products = Product.objects.bulk_create(
        Product(
            structure=Product.STANDALONE,
            product_class=product_class,
            title=title,
            slug=slugify(title),
            description=template.description.format(title=title, pesantren=maker, kabupaten=place.kabupaten.name),
            is_public=True,
            unit=template.unit,
            weight_grams=size.weight_grams,
            **_licences(rng, template.licence, place.kabupaten.code.replace(".", ""), today),
        )
        for _partner, place, maker, template, title, size in rows
    )
    ProductCategory.objects.bulk_create(
        ProductCategory(product=product, category=categories[row[3].category])
        for product, row in zip(products, rows, strict=True)
    )
    StockRecord.objects.bulk_create(
        StockRecord(
            product=product,
            partner_id=row[0],
            partner_sku=f"BENCH-{start + n}",
            price_currency=settings.OSCAR_DEFAULT_CURRENCY,
            price=_round_price(rng.randint(row[5].min_price, row[5].max_price)),
            num_in_stock=0 if rng.random() < OUT_OF_STOCK_SHARE else rng.randint(1, 200),
        )
        for n, (product, row) in enumerate(zip(products, rows, strict=True))
    )
    return start + len(products)


# --- phase: rebuild (child process) ------------------------------------------------------------


def run_rebuild_phase(args: argparse.Namespace) -> None:
    """Runs in a child process; prints one JSON line."""
    from oscar.core.loading import get_model

    from search.backends import get_backend

    Product = get_model("catalogue", "Product")
    backend = get_backend()
    total = Product.objects.filter(parent__isnull=True).count()
    rss_before = _proc_status_kib("VmRSS")
    done = [0]
    started = time.perf_counter()

    def progress(n: int) -> None:
        done[0] += n
        if done[0] % 10_000 < n:
            log(f"rebuild: {done[0]}/{total}")

    indexed = backend.rebuild(batch_size=args.batch_size, progress=progress)
    seconds = time.perf_counter() - started
    peak = _proc_status_kib("VmHWM")
    print(
        json.dumps(
            {
                "backend": backend.name,
                "products": total,
                "indexed": indexed,
                "seconds": seconds,
                "rss_before_kib": rss_before,
                "peak_rss_kib": peak,
            }
        )
    )


def _proc_status_kib(key: str) -> int:
    """A memory figure of this process from /proc/self/status.

    Not getrusage's ru_maxrss: Linux carries that over from the parent through fork and exec, so a
    child would report the benchmark process's own peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise RuntimeError(f"{key} not in /proc/self/status")


def rebuild_in_child(args: argparse.Namespace) -> dict:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--phase",
        "rebuild",
        "--batch-size",
        str(args.batch_size),
        "--database-url",
        args.database_url,
        "--redis-url",
        args.redis_url,
    ]
    completed = subprocess.run(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- phase: latency ----------------------------------------------------------------------------


def measure(call, samples: int, *, warmup: int = 3) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(warmup):
        call(n)
    timings, queries = [], []
    for n in range(samples):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call(n)
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
    return {
        "p50": percentile(timings, 0.5),
        "p95": percentile(timings, 0.95),
        "max": max(timings),
        "queries": statistics.median(queries),
        "samples": samples,
    }


def backend_latency(args: argparse.Namespace) -> dict:
    from search.backends import get_backend
    from search.backends.base import SearchQuery

    backend = get_backend()
    # The two largest kabupaten by product count make a realistic narrowing filter.
    kabupaten = busiest_kabupaten()
    checks = {}

    def free_text(n):
        return backend.search(SearchQuery(text=FREE_TEXT_QUERIES[n % len(FREE_TEXT_QUERIES)]))

    def filtered(n):
        return backend.search(
            SearchQuery(
                text=FREE_TEXT_QUERIES[n % len(FREE_TEXT_QUERIES)],
                kabupaten_codes=(kabupaten[n % len(kabupaten)],),
                halal=True,
            )
        )

    def autocomplete(n):
        return backend.autocomplete(AUTOCOMPLETE_PREFIXES[n % len(AUTOCOMPLETE_PREFIXES)], limit=8)

    # Sanity: the measured calls find something, or the figures mean nothing.
    first = free_text(0)
    checks["free_text_total"] = first.total
    checks["filtered_total"] = filtered(0).total
    checks["autocomplete_products"] = len(autocomplete(0)["products"])
    if not first.total:
        raise SystemExit(f"Free text {FREE_TEXT_QUERIES[0]!r} found nothing: is the index built?")
    return {
        "backend": backend.name,
        "free_text": measure(free_text, args.samples),
        "filtered": measure(filtered, args.samples),
        "autocomplete": measure(autocomplete, args.samples),
        "checks": checks,
    }


def busiest_kabupaten() -> list[str]:
    from django.db.models import Count

    from search.models import ProductSearchDocument

    rows = (
        ProductSearchDocument.objects.filter(searchable=True)
        .values("kabupaten_code")
        .annotate(n=Count("pk"))
        .order_by("-n")[:2]
    )
    codes = [row["kabupaten_code"] for row in rows]
    return codes or ["32.04"]


def page_times(args: argparse.Namespace) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    results = {}
    for url in ("/catalogue/", "/search/?q=keripik+pedas"):
        for _ in range(2):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        timings, queries = [], []
        for _ in range(args.page_samples):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured.captured_queries))
        results[url] = {
            "median": statistics.median(timings),
            "p95": percentile(timings, 0.95),
            "queries": statistics.median(queries),
            "bytes": len(response.content),
        }
    return results


def report(args, facts, counts, rebuild, latency, pages) -> str:
    def verdict(value, target):
        return "✓" if value < target else "✗"

    lines = [
        f"Search benchmark, {datetime.date.today():%Y-%m-%d}: {counts['products']:,} products from "
        f"{counts['pesantren']:,} pesantren, {latency['backend']} backend, {facts['cpus']} CPUs ({facts['cpu']}), "
        f"PostgreSQL {facts['postgres']}, Python {facts['python']}, load {facts['load']}.",
        "",
        "| measurement | p50 | p95 | SQL queries | target |",
        "|---|---|---|---|---|",
    ]
    for key, label, target in (
        ("free_text", "search: free text", TARGETS_MS["search"]),
        ("filtered", "search: free text + kabupaten + halal, with facets", TARGETS_MS["search"]),
        ("autocomplete", "autocomplete (products, pesantren, categories)", TARGETS_MS["autocomplete"]),
    ):
        row = latency[key]
        lines.append(
            f"| {label} | {row['p50']:.1f} ms | {row['p95']:.1f} ms | {row['queries']:g} | "
            f"p95 < {target} ms {verdict(row['p95'], target)} |"
        )
    lines += [
        "",
        f"| page (median of {args.page_samples}, in-process client) | server time | SQL queries "
        "| stock Oscar sandbox |",
        "|---|---|---|---|",
    ]
    catalogue = pages["/catalogue/"]
    search = pages["/search/?q=keripik+pedas"]
    lines.append(
        f"| `/catalogue/` | {catalogue['median']:.0f} ms | {catalogue['queries']:g} | "
        f"{STOCK_OSCAR['/catalogue/'][0]} ms, {STOCK_OSCAR['/catalogue/'][1]} queries (209 products) |"
    )
    lines.append(
        f"| `/search/?q=keripik+pedas` | {search['median']:.0f} ms | {search['queries']:g} | "
        f"{STOCK_OSCAR['search'][0]} ms, {STOCK_OSCAR['search'][1]} queries |"
    )
    if rebuild:
        rate = rebuild["products"] / rebuild["seconds"] if rebuild["seconds"] else 0
        lines += [
            "",
            "| full rebuild | value |",
            "|---|---|",
            f"| products | {rebuild['products']:,} ({rebuild['indexed']:,} searchable) |",
            f"| time | {rebuild['seconds']:.1f} s |",
            f"| throughput | {rate:,.0f} products/s |",
            f"| peak resident memory (child process) | {rebuild['peak_rss_kib'] / 1024:.0f} MiB "
            f"({rebuild['rss_before_kib'] / 1024:.0f} MiB before the rebuild started) |",
            f"| batch size | {args.batch_size} |",
        ]
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.phase == "rebuild":
        setup_django(args)
        run_rebuild_phase(args)
        return 0

    if ensure_database(args.database_url):
        log(f"created database {urlsplit(args.database_url).path.lstrip('/')}")
    setup_django(args)
    prepare_schema()
    generated = generate_catalogue(products=args.products, pesantren=args.pesantren, seed=args.seed)
    if generated.get("created"):
        log(f"catalogue generated in {generated['seconds']:.1f} s")

    from oscar.core.loading import get_model

    from sellers.models import Seller

    Product = get_model("catalogue", "Product")
    counts = {"products": Product.objects.count(), "pesantren": Seller.objects.verified().count()}

    rebuild = None
    if not args.skip_rebuild:
        log("rebuilding the index in a child process")
        rebuild = rebuild_in_child(args)
        log(f"rebuild: {rebuild['products']} products in {rebuild['seconds']:.1f} s")
    facts = machine_facts()
    log("measuring backend calls")
    latency = backend_latency(args)
    log("measuring pages")
    pages = page_times(args)
    print(report(args, facts, counts, rebuild, latency, pages))
    print("\n<details><summary>raw</summary>\n\n```json")
    print(json.dumps({"rebuild": rebuild, "latency": latency, "pages": pages, "machine": facts}, indent=1))
    print("```\n</details>")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Browse pages, stock Oscar against the marketplace, on the same generated catalogue (issue 12, item 5).

    .venv/bin/python benchmarks/run_pages.py                     # 2,000 products
    .venv/bin/python benchmarks/run_pages.py --products 50000
    .venv/bin/python benchmarks/run_pages.py --load              # loopback load run with gunicorn
    .venv/bin/python benchmarks/run_pages.py --products 50000 --setup-only   # build now, measure later

1. The marketplace's database (`pp_bench_pages_<N>`): Jawa Barat's regions and N products over N/25
   verified pesantren, made by the search benchmark's generator (titles, categories, prices, stock
   from the demo templates; no images), its search index built (the database backend). The
   catalogue is then written to a JSON file.
2. Stock Oscar 4.2 (`benchmarks/stock_oscar/`: Oscar's default apps and templates, Haystack with
   Whoosh) on a database of its own (`pp_bench_pages_stock_<N>`), loaded from that file: the same
   products (same ids, titles, descriptions, categories), prices, stock and partners, and its Whoosh
   index built with `rebuild_index`.
3. Each side is measured in a child process of its own, with Django's in-process test client, as
   an anonymous visitor: per page, warm-up requests, then the median and p95 of `--samples`
   requests, and the SQL queries of one more. The table puts them side by side with the ratio
   (stock time / our time). Home, pesantren directory and storefront exist on our side only.

'Rendered' is a visitor the page cache does not serve (an anonymous one with the page cache off): the
page is rendered, with its catalogue-only fragments (product grids, facets, search answers, the
product page's body) cached as deployed; 'signed in' is the same for a signed-in consumer, with their
session, basket, wish lists and notifications; 'cold' renders everything
(`MARKETPLACE_FRAGMENT_CACHE_SECONDS=0`), as right after a catalogue write.

With `--load`, our side runs as deployed: gunicorn with `deploy/gunicorn.conf.py` (its workers and
threads, keep-alive, access log) on the production settings (DEBUG off, persistent database
connections, Redis cache, WhiteNoise's manifest storage after a `collectstatic` into
var/bench-pages/static), on 127.0.0.1. Requests carry `X-Forwarded-Proto: https`, as the reverse
proxy's do. The load comes from `wrk` (Debian's package) when it is installed: one thread, the
browse pages in turn, for `--duration` seconds; otherwise from a pool of Python threads with
keep-alive connections, which needs more of the same CPUs. Reported: requests/s, latency
percentiles and errors (non-2xx answers, socket errors and timeouts).

Both databases are reused by later runs. Drop them when done:
`dropdb -h 127.0.0.1 -U postgres pp_bench_pages_2000` (and `pp_bench_pages_stock_2000`, …).
"""

import argparse
import datetime
import http.client
import io
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.harness import ensure_database, machine_facts, percentile  # noqa: E402

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/11"
PRODUCTS_PER_PESANTREN = 25
SEARCH_TEXT = "keripik pedas"
OUR_ONLY = ("home", "directory", "storefront")
PAGES = ("home", "directory", "storefront", "catalogue", "category", "product", "search")
TARGET_RATIO = 5
TARGET_QUERIES = 12
TARGET_RPS = 300


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=2_000, help="Products to generate (default 2,000).")
    parser.add_argument("--samples", type=int, default=30, help="Timed requests per page (default 30).")
    parser.add_argument("--warmup", type=int, default=3, help="Untimed requests per page first (default 3).")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--database-url", help="Our database (default pp_bench_pages_<N>).")
    parser.add_argument("--stock-database-url", help="Stock Oscar's database (default pp_bench_pages_stock_<N>).")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_PAGES_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--load", action="store_true", help="Run the gunicorn load test instead.")
    parser.add_argument(
        "--skip-stock",
        action="store_true",
        help="Measure our side only (stock Oscar's Whoosh index takes about 50 ms per product to build).",
    )
    parser.add_argument(
        "--setup-only", action="store_true", help="Build both databases and indexes, then stop (measure later)."
    )
    parser.add_argument("--duration", type=float, default=25.0, help="Load run length in seconds (default 25).")
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers for --load (default: deploy/gunicorn.conf.py's, 2 per core + 1)."
    )
    parser.add_argument("--connections", type=int, default=16, help="Concurrent connections for --load (default 16).")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto", help="Load generator.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--page-cache-seconds", type=int, default=30, help="Our anonymous page cache TTL (default 30; 0 = off)."
    )
    parser.add_argument("--phase", choices=["ours-setup", "stock-setup", "ours", "stock"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    base = "postgres://postgres@127.0.0.1:5432"
    args.database_url = args.database_url or f"{base}/pp_bench_pages_{args.products}"
    args.stock_database_url = args.stock_database_url or f"{base}/pp_bench_pages_stock_{args.products}"
    args.export = REPO_ROOT / "var" / "bench-pages" / f"catalogue-{args.products}.json"
    return args


def log(message: str) -> None:
    print(f"[pages-bench] {message}", file=sys.stderr, flush=True)


def our_environment(args) -> dict:
    return {
        **os.environ,
        "MARKETPLACE_ANONYMOUS_PAGE_CACHE_SECONDS": str(args.page_cache_seconds),
        "MARKETPLACE_FRAGMENT_CACHE_SECONDS": os.environ.get("MARKETPLACE_FRAGMENT_CACHE_SECONDS", "30"),
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }


def stock_environment(args) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.stock_oscar.settings",
        "STOCK_OSCAR_DATABASE_URL": args.stock_database_url,
        "STOCK_OSCAR_VAR": str(REPO_ROOT / "var" / "bench-pages" / f"stock-{args.products}"),
    }


def run_child(args, phase: str, env: dict) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", phase, "--products", str(args.products)]
    command += ["--samples", str(args.samples), "--warmup", str(args.warmup), "--seed", str(args.seed)]
    command += ["--database-url", args.database_url, "--stock-database-url", args.stock_database_url]
    command += ["--redis-url", args.redis_url, "--page-cache-seconds", str(args.page_cache_seconds)]
    completed = subprocess.run(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- our side ----------------------------------------------------------------------------------


def ours_setup(args) -> dict:
    """Runs in a child process: generate (once), index, export the catalogue for stock Oscar."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from oscar.core.loading import get_model

    from benchmarks.search.run_search import generate_catalogue
    from regions.models import Region
    from search.backends import get_backend
    from search.models import ProductSearchDocument

    Product = get_model("catalogue", "Product")
    call_command("migrate", verbosity=0, interactive=False)
    if not Region.objects.filter(code="32").exists():
        log("loading Jawa Barat regions")
        call_command("load_regions", province="32", verbosity=0, stdout=io.StringIO())
    pesantren = max(1, args.products // PRODUCTS_PER_PESANTREN)
    generated = generate_catalogue(products=args.products, pesantren=pesantren, seed=args.seed)
    if generated.get("created") or ProductSearchDocument.objects.count() != Product.objects.count():
        log("building our search index")
        started = time.perf_counter()
        get_backend().rebuild(batch_size=1000)
        log(f"our index built in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if generated.get("created") or not args.export.exists():
        export_catalogue(args.export)
    return {"products": Product.objects.count(), "pesantren": pesantren}


def export_catalogue(path: Path) -> None:
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    products = []
    queryset = Product.objects.order_by("pk").prefetch_related("categories", "stockrecords__partner")
    for product in queryset.iterator(chunk_size=2000):
        record = product.stockrecords.all()[0]
        products.append(
            {
                "id": product.pk,
                "title": product.title,
                "slug": product.slug,
                "description": product.description,
                "date_created": product.date_created.isoformat(),
                "categories": [category.full_name for category in product.categories.all()],
                "partner": [record.partner.code, record.partner.name],
                "sku": record.partner_sku,
                "price": str(record.price),
                "num_in_stock": record.num_in_stock,
            }
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"products": products}))
    log(f"catalogue exported to {path.relative_to(REPO_ROOT)}")


def our_urls() -> dict[str, str]:
    from django.db.models import Count
    from django.urls import reverse

    from sellers.models import Seller

    seller = Seller.objects.verified().annotate(n=Count("partner__stockrecords")).order_by("-n", "pk").first()
    return {
        "home": "/",
        "directory": reverse("sellers:directory"),
        "storefront": seller.get_absolute_url(),
        **shared_urls(),
    }


def shared_urls() -> dict[str, str]:
    """The pages both shops have, for the same category and product (chosen the same way on both sides)."""
    from django.db.models import Count
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")
    category = Category.objects.filter(depth__gte=2).annotate(n=Count("product")).order_by("-n", "name").first()
    product = (
        Product.objects.filter(stockrecords__num_in_stock__gt=0).order_by("pk")[Product.objects.count() // 2 :].first()
    )
    return {
        "catalogue": "/catalogue/",
        "category": category.get_absolute_url(),
        "product": product.get_absolute_url(),
        "search": "/search/?" + f"q={SEARCH_TEXT.replace(' ', '+')}",
    }


# --- stock Oscar -------------------------------------------------------------------------------


def stock_setup(args) -> dict:
    """Runs in a child process on stock Oscar's settings: load the exported catalogue, build Whoosh."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    call_command("migrate", verbosity=0, interactive=False)
    catalogue = json.loads(args.export.read_text())["products"]
    index_dir = Path(stock_environment(args)["STOCK_OSCAR_VAR"]) / "whoosh_index"
    if Product.objects.count() != len(catalogue):
        if Product.objects.exists():
            raise SystemExit("Stock Oscar's database holds another catalogue; drop it and run again.")
        load_stock_catalogue(catalogue)
        index_dir.mkdir(parents=True, exist_ok=True)
        for stale in index_dir.iterdir():
            stale.unlink()
    if not any(index_dir.glob("*.toc")):
        log("building stock Oscar's Whoosh index (rebuild_index)")
        index_dir.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        call_command("rebuild_index", interactive=False, verbosity=0)
        log(f"Whoosh index built in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"products": Product.objects.count()}


def load_stock_catalogue(catalogue: list[dict]) -> None:
    from django.db import connection, transaction
    from django.utils.dateparse import parse_datetime
    from oscar.apps.catalogue.categories import create_from_breadcrumbs
    from oscar.core.loading import get_model

    Partner = get_model("partner", "Partner")
    Product = get_model("catalogue", "Product")
    ProductCategory = get_model("catalogue", "ProductCategory")
    ProductClass = get_model("catalogue", "ProductClass")
    StockRecord = get_model("partner", "StockRecord")

    started = time.perf_counter()
    with transaction.atomic():
        product_class = ProductClass.objects.create(name="Produk", requires_shipping=True, track_stock=True)
        names = sorted({name for row in catalogue for name in row["categories"]})
        categories = {name: create_from_breadcrumbs(name) for name in names}
        partners = {}
        for row in catalogue:
            code, name = row["partner"]
            partners.setdefault(code, Partner(code=code, name=name))
        Partner.objects.bulk_create(partners.values())
        partners = {partner.code: partner for partner in Partner.objects.all()}
        for start in range(0, len(catalogue), 5000):
            rows = catalogue[start : start + 5000]
            Product.objects.bulk_create(
                Product(
                    id=row["id"],
                    structure=Product.STANDALONE,
                    product_class=product_class,
                    title=row["title"],
                    slug=row["slug"],
                    description=row["description"],
                    is_public=True,
                )
                for row in rows
            )
            ProductCategory.objects.bulk_create(
                ProductCategory(product_id=row["id"], category=categories[name])
                for row in rows
                for name in row["categories"]
            )
            StockRecord.objects.bulk_create(
                StockRecord(
                    product_id=row["id"],
                    partner=partners[row["partner"][0]],
                    partner_sku=row["sku"],
                    price_currency="IDR",
                    price=row["price"],
                    num_in_stock=row["num_in_stock"],
                )
                for row in rows
            )
        with connection.cursor() as cursor:
            # The same creation dates as ours (auto_now_add ignored the exported ones).
            cursor.executemany(
                f"UPDATE {Product._meta.db_table} SET date_created = %s WHERE id = %s",
                [(parse_datetime(row["date_created"]), row["id"]) for row in catalogue],
            )
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{Product._meta.db_table}', 'id'), (SELECT MAX(id) FROM "
                f"{Product._meta.db_table}))"
            )
    log(f"stock Oscar loaded with {len(catalogue)} products in {time.perf_counter() - started:.1f} s")


# --- measuring ---------------------------------------------------------------------------------


def measure_pages(args, urls: dict[str, str]) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if os.environ.get("PAGES_BENCH_SIGNED_IN"):
        # A signed-in consumer: the page cache never serves them, their own parts are rendered.
        from django.contrib.auth import get_user_model

        user, _created = get_user_model().objects.get_or_create(
            username="pages-bench", defaults={"email": "pages-bench@example.com"}
        )
        client.force_login(user)
    results = {}
    for page, url in urls.items():
        for _ in range(args.warmup):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        timings = []
        for _ in range(args.samples):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        results[page] = {
            "url": url,
            "median": statistics.median(timings),
            "p95": percentile(timings, 0.95),
            "queries": len(captured.captured_queries),
            "bytes": len(response.content),
        }
    return results


def measure_ours(args) -> dict:
    import django

    django.setup()
    from catalogue import view_counts

    try:
        return measure_pages(args, our_urls())
    finally:
        # The product views the run counted in Redis: no beat runs here to write them.
        client, key = view_counts.pending_list()
        client.delete(key)


def measure_stock(args) -> dict:
    import django

    django.setup()
    return measure_pages(args, shared_urls())


def loads(facts: dict) -> str:
    return "/".join(f"{value:.2f}" for value in facts["load_averages"])


def comparison_report(args, counts, runs: dict, facts_before, facts_after) -> str:
    """`runs`: ours, rendered, signed_in, cold, stock and stock_signed_in, each page -> its figures."""
    lines = [
        f"Browse pages, {datetime.date.today():%Y-%m-%d}: {counts['products']:,} products from "
        f"{counts['pesantren']:,} pesantren, {facts_after['cpus']} CPUs ({facts_after['cpu']}), Python "
        f"{facts_after['python']}; median and p95 of {args.samples} requests after {args.warmup} warm-ups, "
        f"in-process test client. Load average (1/5/15 min) before {loads(facts_before)}, "
        f"after {loads(facts_after)}. 'Ours' is an anonymous visitor as deployed (page cache on, "
        f"{args.page_cache_seconds} s); 'rendered' is every request rendered (page cache off), its catalogue "
        "fragments cached; 'signed in' the same for a signed-in consumer, against stock Oscar's signed-in "
        "consumer; 'cold' renders everything (fragment cache off too). The other ratios are against stock "
        "Oscar's anonymous visitor.",
        "",
        "| page | stock Oscar ms p50 / p95 | stock signed in | ours ms p50 / p95 | ratio | rendered | ratio "
        "| signed in | ratio | cold | ratio "
        f"| SQL queries stock / stock signed in / ours / rendered / signed in / cold | ≥ {TARGET_RATIO}× (ours), "
        f"≤ {TARGET_QUERIES} queries |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def timing(row):
        return f"{row['median']:.1f} / {row['p95']:.1f}"

    for page in PAGES:
        rows = [runs[name][page] for name in ("ours", "rendered", "signed_in", "cold")]
        theirs, theirs_signed_in = runs["stock"].get(page), runs["stock_signed_in"].get(page)
        queries = " / ".join(str(row["queries"]) for row in rows)
        queries_ok = max(row["queries"] for row in rows) <= TARGET_QUERIES
        if theirs is None:
            # A page stock Oscar lacks, or a run with --skip-stock.
            cells = " | ".join(f"{timing(row)} | —" for row in rows)
            lines.append(f"| {page} | — | — | {cells} | — / — / {queries} | {'✓' if queries_ok else '✗'} |")
            continue
        against = [theirs, theirs, theirs_signed_in, theirs]
        ratios = [their["median"] / row["median"] for their, row in zip(against, rows, strict=True)]
        ok = ratios[0] >= TARGET_RATIO and queries_ok
        cells = " | ".join(f"{timing(row)} | {ratio:.1f}×" for row, ratio in zip(rows, ratios, strict=True))
        stock_queries = f"{theirs['queries']} / {theirs_signed_in['queries']}"
        lines.append(
            f"| {page} | {timing(theirs)} | {timing(theirs_signed_in)} | {cells} | {stock_queries} / {queries} "
            f"| {'✓' if ok else '✗'} |"
        )
    return "\n".join(lines)


# --- load run ----------------------------------------------------------------------------------


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on port {port}")


# What the reverse proxy in front of gunicorn adds (production settings redirect plain HTTP to HTTPS).
PROXY_HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}


def deployed_environment(args) -> dict:
    """The production settings, with benchmark values for what they insist on."""
    env = {
        key: value
        for key, value in our_environment(args).items()
        if key not in ("DJANGO_SETTINGS_MODULE", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_DEBUG")
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # No Stripe keys here: the browse pages do not pay.
        "MARKETPLACE_CARD_PAYMENTS": "false",
        "STATIC_ROOT": str(REPO_ROOT / "var" / "bench-pages" / "static"),
        "MEDIA_ROOT": str(REPO_ROOT / "var" / "bench-media"),
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "WARNING",
        **({"WEB_CONCURRENCY": str(args.workers)} if args.workers else {}),
    }


def load_run(args) -> str:
    urls = run_child(args, "ours", {**our_environment(args), "PAGES_BENCH_URLS_ONLY": "1"})
    env = deployed_environment(args)
    if not (Path(env["STATIC_ROOT"]) / "staticfiles.json").exists():
        log("collectstatic for the production settings' manifest storage")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=REPO_ROOT,
            env=env,
            check=True,
        )
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "marketplace.wsgi"]
    gunicorn += ["--config", str(REPO_ROOT / "deploy" / "gunicorn.conf.py")]
    # The access log goes to stdout, as deployed; nobody reads it here.
    server = subprocess.Popen(gunicorn, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        wait_for_port(args.port)
        # Warm every worker: its database connection, its in-process copy of the cached pages.
        for _ in range(30):
            for url in urls.values():
                # The workers are still starting (and rendering each page once) when the port opens.
                status = get(args.port, url, timeout=180)
                if status != 200:
                    raise SystemExit(f"{url} answered {status}")
        facts_before = machine_facts(with_postgres=False)
        cpu_before = server_cpu_seconds(server.pid)
        results = drive_wrk(args, urls) if client == "wrk" else drive_python(args, urls)
        results["server_cpu"] = server_cpu_seconds(server.pid) - cpu_before
        facts_after = machine_facts(with_postgres=False)
        workers = len(children_of(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return load_report(args, client, workers, results, facts_before, facts_after)


def _cpu_ticks(pid: int, fields: tuple[int, ...]) -> int:
    try:
        # After the ")" that ends the command name: state is field 3, utime 14 ... cstime 17.
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return sum(int(stat[field - 3]) for field in fields)


def server_cpu_seconds(pid: int) -> float:
    """CPU time of gunicorn's workers so far: the living ones', and the recycled ones' (the master's
    reaped children). Less sensitive to the machine's other load than requests/s."""
    ticks = _cpu_ticks(pid, (16, 17)) + sum(_cpu_ticks(child, (14, 15)) for child in children_of(pid))
    return ticks / os.sysconf("SC_CLK_TCK")


def children_of(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def get(port: int, url: str, timeout: float = 30) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", url, headers=PROXY_HEADERS)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


WRK_SCRIPT = """
local paths = {%(paths)s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK-JSON {\\"requests\\": %%d, \\"us\\": %%d, \\"status\\": %%d, \\"socket\\": %%d, \\"timeout\\": %%d, "
      .. "\\"p50\\": %%d, \\"p95\\": %%d, \\"p99\\": %%d, \\"max\\": %%d}\\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def drive_wrk(args, urls: dict[str, str]) -> dict:
    """wrk, one thread, the pages in turn on `--connections` keep-alive connections."""
    paths = ", ".join(json.dumps(url) for url in urls.values())
    script = REPO_ROOT / "var" / "bench-pages" / "pages.lua"
    script.write_text(WRK_SCRIPT % {"paths": paths})
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{max(1, round(args.duration))}s", "--timeout", "10s"]
    command += [f"-H{name}: {value}" for name, value in PROXY_HEADERS.items() if name != "Host"]
    command += ["-s", str(script), f"http://127.0.0.1:{args.port}/"]
    completed = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    line = next(line for line in completed.stdout.splitlines() if line.startswith("WRK-JSON "))
    raw = json.loads(line.removeprefix("WRK-JSON "))
    seconds = raw["us"] / 1e6
    errors = raw["status"] + raw["socket"] + raw["timeout"]
    return {
        "seconds": seconds,
        "all": {
            "requests": raw["requests"],
            "errors": errors,
            **{name: raw[name] / 1000 for name in ("p50", "p95", "p99", "max")},
        },
        "pages": {},
    }


def drive_python(args, urls: dict[str, str]) -> dict:
    """Python threads, one keep-alive connection each, pages drawn at random."""
    stop_at = time.monotonic() + args.duration
    lock = threading.Lock()
    per_page = {page: {"latencies": [], "errors": 0} for page in urls}
    pages = list(urls.items())

    def client(number: int):
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        while time.monotonic() < stop_at:
            page, url = rng.choice(pages)
            started = time.perf_counter()
            try:
                connection.request("GET", url, headers=PROXY_HEADERS)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                connection.close()
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    per_page[page]["latencies"].append(elapsed)
                else:
                    per_page[page]["errors"] += 1
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    every = [value for row in per_page.values() for value in row["latencies"]]

    def summary(latencies, errors):
        if not latencies:
            return {"requests": 0, "errors": errors}
        return {
            "requests": len(latencies),
            "errors": errors,
            **{f"p{int(q * 100)}": percentile(latencies, q) for q in (0.5, 0.95, 0.99)},
            "max": max(latencies),
        }

    return {
        "seconds": seconds,
        "all": summary(every, sum(row["errors"] for row in per_page.values())),
        "pages": {page: summary(row["latencies"], row["errors"]) for page, row in per_page.items()},
    }


def load_report(args, client, workers, results, facts_before, facts_after) -> str:
    seconds = results["seconds"]
    generator = (
        f"wrk (1 thread, {args.connections} keep-alive connections, the pages in turn)"
        if client == "wrk"
        else f"{args.connections} Python threads (keep-alive connections, pages drawn at random)"
    )
    lines = [
        f"Load run, {datetime.date.today():%Y-%m-%d}: gunicorn as deployed (deploy/gunicorn.conf.py, {workers} "
        f"workers, production settings) on 127.0.0.1; {generator}; {seconds:.1f} s, {args.products:,} products, "
        f"anonymous visitors. {facts_after['cpus']} CPUs shared by the server, PostgreSQL, Redis and the load "
        f"generator. Load average before {loads(facts_before)}, after {loads(facts_after)}.",
        "",
        "| pages | requests/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|",
    ]

    def row(name, data, bold=False):
        rate = data["requests"] / seconds
        rate_text = f"**{rate:.1f}**" if bold else f"{rate:.1f}"
        if not data["requests"]:
            return f"| {name} | 0 | — | — | — | {data['errors']} |"
        return (
            f"| {name} | {rate_text} | {data['p50']:.1f} | {data['p95']:.1f} | {data['p99']:.1f} | {data['errors']} |"
        )

    for page, data in results["pages"].items():
        lines.append(row(page, data))
    total = results["all"]
    verdict = "✓" if total["requests"] / seconds >= TARGET_RPS and total["errors"] == 0 else "✗"
    lines.append(row("all", total, bold=True) + f" target ≥ {TARGET_RPS} requests/s, 0 errors {verdict} |")
    if total["requests"]:
        lines += [
            "",
            f"gunicorn's workers used {results['server_cpu']:.1f} CPU-seconds: "
            f"{results['server_cpu'] * 1000 / total['requests']:.2f} ms of CPU per request (PostgreSQL, Redis and "
            "the load generator not included).",
        ]
    return "\n".join(lines)


# --- main --------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.phase == "ours-setup":
        print(json.dumps(ours_setup(args)))
        return 0
    if args.phase == "stock-setup":
        print(json.dumps(stock_setup(args)))
        return 0
    if args.phase == "ours":
        if os.environ.get("PAGES_BENCH_URLS_ONLY"):
            import django

            django.setup()
            print(json.dumps(our_urls()))
        else:
            print(json.dumps(measure_ours(args)))
        return 0
    if args.phase == "stock":
        print(json.dumps(measure_stock(args)))
        return 0

    for url in (args.database_url, *([] if args.skip_stock or args.load else [args.stock_database_url])):
        if ensure_database(url):
            log(f"created database {urlsplit(url).path.lstrip('/')}")
    log(f"setting up our side ({args.products:,} products)")
    counts = run_child(args, "ours-setup", our_environment(args))
    if args.load:
        print(load_run(args))
        return 0
    stock = stock_signed_in = {}
    if not args.skip_stock:
        log("setting up stock Oscar")
        run_child(args, "stock-setup", stock_environment(args))
    if args.setup_only:
        return 0
    facts_before = machine_facts(with_postgres=False)
    if not args.skip_stock:
        log("measuring stock Oscar")
        stock = run_child(args, "stock", stock_environment(args))
        log("measuring stock Oscar for a signed-in visitor")
        stock_signed_in = run_child(args, "stock", {**stock_environment(args), "PAGES_BENCH_SIGNED_IN": "1"})
    log("measuring ours")
    ours = run_child(args, "ours", our_environment(args))
    log("measuring ours with the page cache off")
    rendered = run_child(args, "ours", {**our_environment(args), "MARKETPLACE_ANONYMOUS_PAGE_CACHE_SECONDS": "0"})
    log("measuring ours for a signed-in visitor")
    signed_in = run_child(args, "ours", {**our_environment(args), "PAGES_BENCH_SIGNED_IN": "1"})
    log("measuring ours with the page and fragment caches off")
    cold = run_child(
        args,
        "ours",
        {
            **our_environment(args),
            "MARKETPLACE_ANONYMOUS_PAGE_CACHE_SECONDS": "0",
            "MARKETPLACE_FRAGMENT_CACHE_SECONDS": "0",
        },
    )
    facts_after = machine_facts(with_postgres=False)
    raw = {"ours": ours, "rendered": rendered, "signed_in": signed_in, "cold": cold}
    raw |= {"stock": stock, "stock_signed_in": stock_signed_in}
    print(comparison_report(args, counts, raw, facts_before, facts_after))
    print("\n<details><summary>raw</summary>\n\n```json")
    raw["machine"] = facts_after
    print(json.dumps(raw, indent=1))
    print("```\n</details>")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of checkout across pesantren and of the paid-order pipeline on a real Celery worker.

    .venv/bin/python benchmarks/run_checkout.py [--orders 300] [--pool solo|prefork] [--concurrency 2]

1. Checkout: N customers' baskets (2-4 products from 2-3 pesantren) go through the real checkout
   views with Django's test client, one after another. Reports orders/s, the latency and SQL
   query count of the "place order" POST.
2. Pipeline: a `celery worker` subprocess on the Redis broker; this process marks every placed
   order paid (`order_payment_succeeded`, tasks leave through Redis) and waits until each
   pesantren part has `seller_notified_at` and each customer's notification row exists.
3. Memory: the worker's resident memory (its children too, with prefork), sampled during phase 2.

Uses its own PostgreSQL database (created and migrated when missing; drop it with
`dropdb -h 127.0.0.1 -U postgres pasar_pesantren_bench`) and Redis db 14. See benchmarks/README.md.
"""

import argparse
import datetime
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.harness import ensure_database, machine_facts, percentile, setup_django  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pasar_pesantren_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
STOCK_PER_RECORD = 1_000_000


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=300, help="Orders to place and pay (default 300).")
    parser.add_argument("--pool", choices=["solo", "prefork"], default="solo", help="Celery worker pool.")
    parser.add_argument("--concurrency", type=int, default=2, help="Worker processes with --pool=prefork.")
    parser.add_argument("--customers", type=int, default=25, help="Distinct signed-in customers (round robin).")
    parser.add_argument("--seed", type=int, default=3, help="Random seed of the baskets.")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--timeout", type=float, default=600, help="Seconds to wait for the pipeline.")
    args = parser.parse_args(argv)
    if args.orders < 1:
        parser.error("--orders must be at least 1")
    if args.customers < 1 or args.concurrency < 1:
        parser.error("--customers and --concurrency must be at least 1")
    return args


# --- setup -------------------------------------------------------------------------------------


def prepare_world() -> dict:
    """Migrate, load Jawa Barat's regions and the demo catalogue when missing; give every product deep stock."""
    from django.core.management import call_command
    from oscar.core.loading import get_model

    from marketplace.demo.services import seed_demo_world
    from regions.models import Region
    from sellers.models import Seller

    StockRecord = get_model("partner", "StockRecord")
    call_command("migrate", verbosity=0, interactive=False)
    if not Region.objects.filter(code="32").exists():
        log("loading Jawa Barat regions")
        call_command("load_regions", province="32", verbosity=0)
    if not Seller.objects.verified().exists():
        log("seeding the demo world (45 pesantren)")
        seed_demo_world()
    # Earlier runs allocated stock; deep stock keeps every basket in stock, however many runs.
    StockRecord.objects.update(num_in_stock=STOCK_PER_RECORD, num_allocated=0)
    return {
        "pesantren": Seller.objects.verified().count(),
        "products": StockRecord.objects.filter(partner__seller__status="verified").count(),
        "desa": Region.objects.villages().filter(code__startswith="32.").count(),
    }


# --- phase 1: checkout -------------------------------------------------------------------------


@dataclass
class CheckoutResult:
    order_ids: list[int]
    seller_orders: int
    order_lines: int
    seconds: float
    place_seconds: list[float]
    place_queries: list[int]


def catalogue_by_seller() -> dict[int, list[int]]:
    """Product ids of each verified pesantren that has at least one product in stock."""
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    products: dict[int, list[int]] = {}
    rows = StockRecord.objects.filter(partner__seller__status="verified", product__is_public=True).values_list(
        "partner__seller__pk", "product_id"
    )
    for seller_id, product_id in rows:
        products.setdefault(seller_id, []).append(product_id)
    return products


def random_basket(rng: random.Random, catalogue: dict[int, list[int]]) -> list[tuple[int, int]]:
    """2-4 distinct products from 2-3 pesantren, each pesantren contributing at least one: [(product, qty)]."""
    seller_ids = rng.sample(sorted(catalogue), rng.choice([2, 3]))
    line_count = rng.randint(max(2, len(seller_ids)), 4)
    chosen = [rng.choice(catalogue[seller_id]) for seller_id in seller_ids]
    pool = [product for seller_id in seller_ids for product in catalogue[seller_id] if product not in chosen]
    chosen += rng.sample(pool, min(len(pool), line_count - len(chosen)))
    return [(product_id, rng.randint(1, 3)) for product_id in chosen]


def random_address(rng: random.Random, desa_codes: list[str]) -> dict:
    desa = rng.choice(desa_codes)
    kecamatan = desa.rsplit(".", 1)[0]
    kabupaten = kecamatan.rsplit(".", 1)[0]
    return {
        "first_name": "Pelanggan Uji",
        "phone_number": "0812-3456-7890",
        "line1": f"Jl. Pesantren No. {rng.randint(1, 200)}",
        "province": kabupaten.split(".")[0],
        "kabupaten": kabupaten,
        "kecamatan": kecamatan,
        "desa": desa,
        "postcode": "",
    }


def expect(response, status: int, step: str) -> None:
    if response.status_code != status:
        body = response.content.decode(errors="replace")[:2000]
        raise SystemExit(f"{step}: expected HTTP {status}, got {response.status_code}\n{body}")


def run_checkout(*, orders: int, customers: int, seed: int) -> CheckoutResult:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from oscar.core.loading import get_model

    from fulfilment.models import SellerOrder
    from regions.models import Region

    Order = get_model("order", "Order")
    Line = get_model("order", "Line")
    rng = random.Random(seed)
    catalogue = catalogue_by_seller()
    if len(catalogue) < 3:
        raise SystemExit("The benchmark needs at least three pesantren with products.")
    desa_codes = list(Region.objects.villages().filter(code__startswith="32.").values_list("code", flat=True))
    run_tag = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    clients = []
    for index in range(customers):
        email = f"bench-{run_tag}-{index}@example.com"
        user = get_user_model().objects.create_user(username=f"b{run_tag}{index}", email=email, password=None)
        client = Client()
        client.force_login(user)
        clients.append(client)

    urls = {
        "address": reverse("checkout:shipping-address"),
        "method": reverse("checkout:shipping-method"),
        "payment": reverse("checkout:payment-method"),
        "preview": reverse("checkout:preview"),
    }
    place_seconds, place_queries, numbers = [], [], []
    started = time.perf_counter()
    for index in range(orders):
        client = clients[index % customers]
        for product_id, quantity in random_basket(rng, catalogue):
            expect(client.post(reverse("basket:add", kwargs={"pk": product_id}), {"quantity": quantity}), 302, "add")
        expect(client.post(urls["address"], random_address(rng, desa_codes)), 302, "shipping address")
        expect(client.get(urls["method"]), 302, "shipping method")
        expect(client.post(urls["payment"], {"method": "card"}), 302, "payment method")
        with CaptureQueriesContext(connection) as queries:
            tick = time.perf_counter()
            response = client.post(urls["preview"], {"action": "place_order"})
            place_seconds.append(time.perf_counter() - tick)
        expect(response, 302, "place order")
        if "/bayar/" not in response["Location"]:
            raise SystemExit(f"place order did not lead to the card page: {response['Location']}")
        place_queries.append(len(queries))
        numbers.append(response["Location"].rstrip("/").rsplit("/", 1)[-1])
        if (index + 1) % 50 == 0:
            log(f"placed {index + 1}/{orders} orders")
    seconds = time.perf_counter() - started
    order_ids = list(Order.objects.filter(number__in=numbers).values_list("pk", flat=True))
    if len(order_ids) != orders:
        raise SystemExit(f"expected {orders} orders, found {len(order_ids)}")
    return CheckoutResult(
        order_ids=order_ids,
        seller_orders=SellerOrder.objects.filter(order_id__in=order_ids).count(),
        order_lines=Line.objects.filter(order_id__in=order_ids).count(),
        seconds=seconds,
        place_seconds=place_seconds,
        place_queries=place_queries,
    )


# --- phase 2 and 3: pipeline and worker memory -------------------------------------------------


def _proc_status_kib(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            children = []
        for child in map(int, children):
            found.append(child)
            queue.append(child)
    return found


@dataclass
class MemorySampler:
    """Samples VmRSS of a process tree; the peak is the largest sum seen at one instant."""

    pid: int
    interval: float = 0.05
    peak_kib: int = 0
    peak_processes: int = 0
    hwm_kib: dict[int, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> int:
        pids = [self.pid, *_descendants(self.pid)]
        total = 0
        for pid in pids:
            total += _proc_status_kib(pid, "VmRSS")
            # The kernel's own high-water mark catches peaks between two samples.
            self.hwm_kib[pid] = max(self.hwm_kib.get(pid, 0), _proc_status_kib(pid, "VmHWM"))
        if total > self.peak_kib:
            self.peak_kib, self.peak_processes = total, len(pids)
        return total

    def start(self) -> None:
        def loop():
            while not self._stop.is_set():
                self.sample()
                self._stop.wait(self.interval)

        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self.sample()


def start_worker(args: argparse.Namespace, hostname: str) -> subprocess.Popen:
    pool = ["--pool=solo"] if args.pool == "solo" else ["--pool=prefork", f"--concurrency={args.concurrency}"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "marketplace",
        "worker",
        *pool,
        "--loglevel=WARNING",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        f"--hostname={hostname}",
    ]
    # The worker's banner goes to stderr, so that stdout holds only the results table.
    return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=sys.stderr)


def wait_for_worker(app, worker: subprocess.Popen, hostname: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit(f"celery worker exited with {worker.returncode}")
        if app.control.ping(destination=[hostname], timeout=0.5):
            return
    raise SystemExit("celery worker did not answer a ping in time")


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


@dataclass
class PipelineResult:
    tasks: int
    enqueue_seconds: float
    seconds: float
    idle_rss_kib: int
    peak_rss_kib: int
    peak_processes: int
    hwm_sum_kib: int


def run_pipeline(args: argparse.Namespace, order_ids: list[int], seller_orders: int) -> PipelineResult:
    import redis

    from core.models import SentNotification
    from fulfilment.models import SellerOrder
    from fulfilment.services import order_payment_succeeded
    from marketplace.celery import app

    app.control.purge()
    # Deliveries a killed worker of an earlier run left unacknowledged would be redelivered to ours.
    redis.Redis.from_url(args.redis_url).delete("unacked", "unacked_index", "unacked_mutex")
    hostname = f"bench-{os.getpid()}@{platform.node()}"
    worker = start_worker(args, hostname)
    try:
        wait_for_worker(app, worker, hostname)
        sampler = MemorySampler(worker.pid)
        time.sleep(1)  # let prefork children finish importing before the idle figure
        idle_rss = sampler.sample()
        sampler.peak_kib = 0
        sampler.start()
        app.conf.task_always_eager = False
        customer_keys = [f"order-{order_id}-paid-customer" for order_id in order_ids]
        started = time.perf_counter()
        for order_id in order_ids:
            if not order_payment_succeeded(order_id=order_id, reference="benchmark"):
                raise SystemExit(f"order {order_id} was already paid")
        enqueue_seconds = time.perf_counter() - started
        deadline = time.monotonic() + args.timeout
        while True:
            notified = SellerOrder.objects.filter(order_id__in=order_ids, seller_notified_at__isnull=False).count()
            customers = SentNotification.objects.filter(key__in=customer_keys).count()
            if notified == seller_orders and customers == len(order_ids):
                break
            if worker.poll() is not None:
                raise SystemExit(f"celery worker exited with {worker.returncode}")
            if time.monotonic() > deadline:
                raise SystemExit(f"pipeline timed out: {notified}/{seller_orders} parts, {customers} customers")
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        sampler.stop()
    finally:
        app.conf.task_always_eager = True
        stop_worker(worker)
    return PipelineResult(
        # One process_paid_order per order, one notify_seller_of_paid_order per pesantren part.
        tasks=len(order_ids) + seller_orders,
        enqueue_seconds=enqueue_seconds,
        seconds=seconds,
        idle_rss_kib=idle_rss,
        peak_rss_kib=sampler.peak_kib,
        peak_processes=sampler.peak_processes,
        hwm_sum_kib=sum(sampler.hwm_kib.values()),
    )


# --- report ------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def report(args, world, facts, checkout: CheckoutResult, pipeline: PipelineResult, load_before: str) -> str:
    mib = 1024
    n = len(checkout.order_ids)
    place_ms = [seconds * 1000 for seconds in checkout.place_seconds]
    pool = "solo" if args.pool == "solo" else f"prefork, concurrency {args.concurrency}"
    rows = [
        ("Orders placed (2-4 products from 2-3 pesantren each)", f"{n}"),
        ("Pesantren parts (SellerOrders) / order lines", f"{checkout.seller_orders} / {checkout.order_lines}"),
        ("Checkout throughput, whole journey (basket → placed), sequential", f"{n / checkout.seconds:.1f} orders/s"),
        (
            "Place-order POST latency p50 / p95 / max",
            f"{percentile(place_ms, 0.5):.0f} / {percentile(place_ms, 0.95):.0f} / {max(place_ms):.0f} ms",
        ),
        ("Place-order POST throughput (1 / mean latency)", f"{1000 / statistics.mean(place_ms):.1f} orders/s"),
        (
            "SQL queries per place-order POST, median (min-max)",
            f"{statistics.median(checkout.place_queries):.0f} "
            f"({min(checkout.place_queries)}-{max(checkout.place_queries)})",
        ),
        (f"Pipeline, payment → all notified ({pool} worker)", f"{n / pipeline.seconds:.1f} orders/s"),
        (
            "Pipeline tasks through Redis (process_paid_order + notify_seller)",
            f"{pipeline.tasks} tasks, {pipeline.tasks / pipeline.seconds:.1f} tasks/s",
        ),
        (
            "Pipeline wall time (of which marking paid + enqueueing)",
            f"{pipeline.seconds:.1f} s ({pipeline.enqueue_seconds:.1f} s)",
        ),
        (
            "Worker RSS idle → peak during pipeline",
            f"{pipeline.idle_rss_kib / mib:.0f} → "
            f"{pipeline.peak_rss_kib / mib:.0f} MiB ({pipeline.peak_processes} process"
            f"{'es' if pipeline.peak_processes > 1 else ''})",
        ),
        ("Worker VmHWM (kernel high-water mark, summed over processes)", f"{pipeline.hwm_sum_kib / mib:.0f} MiB"),
    ]
    lines = [
        f"## Checkout benchmark, {datetime.date.today().isoformat()}",
        "",
        "| Measure | Result |",
        "| --- | --- |",
        *(f"| {name} | {value} |" for name, value in rows),
        "",
        f"Machine: {facts['cpus']} CPUs ({facts['cpu']}), PostgreSQL {facts['postgres']}, "
        f"Python {facts['python']}; 1-minute load average {load_before} before, {facts['load']} after.",
        f"World: {world['pesantren']} verified pesantren, {world['products']} products, "
        f"{world['desa']} Jawa Barat desa for addresses; emails rendered, sent to the dummy backend.",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    if ensure_database(args.database_url):
        log(f"created database {urlsplit(args.database_url).path.lstrip('/')}")
    setup_django(args)
    load_before = f"{os.getloadavg()[0]:.2f}"
    world = prepare_world()
    log(f"world ready: {world}")
    log(f"phase 1: placing {args.orders} orders through the checkout views")
    checkout = run_checkout(orders=args.orders, customers=args.customers, seed=args.seed)
    log(f"phase 2: paying them with a {args.pool} Celery worker on {args.redis_url}")
    pipeline = run_pipeline(args, checkout.order_ids, checkout.seller_orders)
    print(report(args, world, machine_facts(), checkout, pipeline, load_before))
    return 0


if __name__ == "__main__":
    sys.exit(main())

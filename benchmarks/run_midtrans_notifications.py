"""Benchmark of Midtrans notifications handled per second, with a real Celery worker.

    .venv/bin/python benchmarks/run_midtrans_notifications.py [--orders 200] [--replays 1]

1. Setup: N orders of two pesantren placed through the real order creator, each with a BCA virtual
   account charged at the local Midtrans-compatible server (localservers/midtrans, started here on
   a free port), then paid there (settled, no notification sent yet).
2. Notifications: this process POSTs each order's signed settlement notification (as Midtrans would)
   to our endpoint through Django's test client, plus `--replays` copies of each (Midtrans retries);
   the view verifies, stores once and queues through the outbox. A `celery worker` subprocess on the
   Redis broker re-checks every status at the local server and marks the order paid.
3. Reports the endpoint's latency (p50/p95), and notifications handled per second end to end: from
   the first POST until every order is paid and every notification processed.

Uses its own PostgreSQL database `pp_midtrans_bench` (created and migrated when missing) and Redis db 13.
"""

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.harness import ensure_database, machine_facts, percentile, setup_django  # noqa: E402

SERVER_KEY = "SB-Mid-server-localmidtrans-bench"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--replays", type=int, default=1, help="Extra deliveries of each notification.")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pp_midtrans_bench"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--timeout", type=float, default=600)
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_localmidtrans(port: int) -> subprocess.Popen:
    import requests

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "localservers.midtrans",
            "--port",
            str(port),
            "--server-key",
            SERVER_KEY,
            "--state-file",
            "none",
            "--quiet",
        ],
        cwd=REPO_ROOT,
        stdout=sys.stderr,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/_control/config", timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.1)
    raise SystemExit("localmidtrans did not start")


def start_worker(args, hostname: str, midtrans_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MIDTRANS_API_URL": midtrans_url,
        "MIDTRANS_SERVER_KEY": SERVER_KEY,
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "marketplace",
        "worker",
        "--pool=solo",
        "--loglevel=WARNING",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        f"--hostname={hostname}",
    ]
    return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=sys.stderr)


def prepare_orders(n: int, midtrans_url: str) -> list:
    from django.conf import settings
    from django.core.management import call_command

    from midtrans.services import start_order_charge
    from tests.factories import make_region_tree, make_seller, make_seller_product, make_shipping_address, place_order

    call_command("migrate", verbosity=0, interactive=False)
    settings.MIDTRANS_API_URL = midtrans_url
    settings.MIDTRANS_SERVER_KEY = SERVER_KEY
    settings.MARKETPLACE_MIDTRANS_PAYMENTS = True
    stamp = int(time.time())
    regions = make_region_tree(f"32.{stamp % 90 + 10:02d}", f"Kabupaten Bench {stamp}")
    coffee = make_seller(name=f"Pesantren Kopi {stamp}", regions=regions)
    batik = make_seller(name=f"Pesantren Batik {stamp}", regions=regions)
    kopi = make_seller_product(coffee, price="150000", stock=10 * n, weight_grams=350)
    kain = make_seller_product(batik, price="37500", stock=10 * n, weight_grams=400)
    charges = []
    for index in range(n):
        order = place_order(
            items=[(kopi, 2), (kain, 3)],
            shipping_address=make_shipping_address(regions=regions),
            email=f"bench{index}@example.com",
        )
        charges.append(start_order_charge(order=order, method_code="bca_va"))
    return charges


def main(argv=None) -> int:
    args = parse_args(argv)
    created = ensure_database(args.database_url)
    setup_django(args)
    import requests
    from django.test import Client

    from marketplace.celery import app
    from midtrans import client as midtrans_client
    from midtrans.models import ChargeStatus, MidtransCharge, MidtransNotification

    port = free_port()
    midtrans_url = f"http://127.0.0.1:{port}"
    server = start_localmidtrans(port)
    worker = None
    try:
        log(f"placing {args.orders} orders with BCA virtual accounts" + (" (database created)" if created else ""))
        charges = prepare_orders(args.orders, midtrans_url)
        for charge in charges:
            requests.post(f"{midtrans_url}/_control/{charge.midtrans_order_id}/settle", params={"wait": 1}, timeout=30)
        bodies = []
        for charge in charges:
            status = requests.get(
                f"{midtrans_url}/v2/{charge.midtrans_order_id}/status", auth=(SERVER_KEY, ""), timeout=10
            ).json()
            body = {
                key: status[key]
                for key in (
                    "order_id",
                    "status_code",
                    "gross_amount",
                    "transaction_status",
                    "transaction_id",
                    "transaction_time",
                    "settlement_time",
                    "payment_type",
                    "fraud_status",
                    "currency",
                )
                if key in status
            }
            body["signature_key"] = midtrans_client.signature_for(
                body["order_id"], body["status_code"], body["gross_amount"]
            )
            bodies.append(body)

        app.control.purge()
        hostname = f"bench-midtrans-{os.getpid()}@{socket.gethostname()}"
        worker = start_worker(args, hostname, midtrans_url)
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[hostname], timeout=0.5):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("celery worker did not start")
        app.conf.task_always_eager = False

        browser = Client()
        latencies = []
        started = time.monotonic()
        for _round in range(1 + args.replays):
            for body in bodies:
                before = time.perf_counter()
                response = browser.post("/payments/midtrans/notification/", data=body, content_type="application/json")
                latencies.append((time.perf_counter() - before) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"notification answered {response.status_code}")
        posted = time.monotonic()
        ids = [charge.pk for charge in charges]
        while True:
            settled = MidtransCharge.objects.filter(
                pk__in=ids, status=ChargeStatus.SETTLEMENT, order__status="Paid"
            ).count()
            unprocessed = MidtransNotification.objects.filter(
                midtrans_order_id__in=[b["order_id"] for b in bodies], processed_at__isnull=True
            ).count()
            if settled == len(ids) and unprocessed == 0:
                break
            if time.monotonic() - started > args.timeout:
                raise SystemExit(f"only {settled} of {len(ids)} paid in time")
            time.sleep(0.05)
        finished = time.monotonic()
        total_deliveries = len(bodies) * (1 + args.replays)
        facts = machine_facts()
        print(f"Midtrans notifications, {args.orders} orders × {1 + args.replays} deliveries, solo worker")
        print(f"  endpoint p50 / p95: {percentile(latencies, 0.5):.1f} / {percentile(latencies, 0.95):.1f} ms")
        rate = total_deliveries / (posted - started)
        print(f"  deliveries posted: {total_deliveries} in {posted - started:.2f} s ({rate:.0f}/s)")
        print(
            f"  notifications handled end to end (status re-check, order paid): "
            f"{len(bodies) / (finished - started):.1f} per second ({finished - started:.2f} s for {len(bodies)})"
        )
        print(
            f"  fees booked: Rp {sum(int(c.fee or 0) for c in MidtransCharge.objects.filter(pk__in=ids)):,}".replace(
                ",", "."
            )
        )
        print(f"  machine: {facts}")
    finally:
        app.conf.task_always_eager = True
        if worker is not None and worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

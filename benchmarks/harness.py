"""What every benchmark script needs: its own PostgreSQL database and Django set up on it."""

import argparse
import os
import platform
import sys
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent


def ensure_database(database_url: str) -> bool:
    """Create the benchmark database when missing. Returns True when it was created."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit(f"No database name in {database_url!r}")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def setup_django(args: argparse.Namespace) -> None:
    """Django on `benchmarks.settings`, pointed at `args.database_url` and `args.redis_url`."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["REDIS_URL"] = args.redis_url
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of `values` (0.5 is the median, 0.95 the p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def machine_facts(*, with_postgres: bool = True) -> dict:
    """What a figure was measured on: CPUs, Python, the load averages and, with Django set up, PostgreSQL."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except FileNotFoundError:
        pass
    load_averages = os.getloadavg()
    facts = {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "load": f"{load_averages[0]:.2f}",
        "load_averages": load_averages,
    }
    if with_postgres:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            facts["postgres"] = cursor.fetchone()[0]
    return facts

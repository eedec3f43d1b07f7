"""What each pytest-xdist worker keeps to itself: its Redis database and its directories.

pytest-xdist names its workers gw0, gw1, ... in PYTEST_XDIST_WORKER (absent in a serial run). Workers
sharing one Redis database would flush each other's cache, take each other's Celery tasks and answer
each other's pings; workers sharing a media root would delete each other's files.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16  # Redis's default `databases`


def worker_index(worker: str | None) -> int | None:
    """0 for gw0, 1 for gw1, ...; None outside a pytest-xdist worker."""
    if not worker or not worker.startswith("gw") or not worker[2:].isdigit():
        return None
    return int(worker[2:])


def worker_redis_url(url: str, worker: str | None) -> str:
    """`url` with the database moved up by the worker's index, wrapping round within 0-15.

    The serial run and gw0 use the database `url` names, so a caller choosing a base database for a run
    reserves it and the ones after it.
    """
    index = worker_index(worker)
    if index is None or not url:
        return url
    parts = urlsplit(url)
    path = parts.path.strip("/")
    base = int(path) if path.isdigit() else 0
    return urlunsplit(parts._replace(path=f"/{(base + index) % REDIS_DATABASES}"))


def worker_path(path: Path, worker: str | None) -> Path:
    """`path` with the worker's name appended (var/test-media-gw1); `path` itself in a serial run."""
    if worker_index(worker) is None:
        return Path(path)
    path = Path(path)
    return path.with_name(f"{path.name}-{worker}")

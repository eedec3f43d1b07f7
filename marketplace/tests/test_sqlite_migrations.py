"""The embedded demo (`bin/demo`) runs on SQLite: every migration must apply there too.

PostgreSQL-only pieces (full-text indexes, extensions) are skipped on SQLite by the migrations
themselves; this catches one that forgets, which the PostgreSQL suite cannot see.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_every_migration_applies_on_sqlite(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "ELASTICSEARCH_URL"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings.base", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode == 0, result.stderr[-3000:]

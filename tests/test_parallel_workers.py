"""The suite runs on pytest-xdist workers (bin/test): each keeps its own Redis database, directories and ports."""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from marketplace.settings.parallel import worker_index, worker_path, worker_redis_url
from tests.fixtures import local_servers

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_workers_get_different_redis_databases_on_the_same_server():
    base = "redis://127.0.0.1:6379/4"

    urls = {worker: worker_redis_url(base, worker) for worker in ("gw0", "gw1", "gw2")}

    assert urls == {
        "gw0": "redis://127.0.0.1:6379/4",
        "gw1": "redis://127.0.0.1:6379/5",
        "gw2": "redis://127.0.0.1:6379/6",
    }


def test_a_serial_run_keeps_the_redis_database_it_was_given():
    assert worker_redis_url("redis://127.0.0.1:6379/4", None) == "redis://127.0.0.1:6379/4"
    assert worker_redis_url("redis://127.0.0.1:6379/4", "master") == "redis://127.0.0.1:6379/4"


def test_worker_redis_databases_stay_within_the_sixteen_redis_has():
    assert worker_redis_url("redis://127.0.0.1:6379/15", "gw1") == "redis://127.0.0.1:6379/0"
    assert worker_redis_url("redis://:secret@cache:6380", "gw2") == "redis://:secret@cache:6380/2"


def test_workers_get_different_media_roots():
    root = Path("/srv/app/var/test-media")

    roots = {worker_path(root, worker) for worker in ("gw0", "gw1")}

    assert roots == {Path("/srv/app/var/test-media-gw0"), Path("/srv/app/var/test-media-gw1")}
    assert worker_path(root, None) == root


def test_worker_index_reads_xdist_worker_names_only():
    names = ("gw0", "gw12", None, "", "master", "gwx")

    assert [worker_index(name) for name in names] == [0, 12, None, None, None, None]


def test_this_process_uses_the_redis_database_and_directories_of_its_worker(settings):
    worker = os.environ.get("PYTEST_XDIST_WORKER")

    assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL
    assert settings.CELERY_BROKER_URL == settings.REDIS_URL
    for root in (settings.MEDIA_ROOT, settings.MARKETPLACE_PRIVATE_MEDIA_ROOT, settings.EMAIL_FILE_PATH):
        assert Path(root).name.endswith(f"-{worker}") == bool(worker)


def _settings_in_subprocess(environment: dict[str, str]) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        " print(json.dumps({'redis': settings.REDIS_URL, 'broker': settings.CELERY_BROKER_URL,"
        " 'media': str(settings.MEDIA_ROOT)}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def _without_worker(environment) -> dict[str, str]:
    dropped = {"PYTEST_XDIST_WORKER", "MARKETPLACE_TEST_REDIS_WORKER", "CELERY_BROKER_URL"}
    return {key: value for key, value in environment.items() if key not in dropped}


def test_a_worker_process_moves_its_redis_database_up_once():
    environment = {**_without_worker(os.environ), "REDIS_URL": "redis://127.0.0.1:6379/4", "PYTEST_XDIST_WORKER": "gw1"}

    found = _settings_in_subprocess(environment)

    assert found["redis"] == found["broker"] == "redis://127.0.0.1:6379/5"
    assert found["media"].endswith("test-media-gw1")


def test_a_process_a_test_starts_stays_on_the_redis_database_of_the_test(settings):
    # As tests/fixtures/celery_worker.py starts Celery workers: this process's environment and its REDIS_URL.
    found = _settings_in_subprocess({**os.environ, "REDIS_URL": settings.REDIS_URL})

    assert found["redis"] == found["broker"] == settings.REDIS_URL
    assert found["media"] == str(settings.MEDIA_ROOT)


def _bin_test() -> str:
    return (REPO_ROOT / "bin" / "test").read_text()


def test_bin_test_runs_the_suite_on_xdist_workers():
    (defaults,) = re.findall(r"^xdist_args=\((.*)\)$", _bin_test(), re.MULTILINE)
    (command,) = re.findall(r"^exec python -m pytest (.*)$", _bin_test(), re.MULTILINE)

    arguments = shlex.split(defaults)
    assert arguments[0] == "-n" and int(arguments[1]) >= 2
    assert arguments[2:] == ["--dist", "loadgroup"]
    # The caller's arguments come last, so that their -n (-n 0: a serial run) wins.
    assert command.index("xdist_args") < command.index('"$@"')


def _pytest_arguments_of_bin_test(*caller: str) -> list[str]:
    """What bin/test puts before the caller's arguments and then them, from its own lines."""
    script = _bin_test()
    choice = script[script.index("xdist_args=(") : script.index("exec python -m pytest")]
    shell = f'set -u\n{choice}\nprintf "%s\\n" ${{xdist_args[@]+"${{xdist_args[@]}}"}} "$@"'
    result = subprocess.run(["bash", "-c", shell, "bin/test", *caller], capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def test_bin_test_lets_the_caller_choose_the_workers_or_none():
    assert _pytest_arguments_of_bin_test("-q")[0] == "-n"
    assert _pytest_arguments_of_bin_test("-n", "0")[-2:] == ["-n", "0"]
    assert "-n" not in _pytest_arguments_of_bin_test("-p", "no:xdist")
    assert "-n" not in _pytest_arguments_of_bin_test("-pno:xdist")


def test_a_local_server_whose_port_was_taken_starts_on_another(monkeypatch, tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    taken_port = taken.getsockname()[1]
    offered = iter([taken_port])
    free_port = local_servers.free_port
    monkeypatch.setattr(local_servers, "free_port", lambda: next(offered, None) or free_port())
    command = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(tmp_path)]

    try:
        with local_servers.running_server(
            "http.server", lambda port: [*command, str(port)], probe_path="/", log_path=tmp_path / "server.log"
        ) as url:
            assert url != f"http://127.0.0.1:{taken_port}"
            assert requests.get(url, timeout=5).ok
    finally:
        taken.close()


@pytest.mark.parametrize("owner", ["this process", "another process"])
def test_a_port_counts_as_a_servers_only_when_its_process_listens_on_it(owner):
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(1)
        pid = os.getpid() if owner == "this process" else os.getppid()

        assert local_servers.listens_on(pid, listening.getsockname()[1]) == (owner == "this process")


def test_a_failure_one_test_left_in_a_circuit_breaker_is_forgotten_before_the_next():
    from core.breaker import Breaker

    breaker = Breaker(pause_seconds=60)
    breaker.trip("redis://127.0.0.1:6379/0")

    Breaker.forget_all_failures()  # as the autouse fixture in conftest.py does before each test

    assert not breaker.is_open("redis://127.0.0.1:6379/0")


def test_each_worker_database_is_named_after_the_runs_template():
    from tests.fixtures.parallel_database import template_name

    assert template_name("test_pasar_pesantren_gw0", "gw0") == "test_pasar_pesantren_template"
    assert template_name("test_pasar_pesantren_gw11", "gw11") == "test_pasar_pesantren_template"


def test_the_template_is_migrated_once_per_run_and_cloned_for_every_worker(tmp_path, monkeypatch):
    from tests.fixtures import parallel_database

    migrated, cloned = [], []
    monkeypatch.setattr("django.test.utils.setup_databases", lambda **kwargs: migrated.append(_test_database_name()))
    monkeypatch.setattr(parallel_database, "_clone", lambda connection, *, template, target: cloned.append(target))
    test_settings = _test_settings()
    monkeypatch.setitem(test_settings, "NAME", "test_pp_gw0")

    for worker, run in (("gw0", "run-1"), ("gw1", "run-1"), ("gw0", "run-2")):
        test_settings["NAME"] = f"test_pp_{worker}"
        parallel_database.setup_worker_database(worker=worker, run_id=run, lock_dir=tmp_path)

    assert migrated == ["test_pp_template", "test_pp_template"]  # once for run-1, again for run-2
    assert cloned == ["test_pp_gw0", "test_pp_gw1", "test_pp_gw0"]


def _test_settings() -> dict:
    from django.db import connections

    return connections["default"].settings_dict["TEST"]


def _test_database_name() -> str:
    return _test_settings()["NAME"]

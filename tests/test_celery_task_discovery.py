"""Celery finds every task by autodiscovery; no models.py imports task modules to register them."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

REPO_ROOT = Path(__file__).resolve().parents[1]


def _declared_name(decorator: ast.expr) -> str | None:
    """The `name=` a task decorator gives explicitly (a task that moved keeps its registered name)."""
    if isinstance(decorator, ast.Call):
        for keyword in decorator.keywords:
            if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                return keyword.value.value
    return None


def _project_task_names() -> set[str]:
    """The registered name of every `@shared_task` in the project's apps, read from the source:
    `module.function`, or the `name=` the decorator gives."""
    names = set()
    for path in REPO_ROOT.glob("*/**/*.py"):
        relative = path.relative_to(REPO_ROOT)
        if relative.parts[0] in {".venv", "tests", "benchmarks"} or "tests" in relative.parts:
            continue
        tree = ast.parse(path.read_text())
        module = ".".join(relative.with_suffix("").parts)
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                if "shared_task" in ast.unparse(decorator):
                    names.add(_declared_name(decorator) or f"{module}.{node.name}")
    return names


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_registers_every_task_of_the_project(celery_worker_process):
    from marketplace.celery import app

    # given the tasks the source declares (the team and company-account tasks live outside tasks.py)
    declared = _project_task_names()
    assert "sellers.team_tasks.send_team_invitation_email" in declared
    assert "offtakers.account_tasks.send_company_invitation_email" in declared  # moved to companies, name kept

    # when a fresh worker process reports what it can run
    inspect = app.control.inspect(destination=[celery_worker_process.hostname], timeout=5)
    registered = set((inspect.registered() or {})[celery_worker_process.hostname])

    # then it knows every one of them
    assert declared - registered == set()


def test_no_models_module_imports_tasks_to_register_them():
    for config in apps.get_app_configs():
        models_path = Path(config.path) / "models.py"
        if not models_path.is_relative_to(REPO_ROOT) or not models_path.exists():
            continue
        for path in Path(config.path).glob("*models.py"):
            tree = ast.parse(path.read_text())
            imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)] + [
                alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
            ]
            imported += [
                alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names
            ]
            assert not [name for name in imported if name.endswith("tasks")], path

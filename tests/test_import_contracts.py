"""The import-linter contracts (pyproject.toml) cover every app of the project."""

import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _importlinter() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _apps() -> set[str]:
    return {path.parent.name for path in REPO_ROOT.glob("*/apps.py")}


def test_every_app_is_a_root_package_of_the_contracts():
    assert set(_importlinter()["root_packages"]) == _apps()


def test_every_app_sits_on_exactly_one_layer():
    (layers,) = [contract for contract in _importlinter()["contracts"] if contract["type"] == "layers"]
    placed = [app.strip() for layer in layers["layers"] for app in layer.split("|")]
    assert sorted(placed) == sorted(_apps())

"""Every test module in the repository is collected by a plain `pytest` run.

An app left out of the collected paths (as dashboard/ once was) has tests that pass locally when run
by path and never run in CI. This compares the test modules on disk with what pytest's own
configuration (testpaths, norecursedirs, python_files) collects from the repository root.
"""

import os
from pathlib import Path

from _pytest.pathlib import fnmatch_ex

ROOT = Path(__file__).resolve().parents[1]
# pytest's default module patterns: a module named like this is meant to be a test module.
TEST_MODULE_PATTERNS = ("test_*.py", "*_test.py")


def _is_virtualenv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file()


def project_test_modules() -> list[Path]:
    """Test modules of the project, skipping hidden directories, virtualenvs and installed packages."""
    found = []
    for directory, subdirectories, files in os.walk(ROOT):
        here = Path(directory)
        subdirectories[:] = [
            name
            for name in subdirectories
            if not name.startswith(".")
            and name not in {"node_modules", "__pycache__", "site-packages"}
            and not _is_virtualenv(here / name)
        ]
        found.extend(
            here / name for name in files if any(fnmatch_ex(pattern, name) for pattern in TEST_MODULE_PATTERNS)
        )
    return sorted(found)


def collected_by_configuration(path: Path, *, testpaths, norecursedirs, python_files) -> bool:
    """Whether `pytest` run from the repository root, with no arguments, would collect `path`."""
    roots = [(ROOT / testpath).resolve() for testpath in testpaths] or [ROOT]
    root = next((root for root in roots if root == path or root in path.parents), None)
    if root is None:
        return False
    relative_dirs = path.parent.relative_to(root).parts
    for depth in range(len(relative_dirs)):
        directory = root.joinpath(*relative_dirs[: depth + 1])
        if _is_virtualenv(directory) or any(fnmatch_ex(pattern, directory) for pattern in norecursedirs):
            return False
    return any(fnmatch_ex(pattern, path) for pattern in python_files)


def _collected(path: Path, config) -> bool:
    return collected_by_configuration(
        path,
        testpaths=config.getini("testpaths"),
        norecursedirs=config.getini("norecursedirs"),
        python_files=config.getini("python_files"),
    )


def test_every_test_module_in_the_repository_is_collected(pytestconfig):
    # given every test module on disk
    modules = project_test_modules()
    assert ROOT / "dashboard" / "tests" / "test_overview.py" in modules

    # when we ask which of them the project's pytest configuration collects
    missed = [str(path.relative_to(ROOT)) for path in modules if not _collected(path, pytestconfig)]

    # then none is left out
    assert missed == []


def test_the_check_notices_an_app_left_out_of_the_test_paths(pytestconfig):
    # An explicit list without dashboard/, as pyproject.toml once had, must be caught.
    dashboard_test = ROOT / "dashboard" / "tests" / "test_overview.py"
    settings = {"norecursedirs": pytestconfig.getini("norecursedirs"), "python_files": ["test_*.py"]}

    assert not collected_by_configuration(dashboard_test, testpaths=["tests", "catalogue", "order"], **settings)
    assert collected_by_configuration(dashboard_test, testpaths=["tests", "dashboard"], **settings)
    assert not collected_by_configuration(
        dashboard_test, testpaths=["."], norecursedirs=["dashboard"], python_files=["test_*.py"]
    )

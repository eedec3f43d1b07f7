"""No code outside `core.transitions` writes a status by hand.

The scan reads every module of the project (not migrations, not tests) and fails on
``<obj>.status = ...``, ``.update(status=...)``, ``bulk_update(..., ["status"])`` and
``setattr(obj, "status", ...)``. The few writes of statuses no machine governs (Oscar's own, the
Stripe mirrors, view attributes named status) are listed in ALLOWED by file and expression.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE_FIELDS = {"status"}
# Benchmarks build their fixture data straight in the tables, like tests do. localservers are the
# stand-ins for Midtrans and Biteship: their statuses are the providers' own, not ours.
SKIP_DIRS = {"localservers", ".venv", "migrations", "tests", "benchmarks", "node_modules", "static", "locale", ".git"}

# (file, the expression whose status is written) → why it is not a machine's status.
ALLOWED = {
    ("fulfilment/services.py", "order.status"): "Oscar's order status, derived from its seller orders.",
    ("order/stock.py", ".update(status=...)"): "Oscar's StockAlert open/closed bookkeeping.",
    ("sellers/dashboard/views.py", "self.status"): "A view's filter, not a model.",
    ("payouts/dashboard/views.py", "self.status"): "A view's filter, not a model.",
    ("companies/dashboard_views.py", "self.status"): "A view's filter, not a model.",
}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIP_DIRS & set(relative.parts[:-1]) or relative.name.startswith("test_") or relative.name == "conftest.py":
            continue
        if relative.as_posix() == "core/transitions.py":
            continue
        yield relative.as_posix(), path


def _assigned_attributes(target):
    if isinstance(target, ast.Attribute):
        yield target
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _assigned_attributes(element)


def _writes(tree):
    """(line, expression) of every status write in a module."""
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            for attribute in _assigned_attributes(target):
                if attribute.attr in STATE_FIELDS:
                    yield node.lineno, ast.unparse(attribute)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "update" and any(keyword.arg in STATE_FIELDS for keyword in node.keywords):
                yield node.lineno, ".update(status=...)"
            if node.func.attr == "bulk_update" and any(
                isinstance(constant, ast.Constant) and constant.value in STATE_FIELDS
                for argument in node.args[1:] + [keyword.value for keyword in node.keywords]
                for constant in ast.walk(argument)
            ):
                yield node.lineno, ".bulk_update(status)"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
            if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and node.args[1].value in STATE_FIELDS:
                yield node.lineno, "setattr(status)"


def test_statuses_change_only_through_core_transitions():
    found = []
    for relative, path in _modules():
        tree = ast.parse(path.read_text(), filename=relative)
        for line, expression in _writes(tree):
            if (relative, expression) not in ALLOWED:
                found.append(f"{relative}:{line}: {expression}")
    assert found == [], "Change statuses with core.transitions.transition():\n" + "\n".join(found)


def test_the_scan_catches_each_kind_of_write():
    source = (
        "quote.status = 'x'\n"
        "a.b, review.status = 1, 2\n"
        "Quote.objects.filter(pk=1).update(status='closed')\n"
        "Quote.objects.bulk_update(quotes, ['status'])\n"
        "setattr(quote, 'status', 'x')\n"
        "quote.note = 'fine'\n"
    )
    assert sorted(expression for _line, expression in _writes(ast.parse(source))) == sorted(
        ["quote.status", "review.status", ".update(status=...)", ".bulk_update(status)", "setattr(status)"]
    )


def test_every_allowance_is_still_needed():
    used = set()
    for relative, path in _modules():
        for _line, expression in _writes(ast.parse(path.read_text(), filename=relative)):
            used.add((relative, expression))
    assert sorted(set(ALLOWED) - used) == []

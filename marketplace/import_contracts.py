"""Import-linter contracts of our own (read only by `lint-imports`, never by Django).

`acyclic_apps`: no import cycle between the root packages, i.e. the project's apps. The built-in
`acyclic_siblings` needs a common parent package, which our top-level apps do not have.
"""

from importlinter.application import contract_utils, output
from importlinter.application.contract_utils import AlertLevel
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class AcyclicAppsContract(Contract):
    type_name = "acyclic_apps"

    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(AlertLevel, default=AlertLevel.ERROR)

    def check(self, graph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        apps = sorted(self.session_options["root_packages"])
        imports = {
            app: {
                other
                for other in apps
                if other != app and graph.direct_import_exists(importer=app, imported=other, as_packages=True)
            }
            for app in apps
        }
        cycles = [sorted(group) for group in _strongly_connected(imports) if len(group) > 1]
        edges = {
            tuple(cycle): sorted(
                (importer, imported)
                for app in cycle
                for other in imports[app] & set(cycle)
                for importer, imported in _direct_imports(graph, app, other)
            )
            for cycle in cycles
        }
        return ContractCheck(
            kept=not cycles,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"edges": edges},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle, edges in sorted(check.metadata["edges"].items()):
            output.print_error(f"These apps import each other in a cycle: {', '.join(cycle)}")
            by_pair: dict[tuple[str, str], list[str]] = {}
            for importer, imported in edges:
                pair = (importer.split(".")[0], imported.split(".")[0])
                by_pair.setdefault(pair, []).append(f"{importer} -> {imported}")
            for (app, other), found in sorted(by_pair.items()):
                output.print_error(f"- {app} -> {other}: {', '.join(found)}", bold=False)
            output.new_line()


def _direct_imports(graph, app: str, other: str) -> list[tuple[str, str]]:
    return [
        (found["importer"], found["imported"])
        for found in graph.find_matching_direct_imports(import_expression=f"{app}.** -> {other}.**")
    ] + [
        (found["importer"], found["imported"])
        for expression in (f"{app} -> {other}.**", f"{app}.** -> {other}", f"{app} -> {other}")
        for found in graph.find_matching_direct_imports(import_expression=expression)
    ]


def _strongly_connected(imports: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm: the groups of apps that can each reach every other one of the group."""
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(app: str) -> None:
        index[app] = lowlink[app] = len(index)
        stack.append(app)
        on_stack.add(app)
        for other in imports[app]:
            if other not in index:
                visit(other)
                lowlink[app] = min(lowlink[app], lowlink[other])
            elif other in on_stack:
                lowlink[app] = min(lowlink[app], index[other])
        if lowlink[app] == index[app]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == app:
                    break
            groups.append(group)

    for app in imports:
        if app not in index:
            visit(app)
    return groups

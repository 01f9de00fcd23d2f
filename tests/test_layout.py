"""The shape of the package: imports point one way, scikeras stays in one module."""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "sklkeras"


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            name, package = ".".join(parts[:-1]), list(parts[:-1])
        else:
            name, package = ".".join(parts), list(parts[:-1])
        yield name, package, ast.parse(path.read_text(encoding="utf-8"))


def _graph():
    """Module -> the sklkeras modules it imports, function-level imports included."""
    graph, absolute = {}, {}
    for name, package, tree in _modules():
        deps, external = set(), set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - node.level + 1]
                if node.module:
                    deps.add(".".join([*base, node.module]))
                else:
                    deps.update(".".join([*base, alias.name]) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                external.add(node.module)
            elif isinstance(node, ast.Import):
                external.update(alias.name for alias in node.names)
        graph[name] = deps
        absolute[name] = external
    return graph, absolute


def test_no_import_cycles():
    graph, _ = _graph()
    done, cycles = set(), []

    def visit(node, stack):
        for dep in sorted(graph.get(node, ())):
            if dep in stack:
                cycles.append(" -> ".join([*stack[stack.index(dep) :], dep]))
            elif dep not in done:
                visit(dep, [*stack, dep])
        done.add(node)

    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_scikeras_is_imported_in_one_module():
    _, external = _graph()
    importers = sorted(
        name
        for name, modules in external.items()
        if any(m == "scikeras" or m.startswith("scikeras.") for m in modules)
    )
    assert importers == ["sklkeras._scikeras"]


@pytest.mark.parametrize("module", ["sklkeras._builders"])
def test_builders_do_not_import_scikit_learn(module):
    _, external = _graph()
    assert not any(m.startswith("sklearn") for m in external[module])

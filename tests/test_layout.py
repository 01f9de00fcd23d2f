"""The shape of the package, as docs/architecture.md describes it.

- imports point one way: no cycle between modules, nor between subpackages;
- a subpackage is entered through its ``__init__``: no module imports another
  subpackage's private modules;
- scikeras is imported by one module, the network builders import no scikit-learn;
- modules stay readable: at most ~400 lines, functions at most ~80 lines of code
  (docstrings not counted; constructors that only assign are exempt).
"""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "sklkeras"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            name, package = ".".join(parts[:-1]), list(parts[:-1])
        else:
            name, package = ".".join(parts), list(parts[:-1])
        yield name, package, path, ast.parse(path.read_text(encoding="utf-8"))


def _imports():
    """Module -> [(imported sklkeras module or package, names)], and -> externals."""
    graph, external = {}, {}
    for name, package, _, tree in _modules():
        deps, outside = [], set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - node.level + 1]
                names = [alias.name for alias in node.names]
                if node.module:
                    deps.append((".".join([*base, node.module]), names))
                else:
                    deps.extend((".".join([*base, n]), []) for n in names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                outside.add(node.module)
                if node.module.startswith("sklkeras"):
                    deps.append((node.module, [a.name for a in node.names]))
            elif isinstance(node, ast.Import):
                outside.update(alias.name for alias in node.names)
        graph[name] = deps
        external[name] = outside
    return graph, external


def _unit(module: str) -> str:
    """The unit of layering: a subpackage (``sklkeras._engine``) or a top-level
    module (``sklkeras.mlp``)."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _cycles(edges: dict) -> list:
    done, cycles = set(), []

    def visit(node, stack):
        for dep in sorted(edges.get(node, ())):
            if dep in stack:
                cycles.append(" -> ".join([*stack[stack.index(dep) :], dep]))
            elif dep not in done:
                visit(dep, [*stack, dep])
        done.add(node)

    for node in sorted(edges):
        if node not in done:
            visit(node, [node])
    return cycles


def test_no_import_cycles_between_modules():
    graph, _ = _imports()
    edges = {m: {d for d, _ in deps} for m, deps in graph.items()}
    cycles = _cycles(edges)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_no_import_cycles_between_subpackages():
    graph, _ = _imports()
    edges: dict = {}
    for module, deps in graph.items():
        for dep, _ in deps:
            if _unit(dep) != _unit(module) and _unit(module) != "sklkeras":
                edges.setdefault(_unit(module), set()).add(_unit(dep))
    cycles = [c for c in _cycles(edges) if "sklkeras ->" not in c]
    assert not cycles, "cycles between subpackages:\n" + "\n".join(cycles)


def test_subpackages_are_entered_through_their_init():
    graph, _ = _imports()
    crossings = []
    for module, deps in graph.items():
        for dep, _ in deps:
            parts = dep.split(".")
            into_private = len(parts) > 2 and parts[2].startswith("_")
            if into_private and _unit(dep) != _unit(module):
                crossings.append(f"{module} imports {dep}")
    assert not crossings, "\n".join(crossings)


def test_scikeras_is_imported_in_one_module():
    _, external = _imports()
    importers = sorted(
        name
        for name, modules in external.items()
        if any(m == "scikeras" or m.startswith("scikeras.") for m in modules)
    )
    assert importers == ["sklkeras._scikeras._imports"]


def test_builders_do_not_import_scikit_learn():
    _, external = _imports()
    builders = sorted(n for n in external if n.startswith("sklkeras._estimator._build"))
    assert "sklkeras._estimator._builders" in builders
    assert not any(m.startswith("sklearn") for n in builders for m in external[n])


def test_modules_are_short():
    long = [
        f"{path.relative_to(PACKAGE.parent)}: {n} lines"
        for _, _, path, _ in _modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not long, "\n".join(long)


def _code_lines(node) -> int:
    """Lines of a function, its docstring left out."""
    n = node.end_lineno - node.lineno + 1
    body = node.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
    ):
        if isinstance(body[0].value.value, str):
            n -= body[0].end_lineno - body[0].lineno + 1
    return n


def _only_assigns(node) -> bool:
    return node.name == "__init__" and all(
        isinstance(s, ast.Assign | ast.AnnAssign | ast.Expr | ast.Pass)
        for s in node.body
    )


@pytest.mark.parametrize("limit", [MAX_FUNCTION_LINES])
def test_functions_are_short(limit):
    long = []
    for _, _, path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if _code_lines(node) > limit and not _only_assigns(node):
                    where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                    long.append(f"{where} {node.name}: {_code_lines(node)} lines")
    assert not long, "\n".join(long)

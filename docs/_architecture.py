"""The subpackage import graph of sklkeras, read from the code with ``ast``.

``docs/conf.py`` calls :func:`write` at build time; it writes
``docs/generated/architecture_graph.md``, which ``docs/architecture.md`` includes.
The graph is never written by hand, so it cannot drift from the code.

A *unit* is a subpackage (``sklkeras._engine``) or a top-level module
(``sklkeras.mlp``); ``sklkeras`` itself is the package's ``__init__``. An edge
``a -> b`` means some module of ``a`` imports something from ``b`` (at the top of
the module or inside a function). Imports inside one unit are left out.

Run ``python docs/_architecture.py`` to print the page fragment.
"""

from __future__ import annotations

import ast
import pathlib

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "sklkeras"
OUTPUT = pathlib.Path(__file__).resolve().parent / "generated" / "architecture_graph.md"


def _module_name(path: pathlib.Path, package_dir: pathlib.Path) -> tuple[str, list]:
    """Dotted name of a module file and the package it sits in."""
    parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
        return ".".join(parts), parts
    return ".".join(parts), parts[:-1]


def unit(module: str) -> str:
    """The unit a module belongs to: ``sklkeras._engine._tf_loop`` -> ``sklkeras._engine``."""
    return ".".join(module.split(".")[:2])


def units(package_dir: pathlib.Path = PACKAGE) -> list[str]:
    """Every unit: the package, its subpackages and its top-level modules."""
    found = {package_dir.name}
    for path in package_dir.iterdir():
        if path.is_dir() and (path / "__init__.py").exists():
            found.add(f"{package_dir.name}.{path.name}")
        elif path.suffix == ".py" and path.name != "__init__.py":
            found.add(f"{package_dir.name}.{path.stem}")
    return sorted(found)


def _imported_modules(node, package: list, top: str) -> list[str]:
    """The sklkeras modules one import statement names (absolute names)."""
    targets = []
    if isinstance(node, ast.ImportFrom) and node.level:
        base = package[: len(package) - node.level + 1]
        if node.module:
            targets.append(".".join([*base, node.module]))
        else:  # from . import _builders
            targets.extend(".".join([*base, a.name]) for a in node.names)
    elif isinstance(node, ast.ImportFrom) and node.module:
        targets.append(node.module)
    elif isinstance(node, ast.Import):
        targets.extend(alias.name for alias in node.names)
    return [t for t in targets if t == top or t.startswith(top + ".")]


def _imports(tree: ast.AST):
    """(import statement, inside a function?) for every import of a module."""
    stack = [(tree, False)]
    while stack:
        node, deferred = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, deferred
        inner = deferred or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))


def import_graph(
    package_dir: pathlib.Path = PACKAGE, *, deferred: bool = False
) -> dict[str, set[str]]:
    """Unit -> the other units it imports from.

    With ``deferred=True``, only the edges made by imports inside functions alone
    (imported when the function first runs, not with the module).
    """
    top = package_dir.name
    graph: dict[str, set[str]] = {name: set() for name in units(package_dir)}
    at_import: dict[str, set[str]] = {name: set() for name in graph}
    for path in sorted(package_dir.rglob("*.py")):
        name, package = _module_name(path, package_dir)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, in_function in _imports(tree):
            for target in _imported_modules(node, package, top):
                dep = unit(target)
                if dep != unit(name) and dep in graph:
                    graph[unit(name)].add(dep)
                    if not in_function:
                        at_import[unit(name)].add(dep)
    if deferred:
        return {name: graph[name] - at_import[name] for name in graph}
    return graph


def levels(graph: dict[str, set[str]]) -> dict[str, int]:
    """Each unit's level: 0 imports no other unit, otherwise one more than the
    highest level it imports. (The graph has no cycles: tests/test_layout.py.)"""
    level: dict[str, int] = {}

    def visit(node, stack=()):
        if node not in level:
            if node in stack:  # a cycle: report it rather than recurse forever
                raise ValueError(f"import cycle through {node}")
            deps = [visit(d, (*stack, node)) for d in graph[node]]
            level[node] = 1 + max(deps) if deps else 0
        return level[node]

    for node in graph:
        visit(node)
    return level


def _short(name: str) -> str:
    return name.split(".", 1)[1] if "." in name else name


def diagram(graph: dict[str, set[str]], deferred: dict[str, set[str]]) -> str:
    """A plain-text diagram: units by level, top (entry points) to bottom, each with
    the units it imports (``*``: only inside functions)."""
    level = levels(graph)
    width = max(len(_short(n)) for n in graph)
    lines = []
    for lv in range(max(level.values()), -1, -1):
        lines.append(f"level {lv}")
        for name in sorted(n for n in graph if level[n] == lv):
            deps = ", ".join(
                _short(d) + ("*" if d in deferred[name] else "")
                for d in sorted(graph[name])
            )
            lines.append(f"  {_short(name):<{width}}  -> {deps or '(nothing)'}")
    return "\n".join(lines)


def markdown(package_dir: pathlib.Path = PACKAGE) -> str:
    """The page fragment: the diagram in a text block, and its counts."""
    graph = import_graph(package_dir)
    deferred = import_graph(package_dir, deferred=True)
    n_edges = sum(len(d) for d in graph.values())
    subpackages = [n for n in graph if "." in n and (package_dir / _short(n)).is_dir()]
    return (
        "<!-- Generated by docs/_architecture.py at build time: do not edit. -->\n\n"
        "```text\n"
        f"{diagram(graph, deferred)}\n"
        "```\n\n"
        f"{len(graph)} units ({len(subpackages)} subpackages), {n_edges} import "
        "edges between them, read from the source by `docs/_architecture.py`; "
        "`*` marks an edge made only by imports inside functions.\n"
    )


def write(path: pathlib.Path = OUTPUT) -> pathlib.Path:
    """Write the fragment (only when it changed, so Sphinx does not rebuild for
    nothing) and return its path."""
    text = markdown()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    print(markdown())

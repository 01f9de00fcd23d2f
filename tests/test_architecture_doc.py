"""The design and architecture pages stay true to the code.

- the import graph that docs/_architecture.py generates for docs/architecture.md
  lists every subpackage and top-level module of sklkeras, with real edges only;
- docs/architecture.md includes that graph and names every subpackage and every
  module of the private subpackages;
- every "defect N" the code, tests and docs cite is one of the ten of
  docs/design.md, and each of the ten has a regression test in tests/estimator/test_base.py;
- nothing cites a design file outside the repository.
"""

import importlib.util
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PACKAGE = ROOT / "sklkeras"


@pytest.fixture(scope="module")
def architecture():
    spec = importlib.util.spec_from_file_location(
        "_architecture", DOCS / "_architecture.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SUBPACKAGES = sorted(
    p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()
)
TOP_MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.name != "__init__.py")


def _graph_rows(text: str) -> dict:
    """Unit -> the names after its arrow, from the generated text diagram."""
    rows = {}
    for line in text.splitlines():
        match = re.match(r"^  (\S+)\s+-> (.*)$", line)
        if match:
            deps = match.group(2)
            rows[match.group(1)] = (
                set() if deps == "(nothing)" else set(deps.replace("*", "").split(", "))
            )
    return rows


def test_the_layout_has_subpackages():
    assert {"_engine", "_estimator", "_utils", "model_selection"} <= set(SUBPACKAGES)


def test_generated_graph_lists_every_subpackage_and_module(architecture, tmp_path):
    path = architecture.write(tmp_path / "architecture_graph.md")
    rows = _graph_rows(path.read_text())
    missing = [n for n in [*SUBPACKAGES, *TOP_MODULES, "sklkeras"] if n not in rows]
    assert not missing, f"not in the generated graph: {missing}"
    assert set(rows) == {*SUBPACKAGES, *TOP_MODULES, "sklkeras"}


def test_generated_graph_edges_are_real_imports(architecture):
    rows = _graph_rows(architecture.markdown())
    assert rows["_utils"] == set()  # the bottom layer
    assert "_scikeras" in rows["wrappers"]
    assert "_engine" in rows["_estimator"]
    for unit, deps in rows.items():
        folder = PACKAGE / unit
        files = (
            list(folder.rglob("*.py"))
            if folder.is_dir()
            else [
                PACKAGE / f"{unit}.py"
                if unit != "sklkeras"
                else PACKAGE / "__init__.py"
            ]
        )
        source = "\n".join(f.read_text(encoding="utf-8") for f in files)
        for dep in deps:
            assert re.search(rf"\b{re.escape(dep)}\b", source), f"{unit} -> {dep}?"


def test_generated_graph_has_levels_from_the_bottom(architecture):
    graph = architecture.import_graph()
    level = architecture.levels(graph)
    for unit, deps in graph.items():
        for dep in deps:
            assert level[unit] > level[dep], (unit, dep)


def test_architecture_page_includes_the_graph_and_names_every_subpackage():
    page = (DOCS / "architecture.md").read_text()
    assert "{include} generated/architecture_graph.md" in page
    unnamed = [name for name in SUBPACKAGES if f"`{name}/`" not in page]
    assert not unnamed, f"docs/architecture.md does not describe {unnamed}"


def test_architecture_page_names_every_private_module():
    page = (DOCS / "architecture.md").read_text()
    unnamed = [
        f"{folder.name}/{module.name}"
        for folder in sorted(PACKAGE.glob("_*/"))
        if (folder / "__init__.py").exists()
        for module in sorted(folder.glob("_*.py"))
        if module.name != "__init__.py" and f"`{module.name}`" not in page
    ]
    assert not unnamed, f"docs/architecture.md does not describe {unnamed}"


def test_conf_writes_the_graph():
    conf = (DOCS / "conf.py").read_text()
    assert "_architecture.write()" in conf
    assert "generated/architecture_graph.md" in conf  # excluded as a page


@pytest.mark.parametrize("page", ["design", "architecture"])
def test_pages_are_in_the_toctree(page):
    index = (DOCS / "index.rst").read_text()
    assert re.search(rf"^\s+{page}\s*$", index, re.MULTILINE)


DEFECT_REF = re.compile(r"defects? (\d+)(?:-(\d+))? in docs/design\.md", re.IGNORECASE)


def _cited_files():
    for folder in ("sklkeras", "tests", "docs", "benchmarks", "examples"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".md", ".rst"} and "_build" not in path.parts:
                yield path
    yield ROOT / "README.md"


def test_defect_numbers_are_those_of_the_design_page():
    design = (DOCS / "design.md").read_text()
    listed = [int(n) for n in re.findall(r"^\(defect-(\d+)\)=$", design, re.MULTILINE)]
    assert listed == list(range(1, 11))
    for n in listed:
        assert re.search(rf"^### {n}\. ", design, re.MULTILINE), f"defect {n} heading"
    cited = set()
    for path in _cited_files():
        for first, last in DEFECT_REF.findall(path.read_text(encoding="utf-8")):
            cited.update(range(int(first), int(last or first) + 1))
    assert cited, "nothing cites docs/design.md"
    assert cited <= set(listed), sorted(cited - set(listed))


def test_every_defect_has_a_regression_test():
    tests = (ROOT / "tests" / "estimator" / "test_base.py").read_text()
    untested = [n for n in range(1, 10) if f"def test_defect{n}_" not in tests]
    assert not untested  # defect 10: scikit-learn's checks in tests/test_common.py
    assert (
        "parametrize_with_checks"
        in (ROOT / "tests" / "estimator" / "test_common.py").read_text()
    )


def test_no_file_cites_a_design_file_outside_the_repository():
    outside = "DESIGN" + ".md"
    citing = [
        str(path.relative_to(ROOT))
        for path in [*_cited_files(), ROOT / "pyproject.toml"]
        if outside in path.read_text(encoding="utf-8")
    ]
    assert not citing, f"cite {outside}, which is not in the repository: {citing}"

"""The documentation stays true to the code.

- every public name is in the API reference (docs/api.rst);
- every parameter of every public class and function is documented in its numpydoc
  docstring, and nothing is documented that the signature lacks;
- every ```python block of the Markdown user guide runs: the blocks of one page run
  in order in one namespace, like a doctest session, in a temporary directory.
"""

import inspect
import os
import pathlib
import re

import pytest
from numpydoc.docscrape import ClassDoc, FunctionDoc

import sklkeras
import sklkeras.callbacks
import sklkeras.datasets
import sklkeras.model_selection
import sklkeras.text

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

MODULES = [
    sklkeras,
    sklkeras.callbacks,
    sklkeras.datasets,
    sklkeras.model_selection,
    sklkeras.text,
]
PUBLIC = [
    (module.__name__, name, getattr(module, name))
    for module in MODULES
    for name in module.__all__
    if not name.startswith("__")
]


def test_every_public_name_is_in_the_api_reference():
    api = (DOCS / "api.rst").read_text()
    missing = [
        f"{module}.{name}"
        for module, name, _ in PUBLIC
        if not re.search(rf"^\s+{re.escape(name)}\s*$", api, re.MULTILINE)
    ]
    assert not missing, f"not listed in docs/api.rst: {missing}"


def _signature_params(obj):
    if inspect.isclass(obj) and obj.__init__ is object.__init__:
        return []  # an abstract base without parameters of its own
    target = obj.__init__ if inspect.isclass(obj) else obj
    # **kwargs count too: KerasClassifier documents its **model_params.
    return [name for name in inspect.signature(target).parameters if name != "self"]


def _documented_params(obj):
    doc = ClassDoc(obj) if inspect.isclass(obj) else FunctionDoc(obj)
    names = []
    for param in doc["Parameters"]:
        # numpydoc allows "a, b : int" for parameters sharing a description.
        names.extend(n.strip().lstrip("*") for n in param.name.split(","))
    return names


@pytest.mark.parametrize(
    "obj", [obj for *_, obj in PUBLIC if callable(obj)], ids=lambda o: o.__name__
)
def test_every_parameter_is_documented(obj):
    in_signature = _signature_params(obj)
    documented = _documented_params(obj)
    undocumented = [p for p in in_signature if p not in documented]
    unknown = [p for p in documented if p not in in_signature]
    assert not undocumented, f"{obj.__name__}: parameters without docs {undocumented}"
    assert not unknown, f"{obj.__name__}: documented but not parameters {unknown}"
    # The docstring lists parameters in signature order, as scikit-learn's do.
    assert documented == [p for p in in_signature if p in documented]


@pytest.mark.parametrize(
    "cls",
    [obj for *_, obj in PUBLIC if inspect.isclass(obj) and hasattr(obj, "fit")],
    ids=lambda c: c.__name__,
)
def test_estimators_document_fitted_attributes(cls):
    assert ClassDoc(cls)["Attributes"], f"{cls.__name__} documents no attributes"


# Public names without a doctest, each with its reason.
NO_EXAMPLE = {
    "load_mnist": "downloads 11 MB on first use; tests never touch the network",
    "load_cifar10": "downloads 170 MB on first use",
    "load_imdb": "downloads 17 MB on first use",
    "load_image_folder": "needs a folder of image files; the gallery shows it",
    "import_json_weights": "shown in export_json_weights's example",
    "LearningRateSchedule": "abstract base of the schedules",
}


@pytest.mark.parametrize(
    "obj", [obj for *_, obj in PUBLIC if callable(obj)], ids=lambda o: o.__name__
)
def test_every_public_name_has_a_doctest_example(obj):
    """The Examples sections run as doctests (pytest --doctest-modules)."""
    doc = ClassDoc(obj) if inspect.isclass(obj) else FunctionDoc(obj)
    if obj.__name__ in NO_EXAMPLE:
        assert not doc["Examples"], f"{obj.__name__} has one now: drop the exemption"
    else:
        assert doc["Examples"], f"{obj.__name__} has no Examples section"


FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
PAGES = sorted(
    p
    for p in DOCS.rglob("*.md")
    if "_build" not in p.parts and FENCE.search(p.read_text())
)


def test_the_user_guide_has_runnable_snippets():
    assert len(PAGES) >= 5, [p.name for p in PAGES]


@pytest.mark.parametrize(
    "page", PAGES, ids=lambda p: str(p.relative_to(DOCS)).removesuffix(".md")
)
def test_markdown_snippets_run(page, tmp_path, monkeypatch):
    blocks = FENCE.findall(page.read_text())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {"__name__": "__main__"}
    for number, block in enumerate(blocks, 1):
        code = compile(block, f"{page.name}, python block {number}", "exec")
        try:
            exec(code, namespace)
        except Exception as exc:  # pragma: no cover - reported with the block
            raise AssertionError(
                f"{page.relative_to(DOCS)} block {number} failed:\n{block}"
            ) from exc
    assert os.getcwd() == str(tmp_path)

"""Sphinx configuration for the sklkeras documentation.

Build with ``bash scripts/docs.sh`` (warnings are errors). The example gallery is
executed during the build with each script's ``--quick`` settings.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))  # for _gallery and _architecture

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")

import _architecture  # noqa: E402

import sklkeras  # noqa: E402

project = "sklkeras"
author = "the sklkeras developers"
copyright = "2026, the sklkeras developers"
release = sklkeras.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
# generated/architecture_graph.md is a fragment that architecture.md includes.
exclude_patterns = [
    "_build",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "generated/architecture_graph.md",
]
templates_path = ["_templates"]

# The architecture page's import graph, read from the code with ast (no import).
_architecture.write()
nitpicky = False

# API reference: one page per public name, generated from the numpydoc docstrings.
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# Fail the build (with -W) on a parameter missing from, or unknown to, a docstring.
numpydoc_validation_checks = {"PR01", "PR02"}
numpydoc_validation_exclude = {
    # scikit-learn's own inherited methods and metadata-routing setters.
    r"\.set_\w+_request$",
    r"\.get_metadata_routing$",
    r"\.__sklearn_tags__$",
}

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "sklearn": ("https://scikit-learn.org/stable", None),
    "numpy": ("https://numpy.org/doc/stable", None),
}
# The docs build runs offline (CI has no internet): use intersphinx only when asked.
if os.environ.get("SKLKERAS_DOCS_INTERSPHINX") != "1":
    intersphinx_mapping = {}

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # Run every script except the private helpers (_common.py, _images.py).
    "filename_pattern": r"\.py$",
    "ignore_pattern": r"^_",
    "reset_argv": "_gallery.reset_argv",
    "reset_modules": ("matplotlib", "_gallery.reset_keras"),
    "within_subsection_order": "_gallery.TaskOrder",
    "image_scrapers": ("matplotlib",),
    "doc_module": ("sklkeras",),
    "backreferences_dir": "gen_modules/backreferences",
    "reference_url": {"sklkeras": None},
    "remove_config_comments": True,
    "show_memory": False,
    "min_reported_time": 5,
    "download_all_examples": False,
}
# SKLKERAS_DOCS_GALLERY=0 skips executing the examples (fast drafts of the prose).
if os.environ.get("SKLKERAS_DOCS_GALLERY") == "0":
    sphinx_gallery_conf["plot_gallery"] = "False"

# Methods inherited from scikit-learn (score, get_params, set_output, the metadata
# routing setters) carry references into scikit-learn's own docs. The build is
# offline, so show those references as plain text.
_SKLEARN_ROLE = re.compile(
    r":(?:ref|term|class|func|meth|attr|obj):`~?([^`<]*?)\s*(?:<[^`>]*>)?`"
)


def _plain_sklearn_references(app, what, name, obj, options, lines):
    # A property (n_features_in_ of the searches) carries its module on its getter.
    module = (
        getattr(obj, "__module__", None)
        or getattr(getattr(obj, "fget", None), "__module__", None)
        or ""
    )
    if module.startswith("sklearn"):
        lines[:] = [_SKLEARN_ROLE.sub(r"``\1``", line) for line in lines]


def setup(app):
    app.connect("autodoc-process-docstring", _plain_sklearn_references)


html_theme = "pydata_sphinx_theme"
html_title = f"sklkeras {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path = []

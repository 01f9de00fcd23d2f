"""Old module paths of sklkeras 0.1, kept importable for the files it wrote.

Pickles name the functions and classes they rebuild by module path
(``sklkeras._pickling._restore_pickled``, ``sklkeras._mlp_solver.SolverState``),
and so do Keras configs and skops files. sklkeras 0.1 kept every private module
in one flat folder; they now live in subpackages. ``install`` puts a stand-in for
each old path into ``sys.modules``: attribute access on it imports the module's
new home and reads from there, so a file written by 0.1 loads unchanged while
nothing is imported before it is needed. New files name the new paths.
"""

from __future__ import annotations

import importlib
import sys
import types

# sklkeras 0.1's private module -> where it lives now
MOVED = {
    "_atomic": "_persistence._atomic",
    "_base": "_estimator._base",
    "_builders": "_estimator",  # its builders now live in three modules
    "_checkpoint": "_persistence._checkpoint",
    "_compat": "_utils._compat",
    "_compile": "_engine._compile",
    "_divergence": "_engine._divergence",
    "_docstrings": "_utils._docstrings",
    "_epochs": "_engine._epochs",
    "_fit_callbacks": "_estimator._fit_callbacks",
    "_fused": "_engine._fused_jax",
    "_fused_keys": "_engine._keys",
    "_fused_prefit": "model_selection._prefit",
    "_fused_session": "_engine._session",
    "_fused_tf": "_engine._fused_tf",
    "_jax_loop": "_engine._jax_loop",
    "_lbfgs": "_mlp._lbfgs",
    "_mlp_attributes": "_mlp._attributes",
    "_mlp_base": "_mlp._base",
    "_mlp_docs": "_mlp._docs",
    "_mlp_solver": "_mlp._solver",
    "_onnx_converters": "_onnx._converters",
    "_onnx_inputs": "_onnx._inputs",
    "_onnx_network": "_onnx._network",
    "_pickling": "_persistence._pickling",
    "_pipeline_persistence": "_persistence._pipelines",
    "_prediction": "_estimator._prediction",
    "_runtime": "_utils._runtime",
    "_saved_state": "_persistence._saved_state",
    "_stopping": "_engine._stopping",
    "_targets": "_estimator._targets",
    "_tf_loop": "_engine._tf_loop",
    "_training": "_engine._dispatch",
    "_validation": "_utils._input_checks",
    "_wrapper_base": "_scikeras._base",
    "_wrapper_compile": "_scikeras._compile",
    "_wrapper_docs": "_scikeras._docs",
    "_wrapper_encoders": "_scikeras._encoders",
    "_wrapper_meta": "_scikeras._meta",
}
# ``sklkeras._persistence``, ``._onnx`` and ``._scikeras`` were modules in 0.1 and
# are subpackages now; ``sklkeras._persistence`` reads the names it does not
# export from ``_estimator_files`` (its 0.1 content).


class _MovedModule(types.ModuleType):
    """Stands for an old module path; reads every attribute from the new module."""

    def __init__(self, old: str, new: str):
        super().__init__(old, f"Moved to {new} (see sklkeras._persistence._moved).")
        self.__new_name = new

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return getattr(importlib.import_module(self.__new_name), name)


def install(package: str = "sklkeras") -> None:
    """Register the stand-ins (idempotent; real modules are never replaced)."""
    for old, new in MOVED.items():
        sys.modules.setdefault(
            f"{package}.{old}", _MovedModule(f"{package}.{old}", f"{package}.{new}")
        )

"""Version workarounds, each with the condition under which it can go.

Nothing here runs at import time except what is needed to import Keras quietly.
"""

from __future__ import annotations

import os

# TensorFlow prints C++ info lines (oneDNN, CPU features) on import. Quiet them unless
# the user has chosen a level. Remove when TensorFlow stops logging at INFO on import.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

# scikeras's ``__init__`` replaces ``__reduce__`` / ``__deepcopy__`` on these Keras
# classes for every model in the process (DESIGN.md defect 3). Keras 3 pickles its own
# objects through ``KerasSaveable.__reduce__``, so undoing the patch restores it.
# Remove together with the scikeras dependency.
_SCIKERAS_PATCHED = (
    (keras.Model, "__reduce__"),
    (keras.Model, "__deepcopy__"),
    (keras.losses.Loss, "__reduce__"),
    (keras.metrics.Metric, "__reduce__"),
    (keras.optimizers.Optimizer, "__reduce__"),
)


def undo_scikeras_monkeypatch() -> None:
    """Remove the process-wide pickling patches that ``import scikeras`` installs.

    Only attributes whose value comes from scikeras are removed, so a patch someone
    else installed is left alone.
    """
    for cls, name in _SCIKERAS_PATCHED:
        value = vars(cls).get(name)
        if value is not None and getattr(value, "__module__", "").startswith(
            "scikeras"
        ):
            delattr(cls, name)


def keras_backend() -> str:
    """Name of the active Keras backend ("tensorflow", "jax", ...)."""
    return keras.backend.backend()

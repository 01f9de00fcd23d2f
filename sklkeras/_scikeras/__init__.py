"""The scikeras layer of ``KerasClassifier`` / ``KerasRegressor``: the wrapper
base, ``meta`` and routing, compilation, encoders and docs. ``_imports`` is the
one module of sklkeras that imports scikeras.
"""

from ._base import (
    WrapperMixin,
)
from ._docs import (
    WRAPPER_DOCS,
)
from ._imports import (
    ClassifierLabelEncoder,
    RegressorTargetEncoder,
    loss_name,
)
from ._loss_check import (
    check_classification_loss,
)
from ._targets import (
    ClassifierWrapperMixin,
    RegressorWrapperMixin,
    WrapperTargetHooks,
)

__all__ = [
    "ClassifierLabelEncoder",
    "ClassifierWrapperMixin",
    "RegressorTargetEncoder",
    "RegressorWrapperMixin",
    "loss_name",
    "WRAPPER_DOCS",
    "WrapperMixin",
    "WrapperTargetHooks",
    "check_classification_loss",
]

"""The one module that imports scikeras (pinned at 0.13.0; unmaintained).

scikeras's wrapper classes are not used: their MRO hides the estimator type and
their ``fit``/``predict`` paths hold most of the defects listed in docs/design.md. What
scikeras does right is reused from here: parameter routing (``model__``,
``optimizer__``, ...), the compilation of optimizers, losses and metrics from names,
classes and routed parameters, loss and metric name normalisation, and its target
encoders. Importing scikeras patches pickling of every Keras model in the process
(defect 3 in docs/design.md); the patch is undone right here.

Remove this module, and the functions it re-exports, together with the scikeras
dependency.
"""

from __future__ import annotations

import scikeras  # noqa: F401  (installs the pickling patch undone below)
from scikeras._utils import (
    accepts_kwargs,
    get_loss_class_function_or_string,
    get_metric_class,
    get_optimizer_class,
    has_param,
    route_params,
    try_to_convert_strings_to_classes,
    unflatten_params,
)
from scikeras.utils import loss_name, metric_name
from scikeras.utils.transformers import (
    ClassifierLabelEncoder,
    RegressorTargetEncoder,
    TargetReshaper,
)

from .._utils import undo_scikeras_monkeypatch

undo_scikeras_monkeypatch()

__all__ = [
    "ClassifierLabelEncoder",
    "RegressorTargetEncoder",
    "TargetReshaper",
    "accepts_kwargs",
    "get_loss_class_function_or_string",
    "get_metric_class",
    "get_optimizer_class",
    "has_param",
    "loss_name",
    "metric_name",
    "route_params",
    "try_to_convert_strings_to_classes",
    "unflatten_params",
]

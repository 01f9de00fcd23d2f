"""Load-time checks: the fitted state read from a file must fit its network.

An ``estimator.json`` edited or rebuilt by hand (``classes_`` with 4 entries
against a 3-unit output, a multiclass encoder against a binary network) used to
load and predict nonsense. Each check names the file and the mismatch.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import is_classifier

_TARGET_TYPES = ("binary", "multiclass", "multilabel-indicator")


def check_loaded_state(estimator, path) -> None:
    """Raise ``ValueError`` naming ``path`` when the state does not fit ``model_``."""
    problem = _problem(estimator)
    if problem:
        raise ValueError(
            f"{path} does not hold a consistent sklkeras estimator: {problem}. The "
            "file was edited or assembled from parts that do not belong together; "
            "save the estimator again."
        )


def _problem(est) -> str | None:
    model = est.model_
    try:
        outputs = model.outputs
        inputs = model.inputs
    except AttributeError:  # pragma: no cover - a subclassed model
        return None
    if not outputs or len(outputs) != 1 or not inputs or len(inputs) != 1:
        return None  # multi-input or -output networks: nothing generic to check
    units = outputs[0].shape[-1]
    if not hasattr(est, "n_features_in_"):
        return "the fitted attribute n_features_in_ is missing"
    expected_input = tuple(getattr(est, "input_shape_", None) or (est.n_features_in_,))
    network_input = tuple(inputs[0].shape[1:])
    if tuple(expected_input) != network_input:
        return (
            f"the estimator expects samples of shape {expected_input} but its "
            f"network takes {network_input}"
        )
    if is_classifier(est):
        return _classifier_problem(est, units)
    n_outputs = getattr(est, "n_outputs_", None)
    if n_outputs is None:
        return "the fitted attribute n_outputs_ is missing"
    if units != n_outputs:
        return f"n_outputs_ is {n_outputs} but the network has {units} output unit(s)"
    return None


def _classifier_problem(est, units) -> str | None:
    target_type = getattr(est, "_target_type_", None)
    classes = getattr(est, "classes_", None)
    if target_type not in _TARGET_TYPES or classes is None:
        return (
            "the classifier's target type or classes_ is missing or unknown "
            f"({target_type!r})"
        )
    classes = np.asarray(classes)
    expected = 1 if target_type == "binary" else len(classes)
    if target_type == "binary" and len(classes) != 2:
        return f"a binary target needs 2 classes; classes_ holds {len(classes)}"
    if units != expected:
        return (
            f"classes_ holds {len(classes)} classes ({target_type}), which needs "
            f"{expected} output unit(s), but the network has {units}"
        )
    one_hot = getattr(est, "_one_hot_y_", False)
    if target_type != "multilabel-indicator" and not one_hot:
        encoder = getattr(est, "_label_encoder_", None)
        if encoder is None or not np.array_equal(encoder.classes_, classes):
            return "classes_ differs from the label encoder saved with it"
    return None

"""Compiling a network: loss and metric names checked up front, one epoch per call.

A misspelt loss or metric name fails here with a message that names it, not later
inside Keras's ``compile`` or the first training step.
"""

from __future__ import annotations

import keras

# Upper bound of the steps run by one compiled call of Model.fit (fallback path).
MAX_STEPS_PER_EXECUTION = 1000
# Metric names Keras resolves only inside compile(), from the loss.
COMPILE_ONLY_METRICS = {"accuracy", "acc", "crossentropy", "ce"}


def check_loss(loss) -> None:
    """Refuse a loss name Keras does not know, naming the usual ones."""
    if not isinstance(loss, str):
        return
    try:
        keras.losses.get(loss)
    except ValueError:
        raise ValueError(
            f"loss={loss!r} is not a Keras loss name (e.g. "
            "'binary_crossentropy', 'categorical_crossentropy', "
            "'mean_squared_error'); pass a name, a keras.losses.Loss or a "
            "function."
        ) from None


def check_metrics(metrics) -> list:
    """The metrics as a list, each name known to Keras."""
    metrics = list(metrics) if metrics is not None else []
    for metric in metrics:
        if isinstance(metric, str) and metric not in COMPILE_ONLY_METRICS:
            try:
                keras.metrics.get(metric)
            except ValueError:
                raise ValueError(
                    f"metrics contains {metric!r}, which is not a Keras metric "
                    "name (e.g. 'accuracy', 'auc', 'mae'); pass a name, a "
                    "keras.metrics.Metric or a function."
                ) from None
    return metrics


def steps_per_execution(n_samples: int, batch_size: int, distributed: bool) -> int:
    """One compiled call runs a whole epoch (for Model.fit, e.g. on JAX).

    Per-step Python overhead, not arithmetic, is the cost of training small
    networks. 1 under a distribution strategy: Keras 3.15's multi-step function
    fails there with "You must feed a value for placeholder tensor".
    """
    if distributed:
        return 1
    steps = -(-n_samples // batch_size)
    return max(1, min(steps, MAX_STEPS_PER_EXECUTION))


def current_learning_rate(model) -> float | None:
    """The optimizer's learning rate now, or None when it has no plain one."""
    try:
        return float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
    except (AttributeError, TypeError, ValueError):
        return None

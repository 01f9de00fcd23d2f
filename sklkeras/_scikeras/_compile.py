"""Optimizer, loss, metrics and callbacks of the wrappers, resolved as scikeras does.

Each may be a name, a class, an instance, or a list / dict of them, with routed
parameters (``optimizer__learning_rate``, ``loss__from_logits``,
``metrics__0__name``, ``callbacks__patience``, ``compile__jit_compile``) filled in by
scikeras's own ``unflatten_params``. Two sklkeras rules on top: an optimizer object
is copied through its config for every fit (never trained in place, never shared
between the fits of a search), and a model the function compiled itself keeps its
optimizer, loss and metrics unless the estimator's ``loss`` is given (scikeras's
rule: ``loss=None`` and a compiled model mean no recompilation).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping

import keras

from ._imports import (
    get_loss_class_function_or_string,
    get_metric_class,
    get_optimizer_class,
    metric_name,
    try_to_convert_strings_to_classes,
    unflatten_params,
)


def resolve_optimizer(estimator, routed: dict, learning_rate=None):
    """The optimizer object of ``estimator.optimizer`` and ``optimizer__`` params."""
    optimizer = estimator.optimizer
    if optimizer is None:
        return None  # refused at compilation unless the model brings its own
    params = dict(routed)
    if learning_rate is not None:
        params.setdefault("learning_rate", learning_rate)
    if isinstance(optimizer, keras.optimizers.Optimizer):
        config = optimizer.get_config()
        config.update({k: v for k, v in params.items() if "__" not in k})
        return optimizer.__class__.from_config(config)
    optimizer = try_to_convert_strings_to_classes(optimizer, get_optimizer_class)
    return unflatten_params(items=optimizer, params=params)


def resolve_loss(loss, routed: dict):
    loss = try_to_convert_strings_to_classes(loss, get_loss_class_function_or_string)
    return unflatten_params(items=loss, params=routed)


def resolve_metrics(metrics, routed: dict):
    if metrics is None:
        return None
    metrics = try_to_convert_strings_to_classes(metrics, get_metric_class)
    metrics = unflatten_params(items=metrics, params=routed)
    if not isinstance(metrics, (dict, list, tuple)):
        metrics = [metrics]  # Keras takes a list or dict of metrics
    return metrics


def compile_kwargs(estimator, loss=None) -> dict:
    """scikeras's ``_get_compile_kwargs``: what a model function may compile with."""
    routed = estimator._routed
    kwargs = dict(estimator._routed("compile"))
    kwargs["optimizer"] = resolve_optimizer(
        estimator,
        routed("optimizer"),
        getattr(estimator, "learning_rate_init", None),
    )
    kwargs["loss"] = resolve_loss(
        estimator.loss if loss is None else loss, routed("loss", strict=False)
    )
    kwargs["metrics"] = resolve_metrics(
        estimator.metrics, routed("metrics", strict=False)
    )
    kwargs.setdefault("run_eagerly", bool(getattr(estimator, "run_eagerly", False)))
    return kwargs


def kept_compile(model) -> dict | None:
    """The arguments ``model`` was compiled with, or None when it was not (or has
    no loss, which leaves the choice to the estimator)."""
    if not getattr(model, "compiled", False) or not getattr(model, "loss", None):
        return None
    config = getattr(model, "_compile_config", None)
    kwargs = dict(config.config) if config is not None else {}
    for name in ("steps_per_execution", "jit_compile", "auto_scale_loss"):
        kwargs.pop(name, None)
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    # Kept even when None: check_compile_kwargs refuses them then.
    kwargs["optimizer"] = model.optimizer
    kwargs["loss"] = model.loss
    return kwargs


def _holds_a_loss(loss) -> bool:
    if isinstance(loss, Mapping):
        return any(_holds_a_loss(v) for v in loss.values())
    if isinstance(loss, (list, tuple)):
        return any(_holds_a_loss(v) for v in loss)
    return loss is not None


def check_compile_kwargs(kwargs: dict) -> None:
    """Refuse a compilation without an optimizer or a loss (scikeras's messages,
    before Keras fails on it or silently picks its default optimizer)."""
    if not _holds_a_loss(kwargs.get("loss")):
        given = kwargs.get("loss")
        raise ValueError(
            "You must provide a loss or a compiled model: "
            + ("no loss was given" if given is None else f"loss={given!r} holds none")
            + " and the model function did not compile the model with one. Pass "
            "loss= (a name, a class, a function or a keras.losses.Loss, or a "
            "list / dict of them per output)."
        )
    if kwargs.get("optimizer") is None:
        raise ValueError(
            "You must provide an optimizer or a compiled model: optimizer=None, "
            "and the model function did not compile the model with one. Pass "
            "optimizer= (a name such as 'adam', a class or a "
            "keras.optimizers.Optimizer)."
        )


def full_metric_names(history: dict) -> None:
    """scikeras's ``history_`` keys: a shorthand name of a Keras metric function
    (``"mse"``, ``"mae"``) is recorded under its full name
    (``"mean_squared_error"``); ``loss``, ``val_*`` and other names stay."""
    for key in list(history):
        if key == "loss" or key.startswith("val_"):
            continue
        try:
            full = metric_name(key)
            function = keras.metrics.get(key)
        except (ValueError, TypeError):  # a custom or unknown metric
            continue
        name = getattr(function, "name", getattr(function, "__name__", None))
        if full != key and name == full:
            history.setdefault(full, []).extend(history.pop(key))


def add_metric(metrics, metric):
    """``metrics`` with ``metric`` added (a list; dicts of per-output metrics stay)."""
    if isinstance(metrics, Mapping):
        return metrics
    metrics = list(metrics or [])
    name = metric if isinstance(metric, str) else getattr(metric, "name", None)
    names = {m if isinstance(m, str) else getattr(m, "name", None) for m in metrics}
    if name not in names and not (name == "accuracy" and "acc" in names):
        metrics.append(metric)
    return metrics


def resolve_callbacks(items, routed: dict) -> list:
    """scikeras's callbacks: an instance, a class, a list (nested) or a dict."""
    if items is None:
        return []
    callbacks = unflatten_params(items=items, params=routed)
    if isinstance(callbacks, Mapping):
        callbacks = list(callbacks.values())
    elif isinstance(callbacks, keras.callbacks.Callback):
        callbacks = [callbacks]
    flat = []
    for callback in callbacks if isinstance(callbacks, (list, tuple)) else [None]:
        for cb in callback if isinstance(callback, (list, tuple)) else [callback]:
            if inspect.isclass(cb) and issubclass(cb, keras.callbacks.Callback):
                cb = cb()
            if not isinstance(cb, keras.callbacks.Callback):
                raise TypeError(
                    "callbacks must be a callback, a list of callbacks (or of lists "
                    "of them) or a dict of them; each a keras.callbacks.Callback "
                    f"instance or subclass. Got {items!r}."
                )
            flat.append(cb)
    return flat


__all__ = [
    "add_metric",
    "check_compile_kwargs",
    "compile_kwargs",
    "full_metric_names",
    "kept_compile",
    "resolve_callbacks",
    "resolve_loss",
    "resolve_metrics",
    "resolve_optimizer",
]

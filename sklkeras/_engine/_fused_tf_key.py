"""Which requests the stacked TensorFlow trainer (``_fused_tf.py``) can train
together: ``tf_group_key``, and the layers, callbacks and metrics it reproduces.

The learning rate is not part of the key: it is a per-network value in the
stacked trainer (``_fused_tf.per_network_rates``), except under an optimizer with
``weight_decay``, whose decay Keras applies with the one rate of the optimizer.
"""

from __future__ import annotations

import json

import keras

from .._utils import ExactL2
from ._divergence import StopOnNonFiniteLoss
from ._keys import structure_key
from ._stopping import NoImprovementStopping


def dense_layers(model):
    """The Dense layers of ``model`` in order, or None when it holds anything else."""
    layers = []
    for layer in model._flatten_layers(include_self=False):
        if isinstance(layer, keras.layers.InputLayer | keras.layers.Activation):
            continue
        if type(layer) is not keras.layers.Dense:
            return None
        if layer.kernel_constraint or layer.bias_constraint or layer.bias_regularizer:
            return None
        if layer.activity_regularizer is not None or layer.lora_enabled:
            return None
        reg = layer.kernel_regularizer
        if reg is not None and not isinstance(reg, ExactL2 | keras.regularizers.L2):
            return None
        layers.append(layer)
    return layers


def _plain_callbacks(callbacks) -> bool:
    for cb in callbacks:
        if isinstance(cb, StopOnNonFiniteLoss):
            continue
        if isinstance(cb, NoImprovementStopping) and not cb.restore_best:
            if cb.on_plateau is None:
                continue
        return False
    return True


def mean_metrics(model) -> list | None:
    """The compiled metrics, when each is a per-sample mean (accuracy and the
    like: ``MeanMetricWrapper`` objects); None otherwise."""
    compiled = getattr(model, "_compile_metrics", None)
    if compiled is None:
        return []
    if getattr(compiled, "_user_weighted_metrics", None):
        return None
    metrics = getattr(compiled, "_user_metrics", None) or []
    if isinstance(metrics, dict) or not all(
        isinstance(m, keras.metrics.MeanMetricWrapper) for m in metrics
    ):
        return None
    return list(metrics)


def tf_group_key(model, request) -> str | None:
    """A string equal for networks this module can train together (None: alone)."""
    structure = structure_key(model)
    if structure is None or request.val_arrays is not None or request.verbose:
        return None
    if dense_layers(model) is None or not _plain_callbacks(request.callbacks):
        return None
    if request.initial_epoch:
        return None
    metrics = mean_metrics(model)
    if metrics is None:
        return None  # compiled metrics this module does not reproduce
    loss = model.loss
    if not isinstance(loss, keras.losses.Loss | str):
        return None
    optimizer = model.optimizer
    if not isinstance(optimizer._learning_rate, keras.Variable):
        return None
    if optimizer.clipnorm or optimizer.global_clipnorm:
        return None  # a norm over the stacked tensor would mix the networks
    n = len(request.arrays[0])
    n_full, rest = divmod(n, request.batch_size)
    try:
        described = {
            "model": structure,
            "loss": keras.losses.serialize(keras.losses.get(loss)),
            "optimizer": _optimizer_settings(optimizer),
            "metrics": [keras.metrics.serialize(m) for m in metrics],
            "steps": [n_full, rest > 0],
            "batch": request.batch_size,
            "dtype": [str(v.dtype) for v in model.trainable_variables],
            "arrays": [(a.shape[1:], str(a.dtype)) for a in request.arrays],
            "shuffle": request.shuffle,
        }
        return json.dumps(described, sort_keys=True, default=str)
    except Exception:  # an object without a config
        return None


def _optimizer_settings(optimizer):
    """The optimizer's class and settings, without the learning rate where the
    stacked trainer gives each network its own."""
    described = keras.optimizers.serialize(optimizer)
    if not optimizer.weight_decay:
        described["config"].pop("learning_rate", None)
    return described


__all__ = ["dense_layers", "mean_metrics", "tf_group_key"]

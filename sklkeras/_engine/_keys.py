"""Which networks can train as one program: keys equal for networks that compute
the same function of their variables (``structure_key``) and, on top, train with
the same loss, metrics, optimizer settings, batch size and data shapes
(``group_key``, JAX; ``_fused_tf_key.tf_group_key``, TensorFlow). Also the key of the
shared prediction function (``_prediction.py``).

Keys are JSON of the Keras configs, less what differs between otherwise equal
networks (names, seeds) and what is state or an argument of the compiled step
(learning rates, L2 factors).
"""

from __future__ import annotations

import json

import keras

from .._utils import tensorflow_unimported_for_configs

# Keys dropped from configs when comparing networks: names and seeds differ
# between otherwise equal networks, and these values are state or arguments.
_VARYING_KEYS = {"name", "seed", "learning_rate", "l2"}
# Keras's own model classes (a subclass could override train_step or call).
_TRAINERS = {"Sequential", "Functional"}


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in _VARYING_KEYS}
    if isinstance(value, list | tuple):
        return [_strip(v) for v in value]
    return value


def _from_keras_or_sklkeras(obj) -> bool:
    if isinstance(obj, str):  # a name Keras resolves to its own object
        return True
    module = getattr(type(obj), "__module__", "") or ""
    if callable(obj) and not isinstance(obj, keras.losses.Loss | keras.metrics.Metric):
        module = getattr(obj, "__module__", module) or ""
    return module.startswith(("keras.", "sklkeras."))


def structure_key(model) -> str | None:
    """A string equal for networks that compute the same function of their
    variables (None: not known). Only Keras's own model classes and layers (and
    sklkeras's) qualify: their configs describe them fully, where a user's
    subclass could hold constants a config does not show."""
    if type(model).__name__ not in _TRAINERS or not type(model).__module__.startswith(
        "keras."
    ):
        return None
    layers = model._flatten_layers(include_self=False)
    if not all(_from_keras_or_sklkeras(layer) for layer in layers):
        return None
    try:
        with tensorflow_unimported_for_configs():
            config = _strip(model.get_config())
        return json.dumps(config, sort_keys=True, default=str)
    except Exception:  # an object without a config
        return None


def group_key(model, request) -> str | None:
    """A string equal for networks that can train in one program (None: alone).

    On top of ``structure_key``: the same loss and metrics (Keras's or sklkeras's
    own), optimizer settings other than the rate, batch size, data shapes.
    """
    if request.verbose:  # a progress bar per network: train it alone
        return None
    structure = structure_key(model)
    if structure is None or not model.compiled:
        return None
    loss = getattr(model, "loss", None)
    losses = loss if isinstance(loss, list | tuple) else [loss]
    if not all(_from_keras_or_sklkeras(item) for item in losses if item is not None):
        return None
    if not isinstance(model.optimizer, keras.optimizers.Optimizer):
        return None
    if not isinstance(model.optimizer._learning_rate, keras.Variable):
        return None  # a schedule object: not state
    try:
        with tensorflow_unimported_for_configs():
            compile_config = _strip(model.get_compile_config())
        described = {
            "model": structure,
            "compile": compile_config,
            "optimizer": type(model.optimizer).__name__,
            "metrics": [type(m).__name__ for m in model.metrics],
            "batch": request.batch_size,
            "arrays": [(a.shape[1:], str(a.dtype)) for a in request.arrays],
            "validation": request.val_arrays is not None,
            "shuffle": request.shuffle,
        }
        return json.dumps(described, sort_keys=True, default=str)
    except Exception:  # an object without a config: train it alone
        return None

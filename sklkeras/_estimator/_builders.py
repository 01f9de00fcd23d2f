"""Pure functions that turn hyperparameters into Keras models and optimizers.

No scikit-learn here: each builder takes sizes and hyperparameters and returns an
uncompiled ``keras.Model``. Estimators translate their parameters into these calls.
This module holds what every builder shares (seeds, initializers, optimizers, the
per-layer values, the dense head) and the MLP; ``_builders_cnn`` and
``_builders_sequence`` build the convolutional and the sequence networks.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

from .._utils import ExactL2

OPTIMIZERS = {
    "sgd": "SGD",
    "adam": "Adam",
    "adamw": "AdamW",
    "rmsprop": "RMSprop",
    "adagrad": "Adagrad",
    "adadelta": "Adadelta",
    "adamax": "Adamax",
    "nadam": "Nadam",
    "ftrl": "Ftrl",
    "lion": "Lion",
}


def layer_seeds(seed: int | None, n: int) -> list[int | None]:
    """``n`` independent seeds for layers, derived from one seed (or all None)."""
    if seed is None:
        return [None] * n
    return [int(s) for s in np.random.default_rng(seed).integers(1, 2**31 - 1, n)]


def make_initializer(name, seed: int | None):
    """A Keras initializer from a name (or a ready initializer), seeded."""
    if isinstance(name, keras.initializers.Initializer):
        config = name.get_config()
        if "seed" in config and seed is not None:
            config["seed"] = seed
        return name.__class__.from_config(config)
    initializer = keras.initializers.get(name)
    config = initializer.get_config()
    if "seed" in config:
        config["seed"] = seed
    return initializer.__class__.from_config(config)


def make_optimizer(optimizer, learning_rate: float | None = None):
    """A fresh Keras optimizer from a name or from a template optimizer.

    A given optimizer object is copied through its config, so the caller's object is
    never trained or shared between fits.
    """
    if isinstance(optimizer, str):
        cls = getattr(keras.optimizers, OPTIMIZERS[optimizer.lower()])
        return cls() if learning_rate is None else cls(learning_rate=learning_rate)
    config = optimizer.get_config()
    if learning_rate is not None and not isinstance(config.get("learning_rate"), dict):
        config["learning_rate"] = learning_rate
    return optimizer.__class__.from_config(config)


def per_layer(value, n: int, name: str, what: str = "hidden layers") -> tuple:
    """One value for each of ``n`` layers (or blocks): a scalar repeated, or checked."""
    if np.ndim(value) == 0:
        return (value,) * n
    values = tuple(value)
    if len(values) != n:
        raise ValueError(
            f"{name} has {len(values)} entries but there are {n} {what}; give one "
            "value or one per layer."
        )
    return values


def build_mlp(
    n_features_in: int,
    n_outputs: int,
    *,
    hidden_layer_sizes: Sequence[int] = (100,),
    activation="relu",
    output_activation: str | None = None,
    alpha: float = 0.0,
    dropout: float | Sequence[float] = 0.0,
    input_dropout: float = 0.0,
    kernel_initializer="glorot_uniform",
    kernel_constraint=None,
    dtype: str | None = None,
    seed: int | None = None,
    name: str = "mlp",
) -> keras.Model:
    """A fully connected network: Input -> [Dropout] -> [Dense -> Dropout] * k -> Dense.

    Parameters
    ----------
    n_features_in : int
        Width of the input rows.
    n_outputs : int
        Units of the output layer.
    hidden_layer_sizes : sequence of int
        Units of each hidden layer, in order.
    activation : str or callable
        Activation of the hidden layers.
    output_activation : str or None
        Activation of the output layer (None: linear).
    alpha : float
        L2 penalty on every kernel: ``alpha * sum(W ** 2)`` (``ExactL2``).
    dropout : float or sequence of float
        Dropout rate after each hidden layer (one value, or one per layer).
    input_dropout : float
        Dropout rate on the input features (the notes' ``Dropout(0.2)`` before the
        first ``Dense``).
    kernel_initializer : str or keras.initializers.Initializer
        Initializer of every kernel.
    kernel_constraint : str, keras.constraints.Constraint or None
        Constraint on every kernel, applied after each optimizer step (the notes
        pair dropout with ``MaxNorm(3)``).
    dtype : str or None
        Float dtype of the weights and computations ("float32", "float64"); None is
        Keras's default. Initial weights are drawn in float32 and cast, so that a
        network starts from the same weights whatever its dtype.
    seed : int or None
        Seed from which every layer's initializer and dropout seed is derived.
    """
    sizes = list(hidden_layer_sizes)
    rates = per_layer(dropout, len(sizes), "dropout")
    seeds = layer_seeds(seed, 2 * len(sizes) + 2)
    regularizer = ExactL2(alpha) if alpha else None
    inputs = keras.Input(shape=(n_features_in,), name="features", dtype=dtype)
    x = inputs
    if input_dropout:
        x = keras.layers.Dropout(
            input_dropout, seed=seeds[-1], name="input_dropout", dtype=dtype
        )(x)
    initializers = []
    for i, (units, rate) in enumerate(zip(sizes, rates, strict=True)):
        initializers.append(make_initializer(kernel_initializer, seeds[2 * i]))
        x = keras.layers.Dense(
            units,
            activation=activation,
            kernel_initializer=initializers[-1],
            kernel_regularizer=regularizer,
            kernel_constraint=keras.constraints.get(kernel_constraint),
            dtype=dtype,
            name=f"dense_{i}",
        )(x)
        if rate:
            x = keras.layers.Dropout(
                rate, seed=seeds[2 * i + 1], name=f"dropout_{i}", dtype=dtype
            )(x)
    initializers.append(make_initializer(kernel_initializer, seeds[2 * len(sizes)]))
    outputs = keras.layers.Dense(
        n_outputs,
        activation=output_activation,
        kernel_initializer=initializers[-1],
        kernel_regularizer=regularizer,
        kernel_constraint=keras.constraints.get(kernel_constraint),
        dtype=dtype,
        name="output",
    )(x)
    model = keras.Model(inputs, outputs, name=name)
    if dtype is not None and np.dtype(dtype) != np.float32:
        # Same starting point as a float32 network of the same seed (scikit-learn
        # draws its initial weights once and casts them to X's dtype too).
        dense = [
            layer for layer in model.layers if isinstance(layer, keras.layers.Dense)
        ]
        for layer, init in zip(dense, initializers, strict=True):
            values = init(tuple(layer.kernel.shape), dtype="float32")
            layer.kernel.assign(keras.ops.cast(values, dtype))
    return model


def dense_head(
    x,
    dense_units: Sequence[int],
    n_outputs: int,
    seeds,
    *,
    activation,
    output_activation,
    kernel_initializer="glorot_uniform",
    regularizer=None,
    dropout: float = 0.0,
):
    """Dense layers ``dense_{i}`` [-> Dropout ``dense_drop_{i}``] -> Dense ``output``.

    ``seeds`` is an iterator of layer seeds, read in layer order: each Dense's
    initializer, then its Dropout's seed. The output layer has no regularizer.
    """
    for i, units in enumerate(dense_units):
        x = keras.layers.Dense(
            units,
            activation=activation,
            kernel_initializer=make_initializer(kernel_initializer, next(seeds)),
            kernel_regularizer=regularizer,
            name=f"dense_{i}",
        )(x)
        if dropout:
            x = keras.layers.Dropout(dropout, seed=next(seeds), name=f"dense_drop_{i}")(
                x
            )
    return keras.layers.Dense(
        n_outputs,
        activation=output_activation,
        kernel_initializer=make_initializer(kernel_initializer, next(seeds)),
        name="output",
    )(x)

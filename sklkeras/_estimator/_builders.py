"""Pure functions that turn hyperparameters into Keras models and optimizers.

No scikit-learn here: each builder takes sizes and hyperparameters and returns an
uncompiled ``keras.Model``. Estimators translate their parameters into these calls.
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


AUGMENTATIONS = ("rotation", "translation", "zoom", "flip", "contrast")


def augmentation_layers(augmentation: dict, seed: int | None) -> list:
    """Keras random preprocessing layers for ``augmentation`` (training only).

    Keys: ``rotation`` (fraction of a full turn), ``translation`` and ``zoom``
    (fraction of the size), ``flip`` ("horizontal", "vertical" or
    "horizontal_and_vertical"), ``contrast`` (factor). Keras runs these layers only
    when ``training=True``, so prediction is never augmented.
    """
    seeds = layer_seeds(seed, len(AUGMENTATIONS))
    layers = []
    for (key, value), s in zip(sorted(augmentation.items()), seeds, strict=False):
        if key == "rotation":
            layers.append(
                keras.layers.RandomRotation(value, seed=s, name="aug_rotation")
            )
        elif key == "translation":
            layers.append(
                keras.layers.RandomTranslation(
                    value, value, seed=s, name="aug_translation"
                )
            )
        elif key == "zoom":
            layers.append(keras.layers.RandomZoom(value, seed=s, name="aug_zoom"))
        elif key == "flip":
            layers.append(keras.layers.RandomFlip(value, seed=s, name="aug_flip"))
        elif key == "contrast":
            layers.append(
                keras.layers.RandomContrast(value, seed=s, name="aug_contrast")
            )
    return layers


def build_cnn(
    input_shape: tuple[int, int, int],
    n_outputs: int,
    *,
    filters: Sequence[int] = (32, 64),
    kernel_size: Sequence[int] = (3, 3),
    convs_per_block: int = 1,
    pool_size: int = 2,
    pooling: str = "max",
    block_dropout: Sequence[float] = (0.0, 0.0),
    batch_normalization: bool = False,
    global_pooling: str | None = None,
    dense_units: Sequence[int] = (128,),
    dropout: float = 0.0,
    activation="relu",
    output_activation: str | None = "softmax",
    alpha: float = 0.0,
    kernel_initializer="glorot_uniform",
    rescale: float | None = None,
    normalization: tuple | None = None,
    augmentation: dict | None = None,
    seed: int | None = None,
    name: str = "cnn",
) -> keras.Model:
    """A convolutional classifier network.

    Input -> [Rescaling] -> [augmentation] -> [Normalization] -> conv blocks ->
    Flatten or global pooling -> dense head -> output. Each block is
    ``convs_per_block`` x (Conv2D [-> BatchNormalization] -> activation), then
    pooling (skipped where the feature map is already smaller than ``pool_size``),
    then dropout.

    ``kernel_size`` and ``block_dropout`` hold one value per block; ``normalization``
    is a ``(mean, variance)`` pair per channel learned from the training data.
    """
    n_blocks = len(filters)
    seeds = iter(layer_seeds(seed, 4 * n_blocks * (convs_per_block + 1) + 8))
    regularizer = keras.regularizers.L2(alpha) if alpha else None
    inputs = keras.Input(shape=tuple(input_shape), name="images")
    x = inputs
    if rescale is not None:
        x = keras.layers.Rescaling(rescale, name="rescale")(x)
    for layer in augmentation_layers(augmentation or {}, next(seeds)):
        x = layer(x)
    if normalization is not None:
        mean, variance = normalization
        x = keras.layers.Normalization(
            axis=-1, mean=mean, variance=variance, name="standardize"
        )(x)
    pool_cls = {"max": keras.layers.MaxPooling2D, "avg": keras.layers.AveragePooling2D}
    for b in range(n_blocks):
        for c in range(convs_per_block):
            x = keras.layers.Conv2D(
                filters[b],
                kernel_size[b],
                padding="same",
                use_bias=not batch_normalization,
                kernel_initializer=make_initializer(kernel_initializer, next(seeds)),
                kernel_regularizer=regularizer,
                name=f"conv_{b}_{c}",
            )(x)
            if batch_normalization:
                x = keras.layers.BatchNormalization(name=f"bn_{b}_{c}")(x)
            x = keras.layers.Activation(activation, name=f"act_{b}_{c}")(x)
        if pooling is not None and min(x.shape[1], x.shape[2]) >= pool_size:
            x = pool_cls[pooling](pool_size, name=f"pool_{b}")(x)
        if block_dropout[b]:
            x = keras.layers.Dropout(
                block_dropout[b], seed=next(seeds), name=f"drop_{b}"
            )(x)
    if global_pooling == "avg":
        x = keras.layers.GlobalAveragePooling2D(name="global_pool")(x)
    elif global_pooling == "max":
        x = keras.layers.GlobalMaxPooling2D(name="global_pool")(x)
    else:
        x = keras.layers.Flatten(name="flatten")(x)
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
    outputs = keras.layers.Dense(
        n_outputs,
        activation=output_activation,
        kernel_initializer=make_initializer(kernel_initializer, next(seeds)),
        name="output",
    )(x)
    return keras.Model(inputs, outputs, name=name)


RECURRENT = {"lstm": "LSTM", "gru": "GRU", "simple_rnn": "SimpleRNN"}
SEQUENCE_LAYERS = (*RECURRENT, "conv1d", "mlp")


def build_sequence(
    input_shape: tuple[int, ...],
    n_outputs: int,
    *,
    layer: str = "lstm",
    units: Sequence[int] = (64,),
    bidirectional: bool = False,
    vocabulary_size: int | None = None,
    embedding_dim: int = 32,
    mask_zero: bool = True,
    dropout: float = 0.0,
    recurrent_dropout: float = 0.0,
    kernel_size: int = 3,
    pool_size: int = 2,
    global_pooling: str | None = "max",
    dense_units: Sequence[int] = (),
    activation: str = "relu",
    output_activation: str | None = "softmax",
    batch_size: int | None = None,
    stateful: bool = False,
    seed: int | None = None,
    name: str = "sequence",
) -> keras.Model:
    """A network for sequences: [Embedding] -> recurrent / conv / flat body -> head.

    ``vocabulary_size`` set means token-id input of shape (timesteps,) with an
    Embedding first; otherwise numeric input (timesteps, features). ``layer`` is
    "lstm", "gru", "simple_rnn" (stacked, every layer but the last returning
    sequences), "conv1d" (Conv1D + MaxPooling1D per entry of ``units``, then global
    pooling or Flatten) or "mlp" (Flatten -> Dense, the book's bag of embeddings).
    ``stateful`` fixes the batch size in the input and keeps recurrent state across
    batches.
    """
    seeds = iter(layer_seeds(seed, 4 * len(units) + len(dense_units) + 4))
    if stateful:
        inputs = keras.Input(batch_shape=(batch_size, *input_shape), name="sequences")
    else:
        inputs = keras.Input(shape=tuple(input_shape), name="sequences")
    x = inputs
    if vocabulary_size is not None:
        x = keras.layers.Embedding(
            vocabulary_size,
            embedding_dim,
            mask_zero=mask_zero and layer in RECURRENT,
            embeddings_initializer=make_initializer("uniform", next(seeds)),
            name="embedding",
        )(x)
    if layer in RECURRENT:
        cls = getattr(keras.layers, RECURRENT[layer])
        for i, n_units in enumerate(units):
            rnn = cls(
                n_units,
                return_sequences=i < len(units) - 1,
                dropout=dropout,
                recurrent_dropout=recurrent_dropout,
                stateful=stateful,
                seed=next(seeds),
                kernel_initializer=make_initializer("glorot_uniform", next(seeds)),
                name=f"{layer}_{i}",
            )
            x = (
                keras.layers.Bidirectional(rnn, name=f"bi_{layer}_{i}")
                if bidirectional
                else rnn
            )(x)
    elif layer == "conv1d":
        for i, n_filters in enumerate(units):
            x = keras.layers.Conv1D(
                n_filters,
                kernel_size,
                padding="same",
                activation=activation,
                kernel_initializer=make_initializer("glorot_uniform", next(seeds)),
                name=f"conv1d_{i}",
            )(x)
            if x.shape[1] is not None and x.shape[1] >= pool_size:
                x = keras.layers.MaxPooling1D(pool_size, name=f"pool_{i}")(x)
            if dropout:
                x = keras.layers.Dropout(dropout, seed=next(seeds), name=f"drop_{i}")(x)
        if global_pooling == "avg":
            x = keras.layers.GlobalAveragePooling1D(name="global_pool")(x)
        elif global_pooling == "max":
            x = keras.layers.GlobalMaxPooling1D(name="global_pool")(x)
        else:
            x = keras.layers.Flatten(name="flatten")(x)
    else:  # "mlp"
        x = keras.layers.Flatten(name="flatten")(x)
        for i, n_units in enumerate(units):
            x = keras.layers.Dense(
                n_units,
                activation=activation,
                kernel_initializer=make_initializer("glorot_uniform", next(seeds)),
                name=f"dense_body_{i}",
            )(x)
            if dropout:
                x = keras.layers.Dropout(dropout, seed=next(seeds), name=f"drop_{i}")(x)
    for i, n_units in enumerate(dense_units):
        x = keras.layers.Dense(
            n_units,
            activation=activation,
            kernel_initializer=make_initializer("glorot_uniform", next(seeds)),
            name=f"dense_{i}",
        )(x)
    outputs = keras.layers.Dense(
        n_outputs,
        activation=output_activation,
        kernel_initializer=make_initializer("glorot_uniform", next(seeds)),
        name="output",
    )(x)
    return keras.Model(inputs, outputs, name=name)

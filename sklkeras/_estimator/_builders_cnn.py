"""The convolutional network of CNNClassifier, and its augmentation layers.

Input -> [Rescaling] -> [augmentation] -> [Normalization] -> conv blocks ->
Flatten or global pooling -> dense head -> output. No scikit-learn here.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras

from ._builders import dense_head, layer_seeds, make_initializer

AUGMENTATIONS = ("rotation", "translation", "zoom", "flip", "contrast")

_POOLING = {"max": keras.layers.MaxPooling2D, "avg": keras.layers.AveragePooling2D}
_GLOBAL_POOLING = {
    "avg": keras.layers.GlobalAveragePooling2D,
    "max": keras.layers.GlobalMaxPooling2D,
}


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


def _preprocessing(x, seeds, *, rescale, augmentation, normalization):
    """[Rescaling] -> [augmentation] -> [Normalization]; takes one seed (always)."""
    if rescale is not None:
        x = keras.layers.Rescaling(rescale, name="rescale")(x)
    for layer in augmentation_layers(augmentation or {}, next(seeds)):
        x = layer(x)
    if normalization is not None:
        mean, variance = normalization
        x = keras.layers.Normalization(
            axis=-1, mean=mean, variance=variance, name="standardize"
        )(x)
    return x


def _conv_block(
    x,
    b: int,
    seeds,
    *,
    filters: int,
    kernel_size: int,
    convs_per_block: int,
    pool_size: int,
    pooling: str | None,
    dropout: float,
    batch_normalization: bool,
    activation,
    kernel_initializer,
    regularizer,
):
    """Block ``b``: ``convs_per_block`` x (Conv2D [-> BatchNormalization] ->
    activation) -> pooling (where the map is at least ``pool_size``) -> [Dropout]."""
    for c in range(convs_per_block):
        x = keras.layers.Conv2D(
            filters,
            kernel_size,
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
        x = _POOLING[pooling](pool_size, name=f"pool_{b}")(x)
    if dropout:
        x = keras.layers.Dropout(dropout, seed=next(seeds), name=f"drop_{b}")(x)
    return x


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
    x = _preprocessing(
        inputs,
        seeds,
        rescale=rescale,
        augmentation=augmentation,
        normalization=normalization,
    )
    for b in range(n_blocks):
        x = _conv_block(
            x,
            b,
            seeds,
            filters=filters[b],
            kernel_size=kernel_size[b],
            convs_per_block=convs_per_block,
            pool_size=pool_size,
            pooling=pooling,
            dropout=block_dropout[b],
            batch_normalization=batch_normalization,
            activation=activation,
            kernel_initializer=kernel_initializer,
            regularizer=regularizer,
        )
    if global_pooling in _GLOBAL_POOLING:
        x = _GLOBAL_POOLING[global_pooling](name="global_pool")(x)
    else:
        x = keras.layers.Flatten(name="flatten")(x)
    outputs = dense_head(
        x,
        dense_units,
        n_outputs,
        seeds,
        activation=activation,
        output_activation=output_activation,
        kernel_initializer=kernel_initializer,
        regularizer=regularizer,
        dropout=dropout,
    )
    return keras.Model(inputs, outputs, name=name)

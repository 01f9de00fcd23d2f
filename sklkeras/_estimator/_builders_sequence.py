"""The sequence network of SequenceClassifier and SequenceRegressor.

[Embedding] -> recurrent, convolutional or flat body -> dense head -> output.
No scikit-learn here.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras

from ._builders import dense_head, layer_seeds, make_initializer

RECURRENT = {"lstm": "LSTM", "gru": "GRU", "simple_rnn": "SimpleRNN"}
SEQUENCE_LAYERS = (*RECURRENT, "conv1d", "mlp")

_GLOBAL_POOLING = {
    "avg": keras.layers.GlobalAveragePooling1D,
    "max": keras.layers.GlobalMaxPooling1D,
}


def _recurrent_body(
    x, seeds, *, layer, units, bidirectional, dropout, recurrent_dropout, stateful
):
    """Stacked ``layer`` cells, every one but the last returning sequences."""
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
    return x


def _conv1d_body(
    x, seeds, *, units, kernel_size, pool_size, dropout, activation, global_pooling
):
    """Conv1D [-> MaxPooling1D] [-> Dropout] per entry of ``units``, then global
    pooling or Flatten."""
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
    if global_pooling in _GLOBAL_POOLING:
        return _GLOBAL_POOLING[global_pooling](name="global_pool")(x)
    return keras.layers.Flatten(name="flatten")(x)


def _mlp_body(x, seeds, *, units, dropout, activation):
    """Flatten -> (Dense [-> Dropout]) per entry of ``units``: a bag of embeddings."""
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
    return x


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
        x = _recurrent_body(
            x,
            seeds,
            layer=layer,
            units=units,
            bidirectional=bidirectional,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            stateful=stateful,
        )
    elif layer == "conv1d":
        x = _conv1d_body(
            x,
            seeds,
            units=units,
            kernel_size=kernel_size,
            pool_size=pool_size,
            dropout=dropout,
            activation=activation,
            global_pooling=global_pooling,
        )
    else:  # "mlp"
        x = _mlp_body(x, seeds, units=units, dropout=dropout, activation=activation)
    outputs = dense_head(
        x,
        dense_units,
        n_outputs,
        seeds,
        activation=activation,
        output_activation=output_activation,
    )
    return keras.Model(inputs, outputs, name=name)

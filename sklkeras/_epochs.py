"""The row order of each epoch, and resetting recurrent state between epochs:
shared by every training loop (TensorFlow's, JAX's, the fused one)."""

from __future__ import annotations

import keras
import numpy as np


def epoch_order(rng, n: int, seed, epoch: int, shuffle: bool) -> np.ndarray:
    """The row order of one epoch.

    Seeded runs draw it from (seed, epoch) alone, not from a generator running
    since the fit started, so a run resumed at epoch k from a checkpoint (or a
    warm start) shuffles exactly as the uninterrupted run did.
    """
    if not shuffle:
        return np.arange(n)
    if seed is None:
        return rng.permutation(n)
    return np.random.default_rng([int(seed), int(epoch)]).permutation(n)


class ResetStatesEachEpoch(keras.callbacks.Callback):
    """Reset the state of stateful recurrent layers at the start of every epoch."""

    def on_epoch_begin(self, epoch, logs=None):
        reset_states(self.model)


def reset_states(model) -> None:
    for layer in model.layers:
        for inner in (
            layer,
            getattr(layer, "forward_layer", None),
            getattr(layer, "backward_layer", None),
        ):
            if inner is not None and getattr(inner, "stateful", False):
                inner.reset_states()

"""What every training loop (TensorFlow's, JAX's, the fused ones) shares: the row
order of each epoch, the callbacks of a run, the padded stacks of the fused
networks' data, and resetting recurrent state between epochs."""

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


def callback_list(model, callbacks, *, epochs: int, steps: int, verbose=0):
    """The run's ``CallbackList`` as ``Model.fit`` builds it: a History, and a
    progress bar when ``verbose``."""
    return keras.callbacks.CallbackList(
        list(callbacks),
        add_history=True,
        add_progbar=verbose != 0,
        verbose=verbose,
        epochs=epochs,
        steps=steps,
        model=model,
    )


def stack_padded(arrays, n_max: int, dtype=None) -> np.ndarray:
    """Per-network arrays padded to ``n_max`` rows and stacked on a new first axis."""
    out = np.zeros((len(arrays), n_max) + arrays[0].shape[1:], dtype or arrays[0].dtype)
    for k, a in enumerate(arrays):
        out[k, : len(a)] = a
    return out


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

"""What every training loop (TensorFlow's, JAX's, the fused ones) shares: the row
order of each epoch, the callbacks of a run, the epoch-and-callback driver of the
single-network loops (``run_epochs``), the padded stacks of the fused networks'
data, and resetting recurrent state between epochs."""

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


def epoch_orders(request):
    """``epoch -> row order`` for ``request`` (a ``TrainingRequest``)."""
    rng = np.random.default_rng(request.seed)
    n = request.n_samples
    return lambda epoch: epoch_order(rng, n, request.seed, epoch, request.shuffle)


def run_epochs(request, *, steps: int, train_epoch, validate=None):
    """Drive one network's run epoch by epoch, as ``Model.fit`` does.

    ``train_epoch(epoch)`` trains one epoch (all its steps, as one compiled call)
    and returns the epoch's metric values; ``validate()``, when given, returns the
    validation metrics (keys without the ``val_`` prefix). Around them this is
    Keras's loop: a ``CallbackList`` with history and progress bar,
    ``on_epoch_begin`` / ``on_epoch_end`` with the epoch's logs, ``stop_training``,
    the optimizer's final variable values (EMA), ``on_train_end``. Batch-level
    callbacks are called once per epoch, as Keras does when
    ``steps_per_execution`` equals the steps of an epoch. Returns the History.
    """
    model = request.model
    cbks = callback_list(
        model,
        request.callbacks,
        epochs=request.epochs,
        steps=steps,
        verbose=request.verbose,
    )
    model.stop_training = False
    cbks.on_train_begin()
    logs = {}
    for epoch in range(request.initial_epoch, request.epochs):
        model.reset_metrics()
        cbks.on_epoch_begin(epoch)
        cbks.on_train_batch_begin(0)
        logs = train_epoch(epoch)
        cbks.on_train_batch_end(steps - 1, logs)
        if validate is not None:
            model.reset_metrics()
            logs.update({f"val_{k}": v for k, v in validate().items()})
        cbks.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    if isinstance(model.optimizer, keras.optimizers.Optimizer) and request.epochs > 0:
        model.optimizer.finalize_variable_values(model.trainable_weights)
    cbks.on_train_end(logs)
    return model.history


def metric_values(model) -> dict:
    """The model's current metric results as floats (an epoch's logs)."""
    return {
        name: float(np.asarray(value))
        for name, value in model.get_metrics_result().items()
    }


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

"""The epoch loop on the JAX backend: one compiled call per epoch.

Keras's ``Model.fit`` on JAX dispatches every ``steps_per_execution`` batches from
Python through its data adapter; on small networks that dispatch is the cost. Here
an epoch is one ``jax.jit`` of a ``lax.scan`` over the epoch's full batches, each
step being the model's own stateless ``train_step`` (forward pass, compiled loss
with regularisation and sample weights, gradient, ``optimizer.stateless_apply``,
metrics), then one more compiled step for a last, shorter batch. The batches are
Keras's: rows ``order[i * batch_size : (i + 1) * batch_size]``, the last one holding
what is left, so each step's loss is the one ``Model.fit`` computes on that batch.

Around each epoch the loop is the same as the TensorFlow one (``_tf_loop.py``):
the model's variables are read before the epoch and written back after it, so
per-epoch callbacks (stopping rule, learning-rate rules, checkpoints, the user's)
see and change the model as in ``Model.fit``; batch-level callbacks are called once
per epoch. Runs with validation data go through the fused loop with one network
(``_fused.py``); runs this loop cannot honour exactly (a distribution,
``run_eagerly``, ``jit_compile=False``, a model with several inputs or outputs) go
through ``Model.fit``.

jax is imported lazily: nothing here runs on other backends.
"""

from __future__ import annotations

import weakref

import keras
import numpy as np

from ._epochs import callback_list

# XLA's CPU backend at LLVM optimisation level 1 instead of 3: the training step of
# a small network is dispatch-bound, so its code runs as fast (per-epoch times and
# results equal in benchmarks/bench.py W1/W6) and compiles in less time.
COMPILER_OPTIONS = {"xla_backend_optimization_level": 1}

# model -> {structure key: (jitted epoch of full batches, jitted single step)}.
_EPOCH_FUNCTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def can_use_jax_loop(model, val_arrays, distributed: bool) -> bool:
    """Whether ``fit_jax_arrays`` trains ``model`` exactly as ``Model.fit`` would."""
    if keras.backend.backend() != "jax" or distributed or val_arrays is not None:
        return False
    if model.run_eagerly or not hasattr(model, "_symbolic_build"):
        return False
    if not model.jit_compile:  # compile(jit_compile=False): the steps may not trace
        return False
    if keras.distribution.distribution() is not None:
        return False
    return len(model.inputs or ()) == 1 and len(model.outputs or ()) == 1


def _state(model):
    return (
        [v.value for v in model.trainable_variables],
        [v.value for v in model.non_trainable_variables],
        [v.value for v in model.optimizer.variables],
        [v.value for v in model.metrics_variables],
    )


def _assign_state(model, state) -> None:
    groups = (
        model.trainable_variables,
        model.non_trainable_variables,
        model.optimizer.variables,
        model.metrics_variables,
    )
    for variables, values in zip(groups, state, strict=True):
        for variable, value in zip(variables, values, strict=True):
            variable.assign(value)


def _functions(model, weighted: bool):
    import jax

    key = (id(model.optimizer), weighted)
    cache = _EPOCH_FUNCTIONS.setdefault(model, {})
    if key in cache:
        return cache[key]
    ref = weakref.ref(model)  # the functions must not keep the model alive

    def step(state, tensors, idx):
        batch = tuple(t[idx] for t in tensors)
        _, state = ref().train_step(state, batch)
        return state

    def epoch(state, tensors, batches):
        def body(carry, idx):
            return step(carry, tensors, idx), None

        state, _ = jax.lax.scan(body, state, batches)
        return state

    cache[key] = (
        jax.jit(epoch, compiler_options=COMPILER_OPTIONS),
        jax.jit(step, compiler_options=COMPILER_OPTIONS),
    )
    return cache[key]


def fit_jax_arrays(
    model,
    arrays,
    *,
    batch_size: int,
    epochs: int,
    initial_epoch: int,
    callbacks,
    verbose,
    epoch_order,
):
    """Train ``model`` on dense ``arrays`` = [X, y(, sample_weight)].

    ``epoch_order(epoch)`` gives each epoch's row order (``_epochs.epoch_order``).
    Returns the ``keras.callbacks.History`` of the run, as ``Model.fit`` does.
    """
    import jax.numpy as jnp

    n = arrays[0].shape[0]
    tensors = tuple(jnp.asarray(a) for a in arrays)
    model._symbolic_build(data_batch=tuple(a[:batch_size] for a in arrays))
    epoch_fn, step_fn = _functions(model, weighted=len(arrays) == 3)
    n_full, rest = divmod(n, batch_size)
    steps = n_full + (rest > 0)
    cbks = callback_list(model, callbacks, epochs=epochs, steps=steps, verbose=verbose)
    model.stop_training = False
    cbks.on_train_begin()
    logs = {}
    for epoch in range(initial_epoch, epochs):
        model.reset_metrics()
        cbks.on_epoch_begin(epoch)
        cbks.on_train_batch_begin(0)
        order = np.asarray(epoch_order(epoch), dtype=np.int32)
        state = _state(model)
        if n_full:
            batches = jnp.asarray(order[: n_full * batch_size].reshape(n_full, -1))
            state = epoch_fn(state, tensors, batches)
        if rest:
            state = step_fn(state, tensors, jnp.asarray(order[n_full * batch_size :]))
        _assign_state(model, state)
        logs = {
            name: float(np.asarray(value))
            for name, value in model.get_metrics_result().items()
        }
        cbks.on_train_batch_end(steps - 1, logs)
        cbks.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    if isinstance(model.optimizer, keras.optimizers.Optimizer) and epochs > 0:
        model.optimizer.finalize_variable_values(model.trainable_weights)
    cbks.on_train_end(logs)
    return model.history

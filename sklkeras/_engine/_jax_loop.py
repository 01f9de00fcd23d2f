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

from .._utils import use_jax_compilation_cache
from ._epochs import epoch_orders, metric_values, run_epochs

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


def read_state(model):
    """The model's variables as the stateless ``train_step`` takes them."""
    return (
        [v.value for v in model.trainable_variables],
        [v.value for v in model.non_trainable_variables],
        [v.value for v in model.optimizer.variables],
        [v.value for v in model.metrics_variables],
    )


def assign_state(model, state) -> None:
    """Write a ``read_state``-shaped state back into the model's variables."""
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

    use_jax_compilation_cache()
    cache[key] = (
        jax.jit(epoch, compiler_options=COMPILER_OPTIONS),
        jax.jit(step, compiler_options=COMPILER_OPTIONS),
    )
    return cache[key]


def fit_jax_arrays(request):
    """Train ``request`` (a ``TrainingRequest`` with dense arrays) through the
    jitted epoch; returns the History of the run, as ``Model.fit`` does."""
    import jax.numpy as jnp

    model, arrays, batch_size = request.model, request.arrays, request.batch_size
    tensors = tuple(jnp.asarray(a) for a in arrays)
    model._symbolic_build(data_batch=tuple(a[:batch_size] for a in arrays))
    epoch_fn, step_fn = _functions(model, weighted=request.weighted)
    n_full, rest = divmod(request.n_samples, batch_size)
    orders = epoch_orders(request)

    def run(epoch):
        order = np.asarray(orders(epoch), dtype=np.int32)
        state = read_state(model)
        if n_full:
            batches = jnp.asarray(order[: n_full * batch_size].reshape(n_full, -1))
            state = epoch_fn(state, tensors, batches)
        if rest:
            state = step_fn(state, tensors, jnp.asarray(order[n_full * batch_size :]))
        assign_state(model, state)
        return metric_values(model)

    return run_epochs(request, steps=n_full + (rest > 0), train_epoch=run)

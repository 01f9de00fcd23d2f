"""Prediction over in-memory rows: a compiled forward pass on fixed-size chunks.

The chunk is 64 rows, or the network's own batch size when its input has one
(``Input(batch_shape=(32, ...))``, the notes' stateful LSTM); stateful layers start
every prediction from a fresh state.
"""

from __future__ import annotations

import threading
import weakref

import keras
import numpy as np
import scipy.sparse as sp

from .._engine import reset_states

# model -> compiled inference function (a weak key, so models are freed as usual).
_PREDICT_FUNCTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# Rows per compiled prediction call. Every call sees this one shape, so a row's
# output never depends on how many rows came with it: float32 kernels (oneDNN,
# XLA) pick their blocking by batch shape, which moved results by ~1e-7 between a
# batch and its subsets. One shape also means one compilation on JAX.
PREDICT_CHUNK = 64


def predict_in_memory(model, X) -> np.ndarray:
    """The network's output for in-memory rows, in zero-padded fixed-size chunks.

    ``Model.predict`` builds a data pipeline per call (~60 ms) and an eager call
    costs ~2 ms; on TensorFlow a compiled function, traced once per model, answers
    one row in well under a millisecond. Other backends use ``predict_on_batch``
    (compiled by Keras) on the same chunks.
    """
    n = X.shape[0]
    size = fixed_batch_size(model) or PREDICT_CHUNK
    sparse = sp.issparse(X)  # densified one chunk at a time
    pad = (-n) % size
    if pad and not sparse:
        X = np.concatenate([X, np.zeros((pad, *X.shape[1:]), dtype=X.dtype)])
    stateful = _has_stateful_layers(model)
    call = None
    if keras.backend.backend() == "tensorflow":
        call = _compiled_forward(model, X, size)
    elif keras.backend.backend() == "jax" and not stateful:
        call = _shared_jax_forward(model)
    if stateful:  # every prediction starts from a fresh state
        reset_states(model)
    outs = []
    for i in range(0, n + pad, size):
        chunk = X[i : i + size]
        if sparse:
            chunk = chunk.toarray()
            if len(chunk) < size:
                filler = np.zeros((size - len(chunk), X.shape[1]), X.dtype)
                chunk = np.concatenate([chunk, filler])
        if call is not None:
            outs.append(np.asarray(call(chunk)))
        else:
            outs.append(np.asarray(model.predict_on_batch(chunk)))
    if stateful:
        reset_states(model)
    return np.concatenate(outs)[:n]


def fixed_batch_size(model) -> int | None:
    """The batch size a network's input is built for (``Input(batch_shape=...)``,
    e.g. a stateful LSTM), or None when it takes any number of rows."""
    inputs = getattr(model, "inputs", None)
    if not inputs:
        return None
    size = inputs[0].shape[0]
    return int(size) if size is not None else None


def _has_stateful_layers(model) -> bool:
    return any(
        getattr(inner, "stateful", False)
        for layer in getattr(model, "layers", ())
        for inner in (
            layer,
            getattr(layer, "forward_layer", None),
            getattr(layer, "backward_layer", None),
        )
        if inner is not None
    )


# structure key -> (a network of that structure, its jitted stateless forward pass):
# on JAX every network of one structure shares one compilation (~50 ms each), which
# is most of a cross-validation's scoring time.
_JAX_FORWARD: dict = {}
_JAX_FORWARD_SIZE = 8
_JAX_FORWARD_LOCK = threading.Lock()


def _shared_jax_forward(model):
    """``x -> model(x)`` through a jitted function shared by equal structures
    (None: ``predict_on_batch`` instead)."""
    from .._engine import structure_key

    key = structure_key(model)
    if key is None:
        return None
    with _JAX_FORWARD_LOCK:  # fits may predict from threads (Dask, joblib)
        entry = _JAX_FORWARD.pop(key, None)
        if entry is None:
            import jax

            ref = model

            def forward(trainable, non_trainable, x):
                return ref.stateless_call(trainable, non_trainable, x, training=False)[
                    0
                ]

            entry = (ref, jax.jit(forward))
        _JAX_FORWARD[key] = entry
        while len(_JAX_FORWARD) > _JAX_FORWARD_SIZE:
            _JAX_FORWARD.pop(next(iter(_JAX_FORWARD)))
    trainable = [v.value for v in model.trainable_variables]
    non_trainable = [v.value for v in model.non_trainable_variables]
    return lambda x: entry[1](trainable, non_trainable, x)


def _compiled_forward(model, X, size: int):
    fn = _PREDICT_FUNCTIONS.get(model)
    if fn is None:
        import tensorflow as tf

        ref = weakref.ref(model)  # the function must not keep the model alive
        spec = tf.TensorSpec((size, *X.shape[1:]), tf.as_dtype(X.dtype))
        fn = tf.function(
            lambda x: ref()(x, training=False), input_signature=[spec], autograph=False
        )
        _PREDICT_FUNCTIONS[model] = fn
    return fn

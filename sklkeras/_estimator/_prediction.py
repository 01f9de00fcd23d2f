"""Prediction over in-memory rows: a compiled loop over fixed-size chunks.

Every row goes through the network in a zero-padded chunk of ``PREDICT_CHUNK``
rows (or the network's own batch size when its input has one,
``Input(batch_shape=(32, ...))``, the notes' stateful LSTM). The chunks of a
whole array run inside one compiled program (``tf.map_fn`` in a ``tf.function``
on TensorFlow, ``lax.map`` under ``jax.jit`` on JAX), up to ``GROUP_CHUNKS``
chunks a call, so Python no longer loops over them.

Few rows through a plain chain of Dense layers (the MLPs) take a NumPy pass
instead (``_numpy_forward``). Stateful networks keep the chunk-by-chunk loop, in
order, from a fresh state.

Networks of one structure share one compiled loop, their weights passed as its
arguments (``stateless_call``): one trace serves all the folds of a
cross-validation. Thread safety: ``_LOOP_FUNCTIONS`` and ``_CHUNK_FUNCTIONS``
(model -> its traced TensorFlow function, weak keys, for networks without a
structure key), ``_TF_LOOPS`` and ``_JAX_LOOPS`` (structure -> a shared loop) are
written under ``_LOCK``; fits may predict from threads (Dask, joblib).
A race can only trace the same function twice; the compiled functions themselves
may run concurrently.
"""

from __future__ import annotations

import threading
import weakref

import keras
import numpy as np
import scipy.sparse as sp

from .._engine import reset_states
from .._utils import quiet_tensorflow, use_jax_compilation_cache
from ._numpy_forward import numpy_forward

# Rows per compiled chunk. Every chunk has this one shape, so a row's output never
# depends on how many rows came with it: float32 kernels (oneDNN, XLA) pick their
# blocking by batch shape, which moved results by ~1e-7 between a batch and its
# subsets (measured again for 16 to 16,384 rows: no single size is safe).
PREDICT_CHUNK = 64
# Chunks per compiled call (64 x 256 = 16,384 rows): bounds the padded copy and a
# sparse matrix's densified block. On JAX a shorter last call is padded to a
# power of two of chunks, so one structure compiles at most 9 loop lengths.
GROUP_CHUNKS = 256
_PARALLEL_CHUNKS = 2  # tf.map_fn iterations in flight (measured best on 2 cores)

_LOCK = threading.Lock()
_LOOP_FUNCTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CHUNK_FUNCTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def predict_in_memory(model, X) -> np.ndarray:
    """The network's output for in-memory rows (NumPy pass or compiled chunks).

    ``Model.predict`` builds a data pipeline per call (~60 ms); here one compiled
    call answers up to ``GROUP_CHUNKS`` chunks, traced once per network
    structure (per model for networks without a structure key).
    """
    out = numpy_forward(model, X)
    if out is not None:
        return out
    # Every new model traces its functions once; TensorFlow's log calls that
    # "retracing" after a few models, which is expected here.
    with quiet_tensorflow(0):
        return _compiled_predict(model, X)


def _compiled_predict(model, X) -> np.ndarray:
    size = fixed_batch_size(model) or PREDICT_CHUNK
    loop, bucket = None, False
    if not _has_stateful_layers(model):
        if keras.backend.backend() == "tensorflow":
            loop = _tf_loop(model, X, size)
        elif keras.backend.backend() == "jax":
            loop, bucket = _jax_loop(model), True
    if loop is None:
        return _predict_by_chunks(model, X, size)
    outs = []
    step = size * GROUP_CHUNKS
    for start in range(0, X.shape[0], step):
        block = X[start : start + step]
        if sp.issparse(block):
            block = block.toarray()
        rows = block.shape[0]
        chunks = -(-rows // size)
        if bucket:  # a power of two: few loop lengths to compile
            chunks = 1 << (chunks - 1).bit_length()
        if chunks * size != rows:
            filler = np.zeros((chunks * size - rows, *block.shape[1:]), block.dtype)
            block = np.concatenate([block, filler])
        # Converted after the loop: JAX computes the next call meanwhile.
        outs.append((loop(block.reshape(chunks, size, *block.shape[1:])), rows))
    outs = [np.asarray(out).reshape(-1, *out.shape[2:])[:rows] for out, rows in outs]
    return np.concatenate(outs) if len(outs) != 1 else outs[0]


def _predict_by_chunks(model, X, size: int) -> np.ndarray:
    """Chunk after chunk from Python, in order: stateful networks (their state
    carries from chunk to chunk, reset before and after) and networks no compiled
    loop takes."""
    n = X.shape[0]
    sparse = sp.issparse(X)  # densified one chunk at a time
    pad = (-n) % size
    if pad and not sparse:
        X = np.concatenate([X, np.zeros((pad, *X.shape[1:]), dtype=X.dtype)])
    stateful = _has_stateful_layers(model)
    call = None
    if keras.backend.backend() == "tensorflow":
        call = _compiled_chunk(model, X, size)
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


# structure key -> (a network of that structure, its jitted stateless loop over
# chunks): on JAX every network of one structure shares one compilation (~50 ms
# each), which is most of a cross-validation's scoring time.
_JAX_LOOPS: dict = {}
# (structure key, X's dtype and row shape, chunk size) -> the shared TensorFlow
# loop (False: none for that structure); one trace serves every fold's network.
_TF_LOOPS: dict = {}
_LOOPS_SIZE = 8
# model -> (ids of its trainable variables, structure key): the key is the JSON of
# the model's config (~ms); it changes only with the layers' trainable flags,
# which change the trainable variables.
_STRUCTURE_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cached_structure_key(model, trainable_variables):
    from .._engine import structure_key

    ids = tuple(map(id, trainable_variables))
    cached = _STRUCTURE_KEYS.get(model)
    if cached is None or cached[0] != ids:
        cached = (ids, structure_key(model))
        with _LOCK:
            _STRUCTURE_KEYS[model] = cached
    return cached[1]


def _jax_loop(model):
    """``chunks -> model(chunk) for each`` through a jitted ``lax.map`` shared by
    equal structures (None: chunk by chunk through ``predict_on_batch``)."""
    variables = model.trainable_variables
    key = _cached_structure_key(model, variables)
    if key is None:
        return None
    with _LOCK:
        entry = _JAX_LOOPS.pop(key, None)
        if entry is None:
            import jax

            ref = model

            def loop(trainable, non_trainable, chunks):
                def one(chunk):
                    return ref.stateless_call(
                        trainable, non_trainable, chunk, training=False
                    )[0]

                return jax.lax.map(one, chunks)

            use_jax_compilation_cache()
            entry = (ref, jax.jit(loop))
        _JAX_LOOPS[key] = entry
        while len(_JAX_LOOPS) > _LOOPS_SIZE:
            _JAX_LOOPS.pop(next(iter(_JAX_LOOPS)))
    trainable = [v.value for v in variables]
    non_trainable = [v.value for v in model.non_trainable_variables]
    return lambda chunks: entry[1](trainable, non_trainable, chunks)


def _tf_loop(model, X, size: int):
    """``chunks -> model(chunk) for each`` on TensorFlow, as one ``tf.function``
    of ``tf.map_fn``: shared by the networks of one structure (their weights are
    its arguments, as on JAX), else traced once per model (None: a network whose
    output is not one tensor)."""
    key = _cached_structure_key(model, model.trainable_variables)
    if key is None:
        return _own_tf_loop(model, X, size)
    key = (key, str(X.dtype), X.shape[1:], size)
    with _LOCK:
        entry = _TF_LOOPS.pop(key, None)
    if entry is None:
        entry = _shared_tf_loop(model, X, size)
    with _LOCK:
        _TF_LOOPS[key] = entry
        while len(_TF_LOOPS) > _LOOPS_SIZE:
            _TF_LOOPS.pop(next(iter(_TF_LOOPS)))
    if not entry:
        return None
    trainable = [v.value for v in model.trainable_variables]
    non_trainable = [v.value for v in model.non_trainable_variables]
    return lambda chunks: entry(trainable, non_trainable, chunks)


def _output_signature(model, X, size: int):
    import tensorflow as tf

    shape = (size, *X.shape[1:])
    try:
        out = model.compute_output_spec(keras.KerasTensor(shape, dtype=X.dtype))
    except Exception:  # a network Keras cannot run symbolically
        return None
    if not isinstance(out, keras.KerasTensor):
        return None
    return tf.TensorSpec(out.shape, out.dtype)


def _shared_tf_loop(model, X, size: int):
    import tensorflow as tf

    signature = _output_signature(model, X, size)
    if signature is None:
        return False
    ref = model  # held by the cache entry, as _JAX_LOOPS holds its network

    def loop(trainable, non_trainable, chunks):
        def one(chunk):
            outputs, _ = ref.stateless_call(
                trainable, non_trainable, chunk, training=False
            )
            return outputs

        return tf.map_fn(
            one,
            chunks,
            fn_output_signature=signature,
            parallel_iterations=_PARALLEL_CHUNKS,
        )

    specs = [
        [tf.TensorSpec(v.shape, v.dtype) for v in variables]
        for variables in (model.trainable_variables, model.non_trainable_variables)
    ]
    chunks = tf.TensorSpec((None, size, *X.shape[1:]), tf.as_dtype(X.dtype))
    return tf.function(loop, input_signature=[*specs, chunks], autograph=False)


def _own_tf_loop(model, X, size: int):
    fn = _LOOP_FUNCTIONS.get(model)
    if fn is None:
        import tensorflow as tf

        signature = _output_signature(model, X, size)
        fn = False
        if signature is not None:
            ref = weakref.ref(model)  # the function must not keep the model alive

            def loop(chunks):
                return tf.map_fn(
                    lambda chunk: ref()(chunk, training=False),
                    chunks,
                    fn_output_signature=signature,
                    parallel_iterations=_PARALLEL_CHUNKS,
                )

            spec = tf.TensorSpec((None, size, *X.shape[1:]), tf.as_dtype(X.dtype))
            fn = tf.function(loop, input_signature=[spec], autograph=False)
        with _LOCK:
            _LOOP_FUNCTIONS[model] = fn
    return fn or None


def _compiled_chunk(model, X, size: int):
    fn = _CHUNK_FUNCTIONS.get(model)
    if fn is None:
        import tensorflow as tf

        ref = weakref.ref(model)  # the function must not keep the model alive
        spec = tf.TensorSpec((size, *X.shape[1:]), tf.as_dtype(X.dtype))
        fn = tf.function(
            lambda x: ref()(x, training=False), input_signature=[spec], autograph=False
        )
        with _LOCK:
            _CHUNK_FUNCTIONS[model] = fn
    return fn

"""The TensorFlow epoch loop: a whole epoch as one compiled call.

A ``tf.while_loop`` over mini-batches gathered from tensors held in memory, each
step being the model's own ``train_step`` (loss, regularisation, optimizer,
metrics). Around it the loop is Keras's: a ``CallbackList`` with history and
progress bar, ``on_epoch_begin``/``on_epoch_end`` with the epoch's logs, validation
after every epoch, ``stop_training``. Batch-level callbacks are called once per
epoch, as Keras does with ``steps_per_execution`` equal to the steps of an epoch.

Measured on the Pima book setup (768 x 8, Dense 12-8-1, 150 epochs, batch 10):
Keras ``fit`` on NumPy arrays 15.7 s; ``fit`` on a cached tf.data pipeline with one
epoch per execution 4.2 s; this loop about 1.5 s.
"""

from __future__ import annotations

import weakref
from typing import NamedTuple

import keras
import numpy as np
import scipy.sparse as sp

from ._epochs import epoch_orders, metric_values, run_epochs

# model -> {(kind, batch_size, ...): compiled epoch function}. The functions take the
# data as arguments, so ``partial_fit`` and ``warm_start`` fits on a model reuse
# them (a trace costs ~150 ms; one epoch of a small table a few ms). Weak keys: a
# model is freed as usual, and the functions refer to it only weakly.
_EPOCH_FUNCTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

# What TensorFlow keeps, process-wide, for each trace of an epoch function and never
# frees: the optimizer's all-reduce (``tf.custom_gradient`` in graph mode) registers a
# "CustomGradient-N" gradient function whose closure holds the whole traced graph
# (the epoch function's graph and its while loop's body and condition). Each model
# records the names its traces added (``_note_traced``), and when the model is freed
# they are taken out of the registry, so its graphs go with it. Without this every fit
# left its graphs behind (about 3.4 MB a fit with no plateau; plain ``Model.fit`` leaks
# the same way).
_TRACED_GRADIENTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class SparseRows(NamedTuple):
    """A CSR matrix held as two ragged tensors (column ids and values per row).

    Gathering rows of it gives a dense batch, so only one batch at a time is ever
    dense; the matrix itself stays in its sparse size.
    """

    columns: object
    values: object
    n_features: int


def to_tensor(array):
    """A dense tensor for an array, ``SparseRows`` for a scipy sparse matrix."""
    import tensorflow as tf

    if sp.issparse(array):
        csr = sp.csr_matrix(array)
        splits = csr.indptr.astype(np.int64)
        return SparseRows(
            tf.RaggedTensor.from_row_splits(csr.indices.astype(np.int64), splits),
            tf.RaggedTensor.from_row_splits(csr.data, splits),
            int(csr.shape[1]),
        )
    return tf.constant(array)


def gather_rows(tensor, idx):
    """Rows ``idx`` of a dense tensor or of ``SparseRows`` (as a dense batch)."""
    import tensorflow as tf

    if not isinstance(tensor, SparseRows):
        return tf.gather(tensor, idx)
    columns = tf.gather(tensor.columns, idx)
    values = tf.gather(tensor.values, idx)
    coords = tf.stack([columns.value_rowids(), columns.flat_values], axis=1)
    shape = tf.stack([tf.size(idx, out_type=tf.int64), tensor.n_features])
    dense = tf.scatter_nd(coords, values.flat_values, shape)
    return tf.ensure_shape(dense, [None, tensor.n_features])


def dense(array):
    return array.toarray() if sp.issparse(array) else array


def can_use_epoch_loop(model) -> bool:
    if keras.backend.backend() != "tensorflow" or model.run_eagerly:
        return False
    import tensorflow as tf

    return not tf.distribute.has_strategy() and hasattr(model, "_symbolic_build")


def _batched_loop(model, kind: str):
    """The compiled function running one epoch of ``kind`` ("train" or "test") steps.

    It takes the row order (an int32 permutation), the batch size and the data
    tensors as arguments, so a new permutation, new data or another batch size
    never retraces (after a first generalising retrace for new shapes); it is cached
    per model and optimizer. XLA is used when Keras would use it for the model
    (``model.jit_compile``).
    """
    import tensorflow as tf

    key = (kind, id(model.optimizer), bool(model.jit_compile))
    cache = _EPOCH_FUNCTIONS.setdefault(model, {})
    if key in cache:
        return cache[key]
    if model not in _TRACED_GRADIENTS:
        _TRACED_GRADIENTS[model] = names = set()
        weakref.finalize(model, unregister_gradients, names)
    ref = weakref.ref(model)  # the function must not keep the model alive

    @tf.autograph.experimental.do_not_convert
    def run(order, batch_size, tensors):
        step = ref().train_step if kind == "train" else ref().test_step
        n = tf.size(order)
        n_batches = (n + batch_size - 1) // batch_size

        def body(i):
            start = i * batch_size
            idx = order[start : tf.minimum(start + batch_size, n)]
            step(tuple(gather_rows(t, idx) for t in tensors))
            return (i + 1,)

        tf.while_loop(lambda i: i < n_batches, body, (tf.constant(0),))
        return tf.constant(0)

    fn = tf.function(
        run, autograph=False, reduce_retracing=True, jit_compile=bool(model.jit_compile)
    )
    cache[key] = fn
    return fn


def gradient_names() -> set:
    from tensorflow.python.framework import ops

    registry = getattr(getattr(ops, "_gradient_registry", None), "_registry", {})
    return {name for name in registry if name.startswith("CustomGradient-")}


def _note_traced(model, names: set) -> None:
    """Record the gradient functions ``model``'s traces registered (see above)."""
    if names and model in _TRACED_GRADIENTS:
        _TRACED_GRADIENTS[model].update(names)


def unregister_gradients(names) -> int:
    """Take the named gradient functions out of TensorFlow's registry; return how many.

    Run when a model is freed, for the names its traces registered: nothing but
    those graphs can use them then.
    """
    from tensorflow.python.framework import ops

    registry = getattr(getattr(ops, "_gradient_registry", None), "_registry", None)
    if registry is None:
        return 0
    return sum(registry.pop(name, None) is not None for name in list(names))


def fit_epoch_loop(request):
    """Train ``request`` (a ``TrainingRequest``) through the compiled TF epoch."""
    import tensorflow as tf

    model, arrays, batch_size = request.model, request.arrays, request.batch_size
    n = request.n_samples
    tensors = tuple(to_tensor(a) for a in arrays)
    model._symbolic_build(data_batch=tuple(dense(a[:batch_size]) for a in arrays))
    train_epoch = _batched_loop(model, "train")
    batch = tf.constant(batch_size, dtype=tf.int32)
    orders = epoch_orders(request)

    def run(epoch):
        train_epoch(tf.constant(orders(epoch).astype(np.int32)), batch, tensors)
        return metric_values(model)

    validate = None
    if request.validating:
        val_tensors = tuple(to_tensor(a) for a in request.val_arrays)
        val_epoch = _batched_loop(model, "test")
        val_batch = tf.constant(max(batch_size, 256), dtype=tf.int32)
        val_order = tf.range(request.val_arrays[0].shape[0], dtype=tf.int32)

        def validate():
            val_epoch(val_order, val_batch, val_tensors)
            return metric_values(model)

    gradients_before = gradient_names()
    history = run_epochs(
        request, steps=-(-n // batch_size), train_epoch=run, validate=validate
    )
    _note_traced(model, gradient_names() - gradients_before)
    return history

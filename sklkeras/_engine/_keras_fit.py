"""The fallback trainer: Keras's own ``Model.fit`` over in-memory arrays.

Used for what the compiled loops do not reproduce (``tf.distribute`` strategies,
``run_eagerly``, multi-input networks, other backends). On TensorFlow the
arrays go through a ``tf.data`` pipeline; on other backends Keras's own array
adapter feeds its compiled steps without a tf.data round trip per batch (Pima
book fit 2.95 s against 5.4 s through tf.data on JAX).
"""

from __future__ import annotations

import keras

# Up to this size the tf.data pipeline caches and shuffles element-wise.
_SMALL_DATA_BYTES = 64 * 2**20


def make_dataset(arrays, batch_size: int, shuffle: bool, seed: int | None):
    """A tf.data pipeline over in-memory arrays, reshuffled each epoch.

    Small data is cached element-wise and shuffled through a full buffer; large data
    shuffles indices and gathers whole batches, so the arrays are held only once.
    """
    import tensorflow as tf

    n = len(arrays[0])
    if sum(a.nbytes for a in arrays) <= _SMALL_DATA_BYTES:
        ds = tf.data.Dataset.from_tensor_slices(tuple(arrays)).cache()
        if shuffle:
            ds = ds.shuffle(n, seed=seed, reshuffle_each_iteration=True)
        return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
    tensors = tuple(tf.constant(a) for a in arrays)
    ds = tf.data.Dataset.range(n)
    if shuffle:
        ds = ds.shuffle(n, seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size).map(
        lambda idx: tuple(tf.gather(t, idx) for t in tensors),
        num_parallel_calls=tf.data.AUTOTUNE,
        deterministic=True,
    )
    return ds.prefetch(tf.data.AUTOTUNE)


def fit_keras(request):
    """``Model.fit`` on ``request`` (a ``TrainingRequest`` with dense arrays)."""
    model = request.model
    common = dict(
        epochs=request.epochs,
        initial_epoch=request.initial_epoch,
        callbacks=list(request.callbacks),
        verbose=request.verbose,
    )
    if keras.backend.backend() != "tensorflow" and not request.distributed:
        X, y, *sw = request.arrays
        val = tuple(request.val_arrays) if request.validating else None
        return model.fit(
            X,
            y,
            sample_weight=sw[0] if sw else None,
            batch_size=request.batch_size,
            validation_data=val,
            shuffle=request.shuffle,
            **common,
        )
    train_ds = make_dataset(
        request.arrays, request.batch_size, shuffle=request.shuffle, seed=request.seed
    )
    val_ds = None
    if request.validating:
        val_ds = make_dataset(
            request.val_arrays, max(request.batch_size, 256), shuffle=False, seed=None
        )
    # the dataset shuffles itself, by seed
    return model.fit(train_ds, validation_data=val_ds, shuffle=False, **common)

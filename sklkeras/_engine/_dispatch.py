"""Training over in-memory arrays, with Keras's ``fit`` semantics: which loop trains.

- TensorFlow: a whole epoch as one compiled call (``_tf_loop.py``);
- JAX: one jitted ``lax.scan`` per epoch (``_jax_loop.py``), or, with validation
  data, the fused loop with one network (``_fused.py``);
- inside a ``FusedSession`` (``sklkeras.model_selection``): the session, which
  trains networks of one shape together;
- otherwise ``Model.fit``: on NumPy arrays on other backends, on a ``tf.data``
  pipeline under a distribution strategy or ``run_eagerly``.
"""

from __future__ import annotations

import keras
import numpy as np
import scipy.sparse as sp

from ._epochs import epoch_order
from ._fused_jax import fit_fused
from ._jax_loop import (
    can_use_jax_loop,
    fit_jax_arrays,
)
from ._keys import group_key
from ._session import current_session
from ._tf_loop import (
    can_use_epoch_loop,
    dense,
    fit_epoch_loop,
)

# Up to this size the tf.data fallback caches and shuffles element-wise.
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


def fit_arrays(
    model,
    arrays,
    *,
    batch_size: int,
    epochs: int,
    initial_epoch: int,
    val_arrays=None,
    callbacks=(),
    verbose=0,
    seed=None,
    shuffle=True,
    distributed=False,
):
    """Train ``model`` on in-memory ``arrays`` = [X, y(, sample_weight)].

    ``shuffle=False`` keeps the row order in every epoch (stateful networks).
    Returns the ``keras.callbacks.History`` of the run, as ``Model.fit`` does.
    Inside a ``FusedSession`` (``sklkeras.model_selection``) the network is handed
    to the session, which trains it together with networks of the same shape.
    """
    request = dict(
        model=model,
        arrays=arrays,
        batch_size=batch_size,
        epochs=epochs,
        initial_epoch=initial_epoch,
        val_arrays=val_arrays,
        callbacks=callbacks,
        verbose=verbose,
        seed=seed,
        shuffle=shuffle,
        distributed=distributed,
    )
    session = current_session()
    if session is not None and can_fuse(model, arrays, val_arrays, distributed):
        return session.submit(request)
    return fit_direct(request)


def can_fuse(model, arrays, val_arrays, distributed: bool) -> bool:
    """Whether a fused trainer may take ``model``: dense data, and the JAX loop
    (``_fused.py``) or TensorFlow's compiled loop (``_fused_tf.py``) applies."""
    if any(sp.issparse(a) for a in list(arrays) + list(val_arrays or [])):
        return False
    if keras.backend.backend() == "tensorflow":
        return not distributed and can_use_epoch_loop(model)
    return can_use_jax_loop(model, None, distributed)


def fit_direct(request: dict):
    """``fit_arrays`` for this network alone; ``request`` holds its arguments."""
    model, arrays = request["model"], request["arrays"]
    batch_size, epochs = request["batch_size"], request["epochs"]
    initial_epoch, val_arrays = request["initial_epoch"], request["val_arrays"]
    callbacks, verbose = request["callbacks"], request["verbose"]
    seed, shuffle = request["seed"], request["shuffle"]
    distributed = request["distributed"]
    if not distributed and can_use_epoch_loop(model):
        return fit_epoch_loop(
            model,
            arrays,
            batch_size=batch_size,
            epochs=epochs,
            initial_epoch=initial_epoch,
            val_arrays=val_arrays,
            callbacks=callbacks,
            verbose=verbose,
            seed=seed,
            shuffle=shuffle,
        )
    # Model.fit paths below take dense arrays only.
    arrays = [dense(a) for a in arrays]
    if val_arrays is not None:
        val_arrays = [dense(a) for a in val_arrays]
    if val_arrays is not None and can_use_jax_loop(model, None, distributed):
        # With validation data: the fused loop with one network, whose validation
        # is the fused fits' (so a fused fit equals its standalone twin).
        history = _fit_one_fused(
            {**request, "arrays": arrays, "val_arrays": val_arrays}
        )
        if history is not None:
            return history
    if can_use_jax_loop(model, val_arrays, distributed):
        rng = np.random.default_rng(seed)
        n = arrays[0].shape[0]
        return fit_jax_arrays(
            model,
            arrays,
            batch_size=batch_size,
            epochs=epochs,
            initial_epoch=initial_epoch,
            callbacks=callbacks,
            verbose=verbose,
            epoch_order=lambda epoch: epoch_order(rng, n, seed, epoch, shuffle),
        )
    if keras.backend.backend() != "tensorflow" and not distributed:
        # JAX with validation data, and other backends: Keras's own array adapter feeds its compiled steps
        # without a tf.data round trip per batch (Pima book fit 2.95 s against
        # 5.4 s through tf.data on JAX).
        X, y, *sw = arrays
        val = tuple(val_arrays) if val_arrays is not None else None
        return model.fit(
            X,
            y,
            sample_weight=sw[0] if sw else None,
            batch_size=batch_size,
            epochs=epochs,
            initial_epoch=initial_epoch,
            validation_data=val,
            callbacks=list(callbacks),
            shuffle=shuffle,
            verbose=verbose,
        )
    train_ds = make_dataset(arrays, batch_size, shuffle=shuffle, seed=seed)
    val_ds = None
    if val_arrays is not None:
        val_ds = make_dataset(
            val_arrays, max(batch_size, 256), shuffle=False, seed=None
        )
    return model.fit(
        train_ds,
        epochs=epochs,
        initial_epoch=initial_epoch,
        validation_data=val_ds,
        callbacks=list(callbacks),
        shuffle=False,  # the dataset shuffles itself, by seed
        verbose=verbose,
    )


def _fit_one_fused(request):
    """One network through ``_fused.fit_fused`` (None when it does not qualify)."""
    model = request["model"]
    key = group_key(model, request)
    if key is None:
        return None
    (result,) = fit_fused([request], key)
    if isinstance(result, BaseException):
        raise result
    return result

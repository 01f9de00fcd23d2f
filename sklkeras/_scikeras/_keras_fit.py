"""The Keras-``fit`` path of the wrappers (multi-input / multi-output models),
and the sets of Keras ``fit`` / ``predict`` / ``compile`` keywords the wrappers
know.

The encoders may hand Keras one array, a list or tuple of arrays (one per input
or output) or a dict of them; these helpers count and select their rows, and
``train_keras_fit`` trains on them with Keras's own ``Model.fit``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp

# Keras Model.fit arguments fit(**kwargs) and fit__ take; others are refused.
FIT_ARGS = {
    "epochs",
    "batch_size",
    "verbose",
    "callbacks",
    "validation_split",
    "shuffle",
    "validation_batch_size",
    "class_weight",
}

# scikeras's BaseWrapper sets (its _fit_kwargs, _predict_kwargs, _compile_kwargs):
# the keywords of Keras's Model.fit / predict / compile it routes there.
FIT_KWARGS = {
    "batch_size",
    "epochs",
    "verbose",
    "validation_split",
    "shuffle",
    "class_weight",
    "sample_weight",
    "initial_epoch",
    "validation_steps",
    "validation_batch_size",
    "validation_freq",
}
PREDICT_KWARGS = {"batch_size", "verbose", "steps"}
COMPILE_KWARGS = {
    "optimizer",
    "loss",
    "metrics",
    "loss_weights",
    "weighted_metrics",
    "run_eagerly",
}


def one_array(X) -> bool:
    """One in-memory array (dense or scipy sparse): the compiled paths take it."""
    return isinstance(X, np.ndarray) or sp.issparse(X)


def first_array(data):
    """The first array of ``data`` (itself when it is one array)."""
    if isinstance(data, Mapping):
        return first_array(next(iter(data.values())))
    if isinstance(data, (list, tuple)):
        return first_array(data[0])
    return data


def n_rows(data) -> int:
    """Number of samples of one array, a list / tuple or a dict of arrays."""
    first = first_array(data)
    shape = getattr(first, "shape", None)
    return int(shape[0]) if shape is not None else len(first)


def take_rows(data, idx: np.ndarray):
    """Rows ``idx`` of one array (or DataFrame), a list / tuple or dict of them."""
    if data is None:
        return None
    if isinstance(data, Mapping):
        return {k: take_rows(v, idx) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return type(data)(take_rows(v, idx) for v in data)
    if hasattr(data, "iloc"):
        return data.iloc[idx]
    return data[idx]


def holdout(X, y, sample_weight, idx_train, idx_val):
    """``(X, y, sample_weight)`` of the training rows, and the validation data."""
    data = (X, y) if sample_weight is None else (X, y, sample_weight)
    validation_data = tuple(take_rows(d, idx_val) for d in data)
    X, y = take_rows(X, idx_train), take_rows(y, idx_train)
    return X, y, take_rows(sample_weight, idx_train), validation_data


def train_keras_fit(est, X, y_enc, sample_weight, y_raw, *, epochs, partial, seed, **_):
    """Keras's own ``fit`` of ``est.model_`` on the encoded data, with the
    validation data given to ``fit`` or sklkeras's shuffled (stratified)
    validation split, and the scikit-learn callbacks' epoch tasks."""
    initial_epoch = len(est.history_.get("loss", []))
    fraction = None if partial else est._holdout_fraction()
    validation_data = None if partial else est._given_validation_arrays()
    idx_train = None
    if validation_data is not None:
        validation_data = tuple(validation_data)
    elif fraction:
        idx_train, idx_val = est._validation_split(y_raw, seed, fraction)
        X, y_enc, sample_weight, validation_data = holdout(
            X, y_enc, sample_weight, idx_train, idx_val
        )
    callbacks = est._user_callbacks()
    tasks = None if partial else est._epoch_tasks(idx_train)
    if tasks is not None:
        callbacks.append(tasks)
    hist = est.model_.fit(
        X,
        y_enc,
        sample_weight=sample_weight,
        validation_data=validation_data,
        batch_size=est._resolve_batch_size(n_rows(X)),
        epochs=initial_epoch + epochs,
        initial_epoch=initial_epoch,
        callbacks=callbacks,
        **est._fit_options(),
    )
    for key, values in hist.history.items():
        est.history_.setdefault(key, []).extend(float(v) for v in values)
    est._set_training_attributes()


__all__ = [
    "COMPILE_KWARGS",
    "FIT_ARGS",
    "FIT_KWARGS",
    "PREDICT_KWARGS",
    "first_array",
    "holdout",
    "n_rows",
    "one_array",
    "take_rows",
    "train_keras_fit",
]

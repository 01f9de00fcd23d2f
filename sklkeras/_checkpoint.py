"""Checkpoints during training, and resuming an interrupted fit from them.

With ``checkpoint_dir`` set, every epoch (or every improvement, with
``checkpoint_best_only``) writes ``<dir>/<Class>-<config>.skk``: the same one-file
format as ``est.save`` (so ``sklkeras.load`` reads it) plus the training progress.
The network's file holds the optimizer state. Files are replaced atomically, so a
kill at any moment leaves the last good checkpoint. A later ``fit`` of the same
configuration (parameters and input shape) on that directory resumes after the
last saved epoch and stops at the same total number of epochs.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import warnings

import keras
import numpy as np

from . import _persistence

# Parameters that do not change what is trained.
_NOT_CONFIG = {
    "checkpoint_dir",
    "checkpoint_best_only",
    "verbose",
    "callbacks",
    "warm_start",
}


def _config_token(value):
    try:
        return _persistence._encode(value)
    except _persistence.NotSerializable:
        if callable(value) and hasattr(value, "__qualname__"):
            return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
        if hasattr(value, "get_config"):
            return {"class": type(value).__name__, "config": repr(value.get_config())}
        return type(value).__name__


def checkpoint_path(estimator, input_shape) -> str:
    """Where the checkpoint of this configuration lives."""
    params = {
        k: _config_token(v)
        for k, v in sorted(estimator.get_params(deep=False).items())
        if k not in _NOT_CONFIG
    }
    config = json.dumps(
        {
            "class": type(estimator).__name__,
            "params": params,
            "shape": list(input_shape),
        },
        sort_keys=True,
        default=str,
    )
    digest = hashlib.sha256(config.encode()).hexdigest()[:16]
    return os.path.join(
        os.fspath(estimator.checkpoint_dir), f"{type(estimator).__name__}-{digest}.skk"
    )


def load_checkpoint(estimator, path):
    """(model, history, completed epochs) from a checkpoint, or None."""
    progress = _persistence.read_progress(path)
    if progress is None:
        return None
    saved = _persistence.load(path, custom_objects=estimator._custom_objects())
    return saved.model_, saved.history_, int(progress["epochs_done"])


class CheckpointCallback(keras.callbacks.Callback):
    """Writes the estimator's checkpoint at the end of epochs."""

    def __init__(self, estimator, path, *, best_only: bool, monitor: str):
        super().__init__()
        self.estimator = estimator
        self.path = path
        self.best_only = best_only
        self.monitor = monitor
        self.history = copy.deepcopy(estimator.history_)
        self.best = np.inf

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))
        current = logs.get(self.monitor)
        if self.best_only:
            if current is None or not current < self.best:
                return
            self.best = current
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _persistence.save(
                self.estimator,
                self.path,
                history=self.history,
                progress={"epochs_done": epoch + 1, "monitor": self.monitor},
                quiet=True,
            )

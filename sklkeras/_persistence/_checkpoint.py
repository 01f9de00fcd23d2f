"""Checkpoints during training, and resuming an interrupted fit from them.

With ``checkpoint_dir`` set, every epoch (or every improvement, with
``checkpoint_best_only``) writes ``<dir>/<Class>-<config>.skk``: the same one-file
format as ``est.save`` (so ``sklkeras.load`` reads it) plus the training progress.
The network's file holds the optimizer state. Files are replaced atomically, so a
kill at any moment leaves the last good checkpoint. A later ``fit`` of the same
configuration (parameters) on the same training data (a fingerprint of X, y and
sample_weight) on that directory resumes after the last saved epoch and stops at
the same total number of epochs; other data, such as another fold of a
cross-validation, gets a checkpoint of its own.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import warnings

import keras
import numpy as np

from . import _estimator_files

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
        return _estimator_files._encode(value)
    except _estimator_files.NotSerializable:
        if callable(value) and hasattr(value, "__qualname__"):
            return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
        if hasattr(value, "get_config"):
            return {"class": type(value).__name__, "config": repr(value.get_config())}
        return type(value).__name__


def data_digest(*arrays) -> str:
    """A fingerprint of the training data (None entries allowed).

    Part of the checkpoint's name, so that the folds of a cross-validation, or a
    refit on other rows, never resume from each other's checkpoints.
    """
    digest = hashlib.blake2b(digest_size=16)
    for array in arrays:
        if array is None:
            digest.update(b"none")
            continue
        array = np.asarray(array)
        digest.update(f"{array.dtype.str}{array.shape}".encode())
        if array.dtype == object:
            digest.update(repr(array.tolist()).encode())
        else:
            digest.update(np.ascontiguousarray(array).data)
    return digest.hexdigest()


def checkpoint_path(estimator, input_shape, data: str) -> str:
    """Where the checkpoint of this configuration and training data lives."""
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
            "data": data,
        },
        sort_keys=True,
        default=str,
    )
    digest = hashlib.sha256(config.encode()).hexdigest()[:16]
    return os.path.join(
        os.fspath(estimator.checkpoint_dir), f"{type(estimator).__name__}-{digest}.skk"
    )


def load_checkpoint(estimator, path):
    """(model, history, epochs left to train, training state) from a checkpoint,
    or None.

    The training state holds what the callbacks of the interrupted run had
    learned (early stopping's patience count, best loss and best weights; the
    best-only checkpoint's best loss), so the resumed run goes on exactly as the
    uninterrupted one would have. A finished run (all epochs, or stopped early)
    has no epoch left.
    """
    progress = _estimator_files.read_progress(path)
    if progress is None:
        return None
    saved = _estimator_files.load(path, custom_objects=estimator._custom_objects())
    done = int(progress["epochs_done"])
    left = 0 if progress.get("finished") else max(0, estimator._max_epochs() - done)
    state = dict(progress.get("early_stopping") or {})
    weights = _estimator_files.read_member(path, _BEST_WEIGHTS)
    if state and weights is not None:
        with np.load(io.BytesIO(weights)) as arrays:
            state["best_weights"] = [arrays[f"w{i}"] for i in range(len(arrays))]
    state["checkpoint_best"] = progress.get("best")
    seeds = _estimator_files.read_member(path, _SEED_STATES)
    if seeds is not None:
        with np.load(io.BytesIO(seeds)) as arrays:
            for i, variable in enumerate(_seed_variables(saved.model_)):
                variable.assign(arrays[f"s{i}"])
    return saved.model_, saved.history_, left, state


def _seed_variables(model) -> list:
    """The states of the network's random generators (dropout, augmentation).

    Keras's ``.keras`` file does not restore them, so a resumed run would draw
    other dropout masks than the uninterrupted one; checkpoints store them.
    """
    return [v for v in model.variables if "seed_generator_state" in v.path]


def _npz(arrays: dict) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


_SEED_STATES = "seed_generator_states.npz"


_BEST_WEIGHTS = "early_stopping_best_weights.npz"


class CheckpointCallback(keras.callbacks.Callback):
    """Writes the estimator's checkpoint at the end of epochs."""

    def __init__(
        self,
        estimator,
        path,
        *,
        best_only: bool,
        monitor: str,
        early_stopping=None,
        best=None,
    ):
        super().__init__()
        self.estimator = estimator
        self.path = path
        self.best_only = best_only
        self.monitor = monitor
        self.history = copy.deepcopy(estimator.history_)
        self.best = np.inf if best is None else best
        # Placed after early stopping, so that its state includes this epoch.
        self.early_stopping = early_stopping

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))
        current = logs.get(self.monitor)
        if self.best_only:
            if current is None or not current < self.best:
                return
            self.best = float(current)
        self._write(epoch + 1, finished=False)

    def on_train_end(self, logs=None):
        # The finished run, best weights restored by early stopping: nothing is
        # left to train when this configuration is fitted again.
        if not self.best_only and self.history.get("loss"):
            self._write(len(self.history["loss"]), finished=True)

    def _write(self, epochs_done: int, *, finished: bool):
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        progress = {
            "epochs_done": epochs_done,
            "monitor": self.monitor,
            "finished": finished,
            "best": None if np.isinf(self.best) else self.best,
        }
        seeds = _seed_variables(self.model)
        extra = {
            _SEED_STATES: _npz({f"s{i}": np.asarray(v) for i, v in enumerate(seeds)})
        }
        stopper = self.early_stopping
        if stopper is not None:
            progress["early_stopping"] = stopper.state()
            if stopper.best_weights is not None:
                extra[_BEST_WEIGHTS] = _npz(
                    {f"w{i}": w for i, w in enumerate(stopper.best_weights)}
                )
        # A shallow copy with the fitted attributes of the epochs so far (n_iter_,
        # loss_curve_, ...), so that a loaded checkpoint is complete.
        snapshot = copy.copy(self.estimator)
        snapshot.history_ = self.history
        snapshot._set_training_attributes()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _estimator_files.save(
                snapshot,
                self.path,
                history=self.history,
                progress=progress,
                extra=extra,
                quiet=True,
            )

"""Divergence: a loss that stops being a number ends the fit with an error, and a
network output that is not a number is never returned as an answer.

A NaN or infinite loss means the weights are no longer numbers: every later epoch,
checkpoint and prediction would be garbage (``predict`` says class 0 for every row,
``predict_proba`` NaN). scikit-learn's MLP raises a ``ValueError`` in this case;
so does sklkeras, naming the epoch and the likely cause.
"""

from __future__ import annotations

import keras
import numpy as np

# The series checked after every epoch.
_MONITORED = ("loss", "val_loss")


class TrainingDivergedError(ValueError):
    """The training loss became NaN or infinite (a ``ValueError``)."""


def max_magnitude(X) -> float:
    """Largest absolute value in X, without a full-size temporary copy."""
    X = np.asarray(X)
    if not X.size or not np.issubdtype(X.dtype, np.number):
        return 0.0
    return float(max(np.max(X), -np.min(X)))


class StopOnNonFiniteLoss(keras.callbacks.Callback):
    """Raise ``TrainingDivergedError`` at the end of the first non-finite epoch.

    Placed first among the callbacks, so that no checkpoint, schedule or user
    callback sees the broken epoch. The weights are checked too (a copy per
    epoch, small next to an epoch's arithmetic).
    """

    def __init__(self, X, learning_rate):
        super().__init__()
        self._X = X  # a reference, read only when training diverges
        self._learning_rate = learning_rate
        self._last = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        problems = [
            f"{key} is {logs[key]}"
            for key in _MONITORED
            if logs.get(key) is not None and not np.isfinite(logs[key])
        ]
        # The epoch's loss is measured before each step's update: the last steps
        # can break the weights while the loss still reads finite.
        if not problems and logs.get("loss") is not None:
            self._last = float(logs["loss"])
        if not problems and not all(
            np.isfinite(w).all() for w in self.model.get_weights()
        ):
            problems.append("the weights are NaN or infinite")
        for problem in problems[:1]:
            self.model.stop_training = True
            last = (
                f"the last finite loss was {self._last:.4g}"
                if self._last is not None
                else "no epoch ended with a finite loss"
            )
            rate = (
                f"learning rate {self._learning_rate:g}"
                if self._learning_rate is not None
                else "the learning rate"
            )
            raise TrainingDivergedError(
                f"Training diverged: {problem} at epoch {epoch + 1} ({last}). "
                # scikit-learn's sentence, which its users match on
                "Solver produced non-finite parameter weights. The input data may "
                "contain large values and need to be preprocessed. The fit was "
                "stopped and the estimator left unfitted. Inputs of large "
                f"magnitude are the usual cause (max |X| = "
                f"{max_magnitude(self._X):.3g}): scale X, e.g. with a "
                f"StandardScaler in a Pipeline; otherwise lower {rate} "
                "(learning_rate_init)."
            )


def check_finite_output(out, X) -> np.ndarray:
    """The network's output, or a ``ValueError`` when any of it is NaN or infinite."""
    out = np.asarray(out)
    bad = ~np.isfinite(out.reshape(len(out), -1)).all(axis=1)
    if bad.any():
        rows = np.flatnonzero(bad)
        raise ValueError(
            f"The network's output is NaN or infinite for {rows.size} of {len(out)} "
            f"row(s) (rows {rows[:5].tolist()}{' ...' if rows.size > 5 else ''}): "
            "no prediction can be made for them. The input values overflow the "
            f"network's float32 arithmetic (max |X| = {max_magnitude(X):.3g}): "
            "scale X as at fit."
        )
    return out

"""scikit-learn's stopping rule, and its ConvergenceWarning, for every estimator.

After each epoch the monitored value (the training loss, or a validation quantity
with ``early_stopping``) is compared with the best so far, exactly as scikit-learn's
``BaseMultilayerPerceptron._update_no_improvement_count`` does: an epoch that does
not beat the best by ``tol`` adds one to ``_no_improvement_count``, one that does
resets it, and training stops once the count exceeds ``n_iter_no_change``. With a
validation split the best weights are kept and restored when training ends.

The rule for ``ConvergenceWarning`` is scikit-learn's: a ``fit`` that runs its whole
epoch budget (``max_iter`` / ``epochs``) without the rule above stopping it warns,
also with ``n_iter_no_change=np.inf`` (the rule can then never stop it). Two cases
stay quiet: ``partial_fit`` (one epoch by definition, as in scikit-learn) and
``n_iter_no_change=None``, sklkeras's explicit request for a fixed number of epochs
(there is no convergence test to fail, as with Keras's ``fit(epochs=N)``).
"""

from __future__ import annotations

import math
import os
import sys
import warnings

import keras
import numpy as np
from sklearn.exceptions import ConvergenceWarning


class NoImprovementStopping(keras.callbacks.Callback):
    """Stop when ``monitor`` has not improved by ``tol`` for ``n_iter_no_change`` epochs.

    Parameters
    ----------
    estimator : sklkeras estimator
        Holds the count between fits (``_no_improvement_count``), so that a
        ``warm_start`` fit continues it, as scikit-learn's does.
    monitor : str
        Key of the epoch logs to watch.
    mode : {"min", "max"}
        Whether lower (losses) or higher (scores) is better.
    n_iter_no_change : int or float
        Epochs without improvement tolerated; ``np.inf`` never stops.
    tol : float
        Smallest improvement that counts.
    best : float
        Best value reached before this fit (infinite at the first fit).
    restore_best : bool
        Keep the weights of the best epoch and restore them when training ends.
    on_plateau : callable or None
        Called when the count runs out; returns True to stop, False to go on with
        a fresh count (scikit-learn's adaptive learning rate divides the rate
        instead of stopping).
    """

    def __init__(
        self,
        estimator,
        *,
        monitor: str,
        mode: str,
        n_iter_no_change,
        tol: float,
        best: float,
        restore_best: bool,
        on_plateau=None,
        resume_state=None,
    ):
        super().__init__()
        self.estimator = estimator
        self.monitor = monitor
        self.mode = mode
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.best = best
        self.restore_best = restore_best
        self.on_plateau = on_plateau
        self.converged = False
        self.best_weights = None
        self._resume_state = resume_state or {}

    def on_train_begin(self, logs=None):
        if self.restore_best:
            self.best_weights = self.model.get_weights()
        state = self._resume_state
        if "count" in state:  # resumed from a checkpoint: go on where it stopped
            self.estimator._no_improvement_count = int(state["count"])
            self.best = float(state["best"])
            if state.get("best_weights") is not None:
                self.best_weights = state["best_weights"]

    def state(self) -> dict:
        """What a checkpoint stores to resume the rule exactly (with best_weights)."""
        return {
            "count": int(getattr(self.estimator, "_no_improvement_count", 0)),
            "best": float(self.best),
        }

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None:
            return
        est = self.estimator
        count = getattr(est, "_no_improvement_count", 0)
        # The comparisons are written as scikit-learn's, so NaN behaves the same.
        if self.mode == "min":
            count = count + 1 if value > self.best - self.tol else 0
            better = value < self.best
        else:
            count = count + 1 if value < self.best + self.tol else 0
            better = value > self.best
        if better:
            self.best = value
            if self.restore_best:
                self.best_weights = self.model.get_weights()
        if count > self.n_iter_no_change:
            stop = True if self.on_plateau is None else self.on_plateau()
            if stop:
                self.converged = True
                self.model.stop_training = True
            else:
                count = 0
        est._no_improvement_count = count

    def on_train_end(self, logs=None):
        if self.restore_best and self.best_weights is not None:
            self.model.set_weights(self.best_weights)


def best_so_far(history: dict, monitor: str, mode: str) -> float:
    """The best value of ``monitor`` in ``history`` (infinite when there is none)."""
    values = [v for v in history.get(monitor, []) if not math.isnan(v)]
    if mode == "min":
        return min(values, default=np.inf)
    return max(values, default=-np.inf)


def warn_not_converged(message: str) -> None:
    """Emit scikit-learn's ConvergenceWarning, attributed to the caller's code (the
    first frame outside sklkeras), so that filters by module and the printed line
    point at the user's ``fit``."""
    package = os.path.dirname(os.path.abspath(__file__))
    frame, level = sys._getframe(0), 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(
        package
    ):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, ConvergenceWarning, stacklevel=level)

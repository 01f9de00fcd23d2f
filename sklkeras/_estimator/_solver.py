"""The solver: how an estimator's network is optimised, as one small object.

What depends on the optimisation, the base asks the estimator's ``_solver_``
instead of a hook per question (the model is scikit-learn's
``_stochastic_optimizers.py``): the optimizer the network is compiled with, the
rows of one step, the callbacks of a run, what the stopping rule does when its
patience runs out, the text of the ConvergenceWarning, and the training run
itself. ``KerasSolver`` is every estimator's (a class attribute of the base): the
Keras optimizer named by ``optimizer``, trained by the engine. The MLPs choose
theirs from ``solver`` at each fit (``sklkeras/_mlp/``).

A solver holds no estimator and no network: each method is given the estimator,
so a solver pickles, copies and clones as the small object it is.
"""

from __future__ import annotations

from ._builders import make_optimizer
from ._run import train_run


class KerasSolver:
    """The default solver: Keras's optimizer, the engine's epochs."""

    def make_optimizer(self, est):
        """The optimizer the network is compiled with."""
        return make_optimizer(est.optimizer, est.learning_rate_init)

    def batch_size(self, est, n_samples: int) -> int:
        """The rows of one training step on ``n_samples`` rows."""
        if est.batch_size == "auto":
            return min(200, n_samples)
        return min(est.batch_size, n_samples)

    def callbacks(self, est, n_samples: int, validating: bool, partial: bool) -> list:
        """The solver's callbacks of one run on ``n_samples`` training rows
        (after the user's; the MLPs' learning-rate rules and iteration log)."""
        return []

    def on_plateau(self, est):
        """What the stopping rule calls when its patience runs out (returning
        True to stop), or None: stop."""
        return None

    def not_converged_message(self, est) -> str:
        """The ConvergenceWarning of a fit that ran out of epochs."""
        return (
            f"{type(est).__name__}: the epoch limit (epochs={est._max_epochs()}) "
            "was reached and the training had not converged yet (the monitored loss "
            f"still improved by more than tol={est.tol} within "
            f"n_iter_no_change={est.n_iter_no_change} epochs). Train more epochs, "
            "or set n_iter_no_change=None to train a fixed number of epochs."
        )

    def train(self, est, X, y_enc, sample_weight, y_raw, **run) -> None:
        """One training run of ``est.model_`` (``_run.train_run``; ``run``: its
        ``epochs``, ``seed``, ``partial`` and ``resume_state``)."""
        train_run(est, X, y_enc, sample_weight, y_raw, **run)

    def __repr__(self):
        return f"{type(self).__name__}()"


KERAS_SOLVER = KerasSolver()

__all__ = ["KERAS_SOLVER", "KerasSolver"]

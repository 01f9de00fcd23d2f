"""``solver="adam"`` and ``solver="sgd"``: the stochastic solver and its schedule.

``StochasticSolver`` trains the network with the Keras optimizer of
``_solver.make_optimizer`` through the engine, one epoch per iteration, and owns
what scikit-learn's ``_stochastic_optimizers.py`` objects own: the learning-rate
schedule of ``learning_rate`` (SGD only, as in scikit-learn: "invscaling" after
each epoch, "adaptive" when the stopping rule runs out of patience), the samples
seen (``t_``), the ``verbose`` iteration lines and the ConvergenceWarning text.
The rate in use is kept where scikit-learn keeps it, ``est._optimizer`` (a
``_solver.SolverState``).
"""

from __future__ import annotations

import keras
import numpy as np

from .._estimator import KerasSolver
from ._solver import MLPSolver, SolverState


def set_rate(model, state: SolverState, rate: float) -> None:
    state.learning_rate = rate
    model.optimizer.learning_rate = rate


class InvScaling(keras.callbacks.Callback):
    """``learning_rate_init / (t + 1) ** power_t`` after each epoch (scikit-learn's
    ``invscaling``), ``t`` counting the training samples seen, across fits."""

    def __init__(self, state, learning_rate_init, power_t, t_start, n_samples):
        super().__init__()
        self.state = state
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.t = t_start
        self.n_samples = n_samples

    def on_epoch_end(self, epoch, logs=None):
        self.t += self.n_samples
        rate = float(self.learning_rate_init) / (self.t + 1) ** self.power_t
        set_rate(self.model, self.state, rate)


def adaptive_plateau(model_getter, state: SolverState):
    """scikit-learn's ``adaptive`` rate: on a plateau divide by 5; stop at 1e-6."""

    def on_plateau() -> bool:
        if state.learning_rate <= 1e-6:
            return True
        set_rate(model_getter(), state, state.learning_rate / 5.0)
        return False

    return on_plateau


class IterationLog(keras.callbacks.Callback):
    """scikit-learn's ``verbose`` lines: the loss, and the validation score."""

    def __init__(self, score_key: str | None):
        super().__init__()
        self.score_key = score_key
        self.iteration = 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.iteration += 1
        print(f"Iteration {self.iteration}, loss = {logs.get('loss', np.nan):.8f}")
        if self.score_key is not None and self.score_key in logs:
            print(f"Validation score: {logs[self.score_key]:f}")


class StochasticSolver(MLPSolver):
    """Adam or SGD on mini-batches, with scikit-learn's learning-rate schedule.

    Parameters
    ----------
    solver : {"adam", "sgd"}
        The estimator's ``solver`` at the fit that made this object.
    learning_rate : {"constant", "invscaling", "adaptive"}
        The estimator's ``learning_rate``; scikit-learn applies it to SGD only.
    """

    def __init__(self, solver: str, learning_rate: str):
        self.solver = solver
        self.schedule = learning_rate if solver == "sgd" else "constant"
        self.epoch_rows = 0  # training rows of the current run, for t_

    def callbacks(self, est, n_samples: int, validating: bool, partial: bool) -> list:
        self.epoch_rows = n_samples
        state = getattr(est, "_optimizer", None)  # not in a saved file
        if state is None:
            state = est._optimizer = SolverState(est.learning_rate_init)
        callbacks = []
        if self.schedule != "constant" and est.optimizer is None:
            if not partial:  # a fit starts at the initial rate, as in scikit-learn
                set_rate(est.model_, state, est.learning_rate_init)
            if self.schedule == "invscaling":
                callbacks.append(
                    InvScaling(
                        state, est.learning_rate_init, est.power_t, est.t_, n_samples
                    )
                )
        if est.verbose:
            score = est._stopping_monitor(True)[0] if validating else None
            callbacks.append(IterationLog(score))
        return callbacks

    def on_plateau(self, est):
        if self.schedule == "adaptive":
            return adaptive_plateau(lambda: est.model_, est._optimizer)
        return None

    def not_converged_message(self, est) -> str:
        return (
            f"Stochastic Optimizer: Maximum iterations ({est._max_epochs()}) reached "
            "and the optimization hasn't converged yet. (Raise max_iter, or set "
            "n_iter_no_change=None to train exactly max_iter epochs.)"
        )

    def optimise(self, est, X, y_enc, sample_weight, y_raw, **run) -> None:
        before = len(est.history_.get("loss", []))
        KerasSolver.train(self, est, X, y_enc, sample_weight, y_raw, **run)
        ran = len(est.history_.get("loss", [])) - before
        est.t_ += self.epoch_rows * ran

    def __repr__(self):
        return f"StochasticSolver(solver={self.solver!r}, schedule={self.schedule!r})"


__all__ = ["IterationLog", "InvScaling", "StochasticSolver", "adaptive_plateau"]

"""The callbacks of one training run, in the order they must run.

1. divergence: a NaN epoch stops the run before anything else sees it;
2. the stopping rule (scikit-learn's, ``_engine/_stopping.py``, with the
   solver's plateau action): before the checkpoint, so the state it saves
   includes the epoch (patience count, best value, best weights);
3. the checkpoint: before the user's callbacks, which see the epoch already
   saved;
4. the user's callbacks, the estimator's own (stateful resets), the solver's
   (the MLPs' learning-rate rules), the schedule.
"""

from __future__ import annotations

from .._engine import NoImprovementStopping, StopOnNonFiniteLoss, best_so_far
from .._persistence import CheckpointCallback
from ..callbacks import schedule_callback


def stopping_rule(estimator, validating: bool, resume_state) -> NoImprovementStopping:
    """scikit-learn's stopping rule on the estimator's monitor, going on from
    ``history_``; its plateau action is the solver's."""
    monitor, mode = estimator._stopping_monitor(validating)
    return NoImprovementStopping(
        estimator,
        monitor=monitor,
        mode=mode,
        n_iter_no_change=estimator.n_iter_no_change,
        tol=estimator.tol,
        best=best_so_far(estimator.history_, monitor, mode),
        restore_best=validating,
        on_plateau=estimator._solver_.on_plateau(estimator),
        resume_state=resume_state,
    )


def training_callbacks(
    estimator, X, *, validating: bool, partial: bool, resume_state=None
) -> tuple[list, object]:
    """The callback list for a run of ``estimator`` on training rows ``X``, and the
    stopping rule among them (None when there is none)."""
    resume_state = resume_state or {}
    # First: no later callback (checkpoint, schedule, user's) sees a NaN epoch.
    callbacks = [StopOnNonFiniteLoss(X, estimator._initial_learning_rate_)]
    stopper = None
    if estimator.n_iter_no_change is not None and not partial:
        # Before the checkpoint, so that its saved state includes the epoch.
        stopper = stopping_rule(estimator, validating, resume_state)
        callbacks.append(stopper)
    if estimator.checkpoint_dir is not None and not partial:
        # Before the user's callbacks: they see the epoch already saved.
        callbacks.append(
            CheckpointCallback(
                estimator,
                estimator._checkpoint_path_,
                best_only=estimator.checkpoint_best_only,
                monitor="val_loss" if validating else "loss",
                early_stopping=stopper,
                best=resume_state.get("checkpoint_best"),
            )
        )
    callbacks += estimator._user_callbacks()
    callbacks += estimator._extra_callbacks()
    callbacks += estimator._solver_.callbacks(
        estimator, X.shape[0], validating, partial
    )
    if estimator.learning_rate_schedule is not None:
        callbacks.append(
            schedule_callback(
                estimator.learning_rate_schedule, estimator._initial_learning_rate_
            )
        )
    return callbacks, stopper

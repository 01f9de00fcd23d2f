"""The callbacks of one training run, in the order they must run.

1. divergence: a NaN epoch stops the run before anything else sees it;
2. early stopping: before the checkpoint, so the state it saves includes the
   epoch (patience count, best loss, best weights);
3. the checkpoint: before the user's callbacks, which see the epoch already
   saved;
4. the user's callbacks, the estimator's own (stateful resets), the schedule.
"""

from __future__ import annotations

from ._checkpoint import CheckpointCallback, ResumableEarlyStopping
from ._divergence import StopOnNonFiniteLoss
from .callbacks import schedule_callback


def training_callbacks(estimator, X, *, monitor, partial, resume_state=None) -> list:
    """The callback list for a run of ``estimator`` on training rows ``X``."""
    resume_state = resume_state or {}
    # First: no later callback (checkpoint, schedule, user's) sees a NaN epoch.
    callbacks = [StopOnNonFiniteLoss(X, estimator._initial_learning_rate_)]
    stopper = None
    if estimator.n_iter_no_change is not None and not partial:
        # Before the checkpoint, so that its saved state includes the epoch.
        stopper = ResumableEarlyStopping(
            monitor=monitor,
            min_delta=estimator.tol,
            patience=estimator.n_iter_no_change,
            restore_best_weights=monitor == "val_loss",
            resume_state=resume_state,
        )
        callbacks.append(stopper)
    if estimator.checkpoint_dir is not None and not partial:
        # Before the user's callbacks: they see the epoch already saved.
        callbacks.append(
            CheckpointCallback(
                estimator,
                estimator._checkpoint_path_,
                best_only=estimator.checkpoint_best_only,
                monitor=monitor,
                early_stopping=stopper,
                best=resume_state.get("checkpoint_best"),
            )
        )
    callbacks += list(estimator.callbacks) if estimator.callbacks else []
    callbacks += estimator._extra_callbacks()
    if estimator.learning_rate_schedule is not None:
        callbacks.append(
            schedule_callback(
                estimator.learning_rate_schedule, estimator._initial_learning_rate_
            )
        )
    return callbacks

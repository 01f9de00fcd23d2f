"""One training run of an estimator, between its checks and the engine.

``train_run`` takes what ``fit`` prepared (validated X, encoded targets, sample
weights, the seed), holds out the validation rows when early stopping asks for
them (shuffled, stratified for classifiers), assembles the run's callbacks,
hands one ``TrainingRequest`` to the estimator's engine, and records the run:
``history_`` and the fitted attributes scikit-learn users read
(``set_training_attributes``), and the ConvergenceWarning when a fit runs out of
epochs before its stopping rule is met.
"""

from __future__ import annotations

import os

import scipy.sparse as sp

from .._engine import TrainingRequest, best_so_far, warn_not_converged
from .._persistence import checkpoint_path, data_digest, load_checkpoint
from ._fit_callbacks import training_callbacks
from ._sklearn_callbacks import epoch_tasks, fit_data
from ._validation_data import validation_arrays


def resumable_run(est, X, y, sample_weight, reset: bool, partial: bool):
    """With ``checkpoint_dir``: note this run's checkpoint file, and return the
    interrupted run it holds for this configuration and data (else None)."""
    if est.checkpoint_dir is None or partial:
        return None
    data = (X.data, X.indices, X.indptr) if sp.issparse(X) else (X,)
    est._checkpoint_path_ = checkpoint_path(
        est, X.shape[1:], data_digest(*data, y, sample_weight)
    )
    if reset and os.path.exists(est._checkpoint_path_):
        return load_checkpoint(est, est._checkpoint_path_)
    return None


def _holdout(est, X, y_enc, sample_weight, y_raw, seed, partial):
    """``(X, y_enc, sample_weight)`` to train on, the validation arrays (None when
    nothing validates) and the indices of the training rows (None: all): the
    validation data given to ``fit`` (``X_val``), else the held-out rows."""
    if not partial:
        given = validation_arrays(est, fit_data(est))
        if given is not None:
            return X, y_enc, sample_weight, given, None
    fraction = None if partial else est._holdout_fraction()
    if not fraction:
        return X, y_enc, sample_weight, None, None
    idx_train, idx_val = est._validation_split(y_raw, seed, fraction)
    arrays_val = [X[idx_val], y_enc[idx_val]]
    if sample_weight is not None:
        arrays_val.append(sample_weight[idx_val])
        sample_weight = sample_weight[idx_train]
    return X[idx_train], y_enc[idx_train], sample_weight, arrays_val, idx_train


def train_run(
    est, X, y_enc, sample_weight, y_raw, *, epochs, seed, partial, resume_state
):
    """Train ``est.model_`` for ``epochs`` more epochs (see the module doc)."""
    X, y_enc, sample_weight, arrays_val, idx_train = _holdout(
        est, X, y_enc, sample_weight, y_raw, seed, partial
    )
    arrays = [X, y_enc] + ([sample_weight] if sample_weight is not None else [])
    callbacks, stopper = training_callbacks(
        est,
        X,
        validating=arrays_val is not None,
        partial=partial,
        resume_state=resume_state,
    )
    tasks = None if partial else epoch_tasks(est, idx_train)
    if tasks is not None:  # last: its hooks see the epoch as the others left it
        callbacks.append(tasks)
    initial_epoch = len(est.history_.get("loss", []))
    request = TrainingRequest(
        model=est.model_,
        arrays=arrays,
        batch_size=est._resolve_batch_size(X.shape[0]),
        epochs=initial_epoch + epochs,
        initial_epoch=initial_epoch,
        val_arrays=arrays_val,
        callbacks=callbacks,
        seed=seed,
        distributed=est.distribution is not None,
        **{"verbose": est.verbose, **est._fit_options()},
    )
    history = est._training_engine().train(request)
    for key, values in history.history.items():
        est.history_.setdefault(key, []).extend(float(v) for v in values)
    est._set_training_attributes()
    ran = len(est.history_.get("loss", [])) - initial_epoch
    stopped = tasks is not None and tasks.stopped  # by a scikit-learn callback
    if (
        stopper is not None
        and not stopper.converged
        and not stopped
        and 0 < epochs == ran
    ):
        warn_not_converged(est._solver_.not_converged_message(est))


def set_training_attributes(est) -> None:
    """``loss_curve_``, ``n_iter_``, ``validation_scores_``,
    ``best_validation_score_`` and ``best_loss_`` from ``est.history_``."""
    est.loss_curve_ = list(est.history_.get("loss", []))
    est.n_iter_ = len(est.loss_curve_) - getattr(est, "_iter_offset_", 0)
    score = est._score_metric()
    name = None
    if score is not None:
        name = score if isinstance(score, str) else score.name
    val = est.history_.get(f"val_{name}") if name else None
    est.validation_scores_ = list(val) if val is not None else None
    est.best_validation_score_ = None
    if est.validation_scores_ is not None:
        est.best_validation_score_ = best_so_far(
            {"score": est.validation_scores_}, "score", "max"
        )
    # None under early stopping, as in scikit-learn: the validation score
    # decides there, not the training loss.
    est.best_loss_ = None
    if not est.early_stopping and est.loss_curve_:
        est.best_loss_ = best_so_far(est.history_, "loss", "min")

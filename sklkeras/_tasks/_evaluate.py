"""Scoring a task: every model on the same splits, one result row per model."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import get_scorer
from sklearn.model_selection import KFold, StratifiedKFold

from ..model_selection import cross_validate
from ._task import Task

# metric name -> (scorer name, sign to turn the scorer into the reported figure)
METRICS = {
    "accuracy": ("accuracy", 1.0),
    "roc_auc": ("roc_auc", 1.0),
    "mse": ("neg_mean_squared_error", -1.0),
}


def evaluate(task: Task, *, cv=10, seed=7, quick=False, n_jobs=None, progress=None):
    """Score every model of ``task`` on the same CV splits.

    Returns a list of dict rows: task, model, metric, mean, std, fit_seconds,
    n_splits.
    """
    if task.holdout:
        (X_train, y_train), (X_test, y_test) = task.load()
        if quick:  # a smoke run: a slice of each part
            X_train, y_train, X_test, y_test = (
                X_train[:2000],
                y_train[:2000],
                X_test[:500],
                y_test[:500],
            )
        X = np.concatenate([X_train, X_test])
        y = np.concatenate([y_train, y_test])
        splits = [(np.arange(len(X_train)), np.arange(len(X_train), len(X)))]
    else:
        X, y = task.load()
        splitter = (StratifiedKFold if task.classification else KFold)(
            n_splits=cv, shuffle=True, random_state=seed
        )
        splits = list(splitter.split(X, y))
    scorer_name, sign = METRICS[task.metric]
    scorer = get_scorer(scorer_name)
    rows = []
    for model_name, estimator in task.models(seed, quick).items():
        Xm = task.extra.get(model_name, lambda d: d)(X)
        if progress:
            progress(f"{task.name}: {model_name} ({len(splits)} folds)")
        with warnings.catch_warnings():
            # Baselines at their max_iter warn on every fold; the table says enough.
            warnings.simplefilter("ignore", ConvergenceWarning)
            # sklkeras models on JAX: the folds' networks train as one program.
            results = cross_validate(
                estimator,
                Xm,
                y,
                cv=splits,
                scoring=scorer,
                n_jobs=n_jobs,
                error_score="raise",
            )
        scores = sign * results["test_score"]
        fit_times = results["fit_time"]
        rows.append(
            {
                "task": task.name,
                "model": model_name,
                "metric": task.metric,
                "mean": float(scores.mean()),
                "std": float(scores.std()),
                "fit_seconds": float(fit_times.mean()),
                "n_splits": len(splits),
            }
        )
    return rows

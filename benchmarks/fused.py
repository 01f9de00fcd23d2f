"""Workloads of bench.py for ``sklkeras.model_selection`` (fused training).

W6  10-fold ``cross_val_score`` of make_pipeline(StandardScaler(), the Pima book
    MLP: (12, 8), 150 epochs, batch 10) through ``sklkeras.model_selection``,
    against scikit-learn's MLP in the same pipeline through scikit-learn's
    ``cross_val_score``, and against scikit-learn's ``cross_val_score`` over the
    same sklkeras pipeline (sequential folds).
W7  ``GridSearchCV`` over 12 candidates (3 learning rates x 4 alphas) x 5 folds of
    the same pipeline: ``sklkeras.model_selection.GridSearchCV`` against
    scikit-learn's ``GridSearchCV`` over the same estimator (n_jobs=1); the ranks of
    the two ``cv_results_`` are compared (Spearman correlation, best candidate).
W7s the shorter grid: 4 learning rates x 3 alphas x 5 folds, 30 epochs, where
    compiling weighs more.
W8  5-fold CV of the digits CNN (1,797 x 8 x 8, filters (32, 64), dense 128, 20
    epochs, batch 32): fused against scikit-learn's sequential folds.

On the TensorFlow backend dense networks are fused as stacked weights, each with
its own learning rate (one group for the whole grid); the CNN of W8 trains one fold at a time there, so W8 reads about
1.0x on TensorFlow.
"""

from __future__ import annotations

import time

import numpy as np
from sklearn import model_selection as skms
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklkeras import CNNClassifier
from sklkeras import model_selection as ms


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _row(workload, impl, seconds, accuracy) -> dict:
    return {
        "workload": workload,
        "impl": impl,
        "seconds": seconds,
        "accuracy": float(accuracy),
        "repeat": 1,
    }


def w6(X, y, peers, log):
    """``peers``: bench.py's factories of the book network ("sklkeras", "sklearn")."""
    cv = StratifiedKFold(10, shuffle=True, random_state=7)

    def pipe(name):
        return make_pipeline(StandardScaler(), peers[name]())

    runs = {
        "sklkeras": lambda: ms.cross_val_score(pipe("sklkeras"), X, y, cv=cv),
        "sklearn MLP": lambda: skms.cross_val_score(pipe("sklearn"), X, y, cv=cv),
        "sequential folds": lambda: skms.cross_val_score(pipe("sklkeras"), X, y, cv=cv),
    }
    rows = []
    for name, run in runs.items():
        log(f"W6 10-fold CV: {name}")
        seconds, scores = _timed(run)
        rows.append(_row("W6 fused cv10", name, seconds, scores.mean()))
    return rows


def _spearman(a, b) -> float:
    ra = np.argsort(np.argsort(-np.asarray(a)))
    rb = np.argsort(np.argsort(-np.asarray(b)))
    return float(np.corrcoef(ra, rb)[0, 1])


def w7(X, y, peers, log):
    grid = {
        "mlpclassifier__learning_rate_init": [0.001, 0.003, 0.01],
        "mlpclassifier__alpha": [0.0, 1e-3, 1e-2, 1e-1],
    }
    return _grid_search("W7 grid 12x5", grid, X, y, peers, log)


def w7s(X, y, peers, log):
    """``peers`` built with 30 epochs: a short grid, where compiling weighs more."""
    grid = {
        "mlpclassifier__learning_rate_init": [0.001, 0.003, 0.01, 0.03],
        "mlpclassifier__alpha": [1e-4, 1e-2, 1.0],
    }
    return _grid_search("W7s grid 12x5 30ep", grid, X, y, peers, log)


def _grid_search(workload, grid, X, y, peers, log):
    cv = StratifiedKFold(5, shuffle=True, random_state=7)
    rows, results = [], {}
    for name, cls in (("sklkeras", ms.GridSearchCV), ("sklearn", skms.GridSearchCV)):
        log(f"{workload}: {name}")
        pipe = make_pipeline(StandardScaler(), peers["sklkeras"]())
        seconds, search = _timed(
            lambda cls=cls, pipe=pipe: cls(pipe, grid, cv=cv, n_jobs=1).fit(X, y)
        )
        results[name] = search
        rows.append(_row(workload, name, seconds, search.best_score_))
    ours, theirs = results["sklkeras"], results["sklearn"]
    rows[0]["rank_spearman"] = _spearman(
        ours.cv_results_["mean_test_score"], theirs.cv_results_["mean_test_score"]
    )
    rows[0]["same_best"] = ours.best_params_ == theirs.best_params_
    rows[0]["speedup"] = rows[1]["seconds"] / rows[0]["seconds"]
    return rows


def w8(log, epochs=20):
    from sklkeras.datasets import load_digits_images

    X, y = load_digits_images(return_X_y=True)
    cnn = CNNClassifier(
        filters=(32, 64),
        dense_units=(128,),
        epochs=epochs,
        batch_size=32,
        n_iter_no_change=None,
        random_state=0,
    )
    cv = KFold(5, shuffle=True, random_state=0)
    rows = []
    for name, fn in (
        ("sklkeras", ms.cross_val_score),
        ("sequential folds", skms.cross_val_score),
    ):
        log(f"W8 digits CNN 5-fold: {name}")
        seconds, scores = _timed(lambda fn=fn: fn(cnn, X, y, cv=cv))
        rows.append(_row("W8 CNN cv5", name, seconds, scores.mean()))
    return rows


def summary(rows) -> str:
    lines = []
    for row in rows:
        if "rank_spearman" in row:
            lines.append(
                f"{row['workload']}: {row['speedup']:.2f}x faster than scikit-learn's "
                f"GridSearchCV over the same estimator; ranking Spearman "
                f"{row['rank_spearman']:.3f} between the two cv_results_, same best "
                f"candidate: {row['same_best']}"
            )
    return "\n".join(lines)

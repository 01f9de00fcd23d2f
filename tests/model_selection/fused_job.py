"""Fused cross-validation and search on the JAX backend, against scikit-learn's
sequential fits, for test_model_selection (run with KERAS_BACKEND=jax; prints one
JSON line)."""

import json
import warnings
from unittest import mock

import keras
import numpy as np
from sklearn import model_selection as skms
from sklearn.base import clone
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklkeras import CNNClassifier, MLPClassifier, MLPRegressor
from sklkeras import model_selection as ms
from sklkeras._engine import FUSING
from sklkeras._engine import _fused_jax as _fused
from sklkeras.datasets import load_digits_images, load_pima_diabetes
from sklkeras.model_selection._validation import _FixedSplits

GROUPS = []  # sizes of the groups a FusedSession trained fused
_original = FUSING["jax"].train


def _recording(requests, key=None):
    GROUPS.append(len(requests))
    return _original(requests, key)


def gap(a, b):
    wa, wb = a.model_.get_weights(), b.model_.get_weights()
    weights = [float(np.max(np.abs(u - v))) for u, v in zip(wa, wb, strict=True)]
    curve = float(np.max(np.abs(np.subtract(a.loss_curve_, b.loss_curve_))))
    return max(weights + [curve])


def standalone(est, X, y, splits, sample_weight=None):
    fits = []
    for train, _ in splits:
        sw = None if sample_weight is None else sample_weight[train]
        fits.append(clone(est).fit(X[train], y[train], sample_weight=sw))
    return fits


def main():
    out = {"backend": keras.backend.backend()}
    rng = np.random.RandomState(0)
    X = rng.normal(size=(157, 6)).astype(np.float32)
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    sw = rng.uniform(0.5, 2.0, size=len(y))
    splits = list(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y))
    cv = _FixedSplits(splits)

    # 1. plain, weighted and early-stopped fits against standalone ones
    cases = {
        "plain": (MLPClassifier((8,), epochs=10, batch_size=16, random_state=1), None),
        "weighted": (
            MLPClassifier((8, 4), epochs=8, batch_size=10, random_state=2),
            sw,
        ),
        "stopping": (
            MLPClassifier(
                (8,),
                epochs=60,
                batch_size=16,
                random_state=3,
                learning_rate_init=0.05,
                n_iter_no_change=3,
                tol=1e-2,
            ),
            None,
        ),
        "early": (
            MLPClassifier(
                (8,),
                epochs=40,
                batch_size=16,
                random_state=4,
                early_stopping=True,
                n_iter_no_change=3,
            ),
            None,
        ),
    }
    for name, (est, weights) in cases.items():
        GROUPS.clear()
        params = None if weights is None else {"sample_weight": weights}
        res = ms.cross_validate(est, X, y, cv=cv, params=params, return_estimator=True)
        ref = standalone(est, X, y, splits, weights)
        fused = res["estimator"]
        out[f"{name}_groups"] = list(GROUPS)
        out[f"{name}_gap"] = max(gap(a, b) for a, b in zip(fused, ref, strict=True))
        out[f"{name}_n_iter"] = [
            [a.n_iter_, b.n_iter_] for a, b in zip(fused, ref, strict=True)
        ]
        out[f"{name}_history_keys"] = [
            sorted(a.history_) == sorted(b.history_)
            for a, b in zip(fused, ref, strict=True)
        ]
        out[f"{name}_scores"] = [
            res["test_score"].tolist(),
            [
                b.score(X[test], y[test])
                for b, (_, test) in zip(ref, splits, strict=True)
            ],
        ]
        if name == "early":
            out["early_val_gap"] = max(
                float(
                    np.max(
                        np.abs(np.subtract(a.validation_scores_, b.validation_scores_))
                    )
                )
                for a, b in zip(fused, ref, strict=True)
            )

    # 2. a pipeline: scikit-learn's own cross_val_score gives the same scores
    pipe = make_pipeline(
        StandardScaler(), MLPRegressor((6,), epochs=10, random_state=0)
    )
    y_reg = X @ rng.normal(size=6)
    kf = KFold(4, shuffle=True, random_state=0)
    out["pipeline_scores"] = [
        ms.cross_val_score(pipe, X * 10, y_reg, cv=kf).tolist(),
        skms.cross_val_score(pipe, X * 10, y_reg, cv=kf).tolist(),
    ]
    out["predict_equal"] = bool(
        np.allclose(
            ms.cross_val_predict(pipe, X, y_reg, cv=kf),
            skms.cross_val_predict(pipe, X, y_reg, cv=kf),
            atol=1e-5,
        )
    )

    # 3. a grid over learning rate x alpha x epochs: one group, same results
    GROUPS.clear()
    grid = {
        "learning_rate_init": [0.001, 0.02],
        "alpha": [1e-4, 1.0],
        "epochs": [3, 6],
    }
    est = MLPClassifier((8,), batch_size=16, random_state=0, n_iter_no_change=None)
    cv3 = StratifiedKFold(3, shuffle=True, random_state=0)
    fused = ms.GridSearchCV(est, grid, cv=cv3).fit(X, y)
    ref = skms.GridSearchCV(est, grid, cv=cv3).fit(X, y)
    out["grid_groups"] = list(GROUPS)
    out["grid_score_gap"] = float(
        np.max(
            np.abs(
                fused.cv_results_["mean_test_score"]
                - ref.cv_results_["mean_test_score"]
            )
        )
    )
    out["grid_best"] = [fused.best_params_ == ref.best_params_, fused.best_index_]
    out["grid_keys"] = sorted(fused.cv_results_) == sorted(ref.cv_results_)
    out["grid_refit"] = bool(hasattr(fused.best_estimator_, "model_"))

    # 4. failing candidates: an invalid parameter and a diverging rate
    bad = {"learning_rate_init": [0.01, -1.0, 1e6]}
    est = MLPClassifier((8,), epochs=20, random_state=0, solver="sgd")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search = ms.GridSearchCV(est, bad, cv=cv).fit(X * 1e3, y)
    ref = skms.GridSearchCV(est, bad, cv=cv).fit(X * 1e3, y)
    out["failures"] = [
        np.isnan(search.cv_results_[f"split{i}_test_score"]).tolist() for i in range(5)
    ] + [np.isnan(ref.cv_results_[f"split{i}_test_score"]).tolist() for i in range(5)]
    out["failure_warned"] = any(
        issubclass(w.category, FitFailedWarning) for w in caught
    )

    # 5. randomized search draws what scikit-learn draws
    dist = {"learning_rate_init": [0.001, 0.003, 0.01, 0.03], "alpha": [1e-4, 1e-2]}
    est = MLPClassifier((8,), epochs=2, random_state=0, n_iter_no_change=None)
    a = ms.RandomizedSearchCV(est, dist, n_iter=3, cv=3, random_state=5).fit(X, y)
    b = skms.RandomizedSearchCV(est, dist, n_iter=3, cv=3, random_state=5).fit(X, y)
    out["randomized_same_params"] = a.cv_results_["params"] == b.cv_results_["params"]

    # 6. a CNN's folds
    GROUPS.clear()
    Xi, yi = load_digits_images(return_X_y=True)
    Xi, yi = Xi[:300], yi[:300]
    cnn = CNNClassifier(filters=(4,), dense_units=(8,), epochs=2, random_state=0)
    res = ms.cross_validate(cnn, Xi, yi, cv=3, return_estimator=True)
    ref = standalone(cnn, Xi, yi, list(StratifiedKFold(3).split(Xi, yi)))
    out["cnn_groups"] = list(GROUPS)
    out["cnn_gap"] = max(gap(a, b) for a, b in zip(res["estimator"], ref, strict=True))

    # 7. the book's Pima model, 10-fold, against scikit-learn's sequential folds
    Xp, yp = load_pima_diabetes(return_X_y=True)
    book = make_pipeline(
        StandardScaler(),
        MLPClassifier((12, 8), epochs=15, batch_size=10, random_state=0),
    )
    cv10 = StratifiedKFold(10, shuffle=True, random_state=7)
    out["pima"] = [
        float(ms.cross_val_score(book, Xp, yp, cv=cv10).mean()),
        float(skms.cross_val_score(book, Xp, yp, cv=cv10).mean()),
    ]

    # 8. workers: n_jobs=2, and a Dask cluster through joblib
    out["n_jobs_scores"] = ms.cross_val_score(
        cases["plain"][0], X, y, cv=cv, n_jobs=2
    ).tolist()
    from dask.distributed import Client, LocalCluster
    from joblib import parallel_backend

    # Threaded workers: both groups compile their epoch at once (an empty cache).
    _fused._CACHE.clear()
    with LocalCluster(n_workers=1, processes=False) as cluster, Client(cluster):
        with parallel_backend("dask"):
            out["dask_scores"] = ms.cross_val_score(
                cases["plain"][0], X, y, cv=cv, n_jobs=2
            ).tolist()
    print(json.dumps(out, default=int))


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    # The fusing trainer of the engine's table (_engine/_dispatch.py).
    with mock.patch.object(FUSING["jax"], "train", _recording):
        main()

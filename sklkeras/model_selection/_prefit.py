"""Train the networks of a cross-validation or search first, fused; then let
scikit-learn's own code run with those fits.

``prefit`` takes the estimator (an sklkeras estimator, or a Pipeline ending in
one), the candidates' parameters and the splits, and trains every (candidate,
split) network in ``FusedSession`` s: preprocessing steps are fitted per split as
``Pipeline.fit`` fits them, then the final estimators' ``fit`` calls run side by
side, each handing its training to the ``SessionEngine`` put on it
(``est._engine``). The fitted estimators are collected in a ``Prefitted``, keyed
by their parameters and a digest of the data their ``fit`` received, and handed
back on a clone of the estimator (the carrier). scikit-learn's
``cross_validate`` / ``BaseSearchCV.fit`` then run as they always do, on the
carrier and sequentially (``scoring_here``); each of their clones carries the
``Prefitted``, and its ``fit`` takes its twin's state instead of training again,
or raises the exception that fit raised. A fit with no twin (a transformer that
draws at random, a refit) simply trains.

With ``n_jobs`` the work units handed to joblib (and so to Dask) are groups of
fits, each trained fused in its worker.
"""

from __future__ import annotations

import contextlib
import time

import joblib
import keras
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from sklearn.utils import _safe_indexing
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import _check_method_params

from .._engine import FusedSession, train_together
from .._estimator import BaseKerasEstimator, Prefitted, params_key
from .._utils import quiet_tensorflow

# Fits trained in one session at most: bounds the networks held at once.
_UNIT_SIZE = 64


def final_estimator(estimator):
    """The estimator whose network is trained: the last step of a Pipeline."""
    if isinstance(estimator, Pipeline):
        step = estimator.steps[-1][1]
        return None if step in (None, "passthrough") else step
    return estimator


def fusable(estimator, fit_params) -> bool:
    """Whether the fits of ``estimator`` can be fused (else scikit-learn's path)."""
    if keras.backend.backend() not in ("jax", "tensorflow"):
        return False  # the fused trainers are _fused.py (JAX), _fused_tf.py
    final = final_estimator(estimator)
    if not isinstance(final, BaseKerasEstimator) or final.warm_start:
        return False
    if _has_sklearn_callbacks(estimator):
        return False  # their tasks belong to scikit-learn's fits: train there
    allowed = {"sample_weight"}
    if isinstance(estimator, Pipeline):
        allowed = {f"{estimator.steps[-1][0]}__sample_weight"}
    return set(fit_params or {}) <= allowed


def _has_sklearn_callbacks(estimator) -> bool:
    """Whether ``estimator`` (or a step of it) has scikit-learn callbacks."""
    steps = [s for _, s in estimator.steps] if isinstance(estimator, Pipeline) else []
    return any(getattr(e, "_skl_callbacks", None) for e in [estimator, *steps])


def _prepare(estimator, params, X, y, train, fit_params):
    """(final estimator, its X, y, sample_weight) of one fit, preprocessing done."""
    est = clone(estimator)
    if params:
        est.set_params(**clone(params, safe=False))
    X_train = _safe_indexing(X, train)
    y_train = None if y is None else _safe_indexing(y, train)
    fit_params = _check_method_params(X, params=fit_params or {}, indices=train)
    if isinstance(est, Pipeline):
        name = est.steps[-1][0]
        sample_weight = fit_params.get(f"{name}__sample_weight")
        if len(est.steps) > 1:
            X_train = est[:-1].fit_transform(X_train, y_train)
        return est.steps[-1][1], X_train, y_train, sample_weight
    return est, X_train, y_train, fit_params.get("sample_weight")


def _fit_with(est, engine, X, y, sample_weight):
    """``est.fit`` handing its training to ``engine`` (a session's)."""
    est._engine = engine
    try:
        return est.fit(X, y, sample_weight=sample_weight)
    finally:
        est.__dict__.pop("_engine", None)


def train_unit(estimator, X, y, fit_params, jobs) -> list:
    """Fit the (params, train indices) ``jobs`` fused; return
    ``[(key, fitted or exception, seconds), ...]``."""
    start = time.perf_counter()
    keys, tasks = [], []
    for params, train in jobs:
        final, Xt, yt, sw = _prepare(estimator, params, X, y, train, fit_params)
        keys.append(params_key(final, Xt, yt, sw))
        tasks.append(
            lambda engine, f=final, a=Xt, b=yt, w=sw: _fit_with(f, engine, a, b, w)
        )
    with quiet_tensorflow(0):
        results = FusedSession(train_together).run(tasks)
    share = (time.perf_counter() - start) / max(len(jobs), 1)
    return [
        (key, exc if exc is not None else fitted, share)
        for key, (fitted, exc) in zip(keys, results, strict=True)
    ]


def _units(jobs, n_jobs) -> list:
    """Split the jobs into contiguous work units: one per worker, at most
    ``_UNIT_SIZE`` fits each."""
    n_workers = max(1, joblib.effective_n_jobs(n_jobs))
    n_units = max(n_workers, -(-len(jobs) // _UNIT_SIZE))
    n_units = min(n_units, len(jobs)) or 1
    size = -(-len(jobs) // n_units)
    return [jobs[i : i + size] for i in range(0, len(jobs), size)]


def carrying(estimator, prefitted: Prefitted):
    """A clone of ``estimator`` whose final step carries ``prefitted``: every
    clone scikit-learn makes of it carries it too, and their ``fit`` adopts."""
    carrier = clone(estimator)
    final_estimator(carrier)._prefitted = prefitted
    return carrier


def prefit(
    estimator, X, y, jobs, fit_params=None, n_jobs=None, pre_dispatch="2*n_jobs"
):
    """Train ``jobs`` = [(params, train indices), ...] fused.

    Returns ``(carrier, shares)``: a clone of ``estimator`` to hand to
    scikit-learn in place of it (its fits adopt the trained ones, see
    ``carrying``), and each job's share of the training time (seconds), in job
    order.
    """
    units = _units(list(jobs), n_jobs)
    if len(units) == 1 or joblib.effective_n_jobs(n_jobs) == 1:
        outputs = [train_unit(estimator, X, y, fit_params, unit) for unit in units]
    else:
        outputs = Parallel(n_jobs=n_jobs, pre_dispatch=pre_dispatch)(
            delayed(train_unit)(estimator, X, y, fit_params, unit) for unit in units
        )
    fits: dict = {}
    shares = []
    for output in outputs:
        for key, fitted, share in output:
            fits.setdefault(key, []).append(fitted)
            shares.append(share)
    return carrying(estimator, Prefitted(fits)), shares


@contextlib.contextmanager
def scoring_here():
    """scikit-learn's pass runs in this process: its fits are adoptions, and
    scoring is cheap (workers would need the trained networks shipped)."""
    with joblib.parallel_config(backend="sequential"):
        yield

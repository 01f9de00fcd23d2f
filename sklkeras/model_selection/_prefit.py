"""Train the networks of a cross-validation or search first, fused; then let
scikit-learn's own code run with those fits.

``prefit`` takes the estimator (an sklkeras estimator, or a Pipeline ending in
one), the candidates' parameters and the splits, and trains every (candidate,
split) network in ``FusedSession`` s: preprocessing steps are fitted per split as
``Pipeline.fit`` fits them, then the final estimators' ``fit`` calls run side by
side. The fitted estimators are kept in a registry for the duration of a ``with``
block, keyed by their parameters and a digest of the data their ``fit`` received.
Inside the block scikit-learn's ``cross_validate`` / ``BaseSearchCV.fit`` run as
they always do, sequentially; when one of their ``fit`` calls finds its fitted
twin in the registry (``adopt``), it takes its state instead of training again,
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

from .._engine import (
    FusedSession,
    fit_direct,
    fit_fused,
    fit_fused_tf,
    group_key,
    tf_group_key,
)
from .._estimator import (
    REGISTRY,
    BaseKerasEstimator,
    params_key,
)
from .._utils import (
    quiet_tensorflow,
    random_state_scope,
)

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
    allowed = {"sample_weight"}
    if isinstance(estimator, Pipeline):
        allowed = {f"{estimator.steps[-1][0]}__sample_weight"}
    return set(fit_params or {}) <= allowed


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


def train_requests(requests) -> list:
    """Train the networks of ``requests``: same-shape ones together, others alone."""
    on_jax = keras.backend.backend() == "jax"
    key_of = group_key if on_jax else tf_group_key
    groups: dict = {}
    alone = []
    for i, request in enumerate(requests):
        key = key_of(request["model"], request)
        if key is None:
            alone.append(i)
        else:
            groups.setdefault(key, []).append(i)
    for key in [k for k, members in groups.items() if len(members) == 1]:
        alone += groups.pop(key)
    replies = [None] * len(requests)
    for key, members in groups.items():
        for i, reply in zip(
            members,
            fit_fused([requests[i] for i in members], key)
            if on_jax
            else fit_fused_tf([requests[i] for i in members]),
            strict=True,
        ):
            replies[i] = reply
    for i in sorted(alone):
        request = requests[i]
        try:
            with random_state_scope(request["seed"]):
                replies[i] = fit_direct(request)
        except Exception as exc:
            replies[i] = exc
    return replies


def train_unit(estimator, X, y, fit_params, jobs) -> list:
    """Fit the (params, train indices) ``jobs`` fused; return
    ``[(key, fitted or exception, seconds), ...]``."""
    start = time.perf_counter()
    keys, tasks = [], []
    for params, train in jobs:
        final, Xt, yt, sw = _prepare(estimator, params, X, y, train, fit_params)
        keys.append(params_key(final, Xt, yt, sw))
        tasks.append(lambda f=final, a=Xt, b=yt, w=sw: f.fit(a, b, sample_weight=w))
    with quiet_tensorflow(0):
        results = FusedSession(train_requests).run(tasks)
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


@contextlib.contextmanager
def prefit(
    estimator, X, y, jobs, fit_params=None, n_jobs=None, pre_dispatch="2*n_jobs"
):
    """Train ``jobs`` = [(params, train indices), ...] fused, then, inside the
    block, let ``fit`` calls adopt those fits; yields the list of each job's share
    of the training time (seconds), in job order."""
    units = _units(list(jobs), n_jobs)
    if len(units) == 1 or joblib.effective_n_jobs(n_jobs) == 1:
        outputs = [train_unit(estimator, X, y, fit_params, unit) for unit in units]
    else:
        outputs = Parallel(n_jobs=n_jobs, pre_dispatch=pre_dispatch)(
            delayed(train_unit)(estimator, X, y, fit_params, unit) for unit in units
        )
    registry: dict = {}
    shares = []
    for output in outputs:
        for key, fitted, share in output:
            registry.setdefault(key, []).append(fitted)
            shares.append(share)
    token = REGISTRY.set(registry)
    try:
        # scikit-learn's pass runs here, in this process: workers would not see
        # the registry (its fits are adoptions, and scoring is cheap).
        with joblib.parallel_config(backend="sequential"):
            yield shares
    finally:
        REGISTRY.reset(token)

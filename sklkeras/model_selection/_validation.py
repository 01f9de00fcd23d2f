"""Cross-validation functions whose folds' networks train together (see the
package docstring)."""

from __future__ import annotations

import numpy as np
from sklearn import model_selection as _sk
from sklearn.base import is_classifier
from sklearn.metrics import check_scoring
from sklearn.model_selection import check_cv

from ._prefit import (
    fusable,
    prefit,
    scoring_here,
)


class _FixedSplits:
    """A cross-validator that yields the splits it was given (the ones trained)."""

    def __init__(self, splits):
        self.splits = splits

    def split(self, X=None, y=None, groups=None):
        yield from self.splits

    def get_n_splits(self, X=None, y=None, groups=None):
        return len(self.splits)


def _splits(cv, estimator, X, y, groups):
    cv = check_cv(cv, y, classifier=is_classifier(estimator))
    return list(cv.split(X, y, groups))


def _over_folds(function, estimator, X, y, cv, kwargs):
    """scikit-learn's ``function`` over the folds, their networks trained fused
    first when they can be; returns its result and each fold's share of the
    training time (None when not fused)."""
    params = kwargs["params"]
    if not fusable(estimator, params):
        return function(estimator, X, y, cv=cv, **kwargs), None
    splits = _splits(cv, estimator, X, y, kwargs["groups"])
    jobs = [(None, train) for train, _ in splits]
    n_jobs, pre_dispatch = kwargs["n_jobs"], kwargs["pre_dispatch"]
    carrier, shares = prefit(estimator, X, y, jobs, params, n_jobs, pre_dispatch)
    with scoring_here():
        return function(carrier, X, y, cv=_FixedSplits(splits), **kwargs), shares


def cross_validate(
    estimator,
    X,
    y=None,
    *,
    groups=None,
    scoring=None,
    cv=None,
    n_jobs=None,
    verbose=0,
    params=None,
    pre_dispatch="2*n_jobs",
    return_train_score=False,
    return_estimator=False,
    return_indices=False,
    error_score=np.nan,
):
    """Evaluate metrics by cross-validation, training the folds' networks together.

    Takes the arguments of :func:`sklearn.model_selection.cross_validate` and
    returns its dict (``fit_time`` is each fold's share of the fused training).

    Parameters
    ----------
    estimator : estimator object
        An sklkeras estimator or a Pipeline ending in one is trained fused;
        anything else goes to scikit-learn's function.
    X : array-like of shape (n_samples, n_features)
        The data to fit.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
        The target.
    groups : array-like of shape (n_samples,), default=None
        Group labels for group-aware splitters.
    scoring : str, callable, list, tuple or dict, default=None
        Scorer(s), as in scikit-learn.
    cv : int, cross-validation generator or iterable, default=None
        The splitting strategy; an int means ``StratifiedKFold`` for classifiers.
    n_jobs : int, default=None
        Workers for the training; each trains a group of fits fused.
    verbose : int, default=0
        scikit-learn's verbosity.
    params : dict, default=None
        Fit parameters (``sample_weight``, or ``<last step>__sample_weight``).
    pre_dispatch : int or str, default="2*n_jobs"
        As in scikit-learn.
    return_train_score : bool, default=False
        Whether to score the training folds too.
    return_estimator : bool, default=False
        Whether to return the fitted estimators.
    return_indices : bool, default=False
        Whether to return the train and test indices.
    error_score : "raise" or float, default=np.nan
        The score of a fit that failed.

    Returns
    -------
    scores : dict of float arrays of shape (n_splits,)
        scikit-learn's result: ``test_<scorer>``, ``fit_time``, ``score_time``, ...

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklkeras import MLPClassifier
    >>> from sklkeras.model_selection import cross_validate
    >>> X, y = load_iris(return_X_y=True)
    >>> result = cross_validate(MLPClassifier((8,), epochs=5, random_state=0), X, y, cv=3)
    >>> result["test_score"].shape
    (3,)
    """
    kwargs = dict(
        groups=groups,
        scoring=scoring,
        n_jobs=n_jobs,
        verbose=verbose,
        params=params,
        pre_dispatch=pre_dispatch,
        return_train_score=return_train_score,
        return_estimator=return_estimator,
        return_indices=return_indices,
        error_score=error_score,
    )
    result, shares = _over_folds(_sk.cross_validate, estimator, X, y, cv, kwargs)
    if shares is not None:
        result["fit_time"] = result["fit_time"] + np.asarray(shares)
    return result


def cross_val_score(
    estimator,
    X,
    y=None,
    *,
    groups=None,
    scoring=None,
    cv=None,
    n_jobs=None,
    verbose=0,
    params=None,
    pre_dispatch="2*n_jobs",
    error_score=np.nan,
):
    """Cross-validated scores, training the folds' networks together.

    Takes the arguments of :func:`sklearn.model_selection.cross_val_score`.

    Parameters
    ----------
    estimator : estimator object
        An sklkeras estimator or a Pipeline ending in one is trained fused.
    X : array-like of shape (n_samples, n_features)
        The data to fit.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
        The target.
    groups : array-like of shape (n_samples,), default=None
        Group labels for group-aware splitters.
    scoring : str or callable, default=None
        One scorer; None uses the estimator's ``score``.
    cv : int, cross-validation generator or iterable, default=None
        The splitting strategy.
    n_jobs : int, default=None
        Workers for the training.
    verbose : int, default=0
        scikit-learn's verbosity.
    params : dict, default=None
        Fit parameters (``sample_weight`` only, for fusion).
    pre_dispatch : int or str, default="2*n_jobs"
        As in scikit-learn.
    error_score : "raise" or float, default=np.nan
        The score of a fit that failed.

    Returns
    -------
    scores : ndarray of shape (n_splits,)
        The score of each fold.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklkeras import MLPClassifier
    >>> from sklkeras.model_selection import cross_val_score
    >>> X, y = load_iris(return_X_y=True)
    >>> scores = cross_val_score(MLPClassifier((8,), epochs=5, random_state=0), X, y, cv=3)
    >>> scores.shape
    (3,)
    """
    scorer = check_scoring(estimator, scoring=scoring)
    result = cross_validate(
        estimator,
        X,
        y,
        groups=groups,
        scoring={"score": scorer},
        cv=cv,
        n_jobs=n_jobs,
        verbose=verbose,
        params=params,
        pre_dispatch=pre_dispatch,
        error_score=error_score,
    )
    return result["test_score"]


def cross_val_predict(
    estimator,
    X,
    y=None,
    *,
    groups=None,
    cv=None,
    n_jobs=None,
    verbose=0,
    params=None,
    pre_dispatch="2*n_jobs",
    method="predict",
):
    """Out-of-fold predictions, training the folds' networks together.

    Takes the arguments of :func:`sklearn.model_selection.cross_val_predict`.

    Parameters
    ----------
    estimator : estimator object
        An sklkeras estimator or a Pipeline ending in one is trained fused.
    X : array-like of shape (n_samples, n_features)
        The data to fit.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
        The target.
    groups : array-like of shape (n_samples,), default=None
        Group labels for group-aware splitters.
    cv : int, cross-validation generator or iterable, default=None
        The splitting strategy; its test sets must partition the rows.
    n_jobs : int, default=None
        Workers for the training.
    verbose : int, default=0
        scikit-learn's verbosity.
    params : dict, default=None
        Fit parameters (``sample_weight`` only, for fusion).
    pre_dispatch : int or str, default="2*n_jobs"
        As in scikit-learn.
    method : str, default="predict"
        ``predict``, ``predict_proba``, ``predict_log_proba`` or
        ``decision_function``.

    Returns
    -------
    predictions : ndarray
        Each row predicted by the model that did not see it.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklkeras import MLPClassifier
    >>> from sklkeras.model_selection import cross_val_predict
    >>> X, y = load_iris(return_X_y=True)
    >>> model = MLPClassifier((8,), epochs=5, random_state=0)
    >>> cross_val_predict(model, X, y, cv=3, method="predict_proba").shape
    (150, 3)
    """
    kwargs = dict(
        groups=groups,
        n_jobs=n_jobs,
        verbose=verbose,
        params=params,
        pre_dispatch=pre_dispatch,
        method=method,
    )
    return _over_folds(_sk.cross_val_predict, estimator, X, y, cv, kwargs)[0]

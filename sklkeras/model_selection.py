"""scikit-learn's cross-validation and searches, with the networks trained together.

``cross_validate``, ``cross_val_score``, ``cross_val_predict``, ``GridSearchCV`` and
``RandomizedSearchCV`` take the arguments of scikit-learn's functions and classes
of the same names and return the same structures, because scikit-learn's own code
computes them. What changes is the training: when the estimator is an sklkeras
estimator, or a Pipeline ending in one, the networks of all folds and all
candidates are trained first, those of the same shape and batch size as one
program: on JAX one vectorised program (``_fused.py``), on TensorFlow dense
networks as stacked weights (``_fused_tf.py``; there one learning rate per group,
and other networks train one by one). scikit-learn's code then runs with those
fits instead of training again. Preprocessing steps are fitted per fold as
scikit-learn fits them.

Everything else (another estimator, another backend, fit parameters other than
``sample_weight``) goes to scikit-learn's functions unchanged. ``fit_time`` in the
results is each fit's share of the fused training.
"""

from __future__ import annotations

import re
import textwrap

import numpy as np
from sklearn import model_selection as _sk
from sklearn.base import is_classifier
from sklearn.metrics import check_scoring
from sklearn.model_selection import ParameterGrid, ParameterSampler, check_cv

from ._fused_prefit import fusable, prefit

__all__ = [
    "GridSearchCV",
    "RandomizedSearchCV",
    "cross_val_predict",
    "cross_val_score",
    "cross_validate",
]


# Parameters the two search classes share, written once (numpydoc).
_COMMON = """
    scoring : str, callable, list, tuple or dict, default=None
        How each candidate is scored on the test folds, as in scikit-learn; None
        uses the estimator's ``score``.
    n_jobs : int, default=None
        Workers for the training; each trains a group of fits fused.
    refit : bool, str or callable, default=True
        Refit the best candidate on the whole data (``best_estimator_``); with
        several scorers, the name of the one that picks it.
    cv : int, cross-validation generator or iterable, default=None
        The splitting strategy; an int means ``StratifiedKFold`` for classifiers.
    verbose : int, default=0
        scikit-learn's verbosity.
    pre_dispatch : int or str, default="2*n_jobs"
        How many jobs joblib dispatches ahead.
    error_score : "raise" or float, default=np.nan
        The score of a fit that failed (``"raise"`` raises its error).
    return_train_score : bool, default=False
        Whether ``cv_results_`` holds the training folds' scores too."""


def _with_common(doc: str) -> str:
    """``doc`` with the shared parameters in place of its ``%s``, indented alike."""
    indent = re.search(r"^( *)estimator : ", doc, re.MULTILINE).group(1)
    start = doc.index("%s")
    placed = len(doc[:start]) - len(doc[:start].rstrip(" "))  # the %s line's indent
    common = textwrap.indent(textwrap.dedent(_COMMON).strip("\n"), indent)
    return doc % common[placed:]


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
    with prefit(estimator, X, y, jobs, params, n_jobs, pre_dispatch) as shares:
        return function(estimator, X, y, cv=_FixedSplits(splits), **kwargs), shares


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


class _FusedSearchMixin:
    """``fit`` trains every (candidate, split) network first, fused; scikit-learn's
    ``BaseSearchCV.fit`` then scores them (and refits the best one)."""

    def _candidates(self) -> list:
        raise NotImplementedError

    def fit(self, X, y=None, **params):
        """Train every (candidate, split) network, score them, refit the best.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Target values.
        **params : dict
            Fit parameters (``sample_weight`` or ``<last step>__sample_weight`` for
            fusion) and ``groups`` for group-aware splitters.

        Returns
        -------
        self : object
            The fitted search.
        """
        fit_params = {k: v for k, v in params.items() if k != "groups"}
        if not fusable(self.estimator, fit_params):
            return super().fit(X, y, **params)
        splits = _splits(self.cv, self.estimator, X, y, params.get("groups"))
        candidates = self._candidates()
        jobs = [(c, train) for c in candidates for train, _ in splits]
        with prefit(
            self.estimator, X, y, jobs, fit_params, self.n_jobs, self.pre_dispatch
        ) as shares:
            self._fused_plan = (candidates, _FixedSplits(splits))
            try:
                super().fit(X, y, **params)
            finally:
                del self._fused_plan
        per_candidate = np.asarray(shares).reshape(len(candidates), len(splits))
        self.cv_results_["mean_fit_time"] += per_candidate.mean(axis=1)
        return self

    def _run_search(self, evaluate_candidates, *, callback_ctx=None):
        # scikit-learn >= 1.9 passes callback_ctx to a _run_search that takes it.
        kwargs = {} if callback_ctx is None else {"callback_ctx": callback_ctx}
        plan = getattr(self, "_fused_plan", None)
        if plan is None:
            return super()._run_search(evaluate_candidates, **kwargs)
        candidates, splits = plan

        def evaluate_trained(candidate_params, cv=None, more_results=None, **kw):
            # the candidates and splits that were trained, whatever was drawn
            return evaluate_candidates(
                candidates, cv=splits, more_results=more_results, **kw
            )

        super()._run_search(evaluate_trained, **kwargs)


class GridSearchCV(_FusedSearchMixin, _sk.GridSearchCV):
    """scikit-learn's ``GridSearchCV``, with the candidates' networks trained
        together.

        Same constructor, attributes (``cv_results_``, ``best_estimator_``,
        ``best_params_``, ...) and behaviour as
        :class:`sklearn.model_selection.GridSearchCV`. When the estimator is an
        sklkeras estimator or a Pipeline ending in one, every
        (candidate, fold) network is trained first, those sharing a shape and batch
        size in one vectorised program (learning rates, L2 penalties, epochs, seeds may
        differ); the search then scores those fits. ``mean_fit_time`` is each fit's
        share of that training. With ``n_jobs``, each worker trains a group of fits.

        Parameters
        ----------
        estimator : estimator object
            The estimator to tune (an sklkeras estimator or Pipeline is fused).
        param_grid : dict or list of dict
            Parameter names mapped to the values to try.
    %s

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklkeras import MLPClassifier
        >>> from sklkeras.model_selection import GridSearchCV
        >>> X, y = load_iris(return_X_y=True)
        >>> search = GridSearchCV(
        ...     MLPClassifier((8,), epochs=5, random_state=0),
        ...     {"learning_rate_init": [0.001, 0.01]},
        ...     cv=3,
        ... ).fit(X, y)
        >>> sorted(search.best_params_)
        ['learning_rate_init']
    """

    def _candidates(self):
        return list(ParameterGrid(self.param_grid))


GridSearchCV.__doc__ = _with_common(GridSearchCV.__doc__)


class RandomizedSearchCV(_FusedSearchMixin, _sk.RandomizedSearchCV):
    """scikit-learn's ``RandomizedSearchCV``, with the candidates' networks trained
        together.

        Same constructor, attributes and behaviour as
        :class:`sklearn.model_selection.RandomizedSearchCV`; the candidates are drawn
        once (``ParameterSampler`` with ``random_state``) and trained as in
        :class:`GridSearchCV`.

        Parameters
        ----------
        estimator : estimator object
            The estimator to tune (an sklkeras estimator or Pipeline is fused).
        param_distributions : dict or list of dict
            Parameter names mapped to distributions (with ``rvs``) or lists to draw
            from.
        n_iter : int, default=10
            Number of candidates drawn.
        random_state : int, RandomState instance or None, default=None
            Seeds the draw of the candidates.
    %s

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklkeras import MLPClassifier
        >>> from sklkeras.model_selection import RandomizedSearchCV
        >>> X, y = load_iris(return_X_y=True)
        >>> search = RandomizedSearchCV(
        ...     MLPClassifier((8,), epochs=5, random_state=0),
        ...     {"alpha": [1e-4, 1e-2, 1.0]},
        ...     n_iter=2,
        ...     cv=3,
        ...     random_state=0,
        ... ).fit(X, y)
        >>> len(search.cv_results_["params"])
        2
    """

    def _candidates(self):
        return list(
            ParameterSampler(
                self.param_distributions, self.n_iter, random_state=self.random_state
            )
        )


RandomizedSearchCV.__doc__ = _with_common(RandomizedSearchCV.__doc__)

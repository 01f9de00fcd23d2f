"""Grid and randomized searches whose candidates' networks train together (see
the package docstring)."""

from __future__ import annotations

import re
import textwrap

import numpy as np
from sklearn import model_selection as _sk
from sklearn.model_selection import ParameterGrid, ParameterSampler

from ._prefit import (
    fusable,
    prefit,
    scoring_here,
)
from ._validation import (
    _FixedSplits,
    _splits,
)

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


def _with_common(doc: str, before_error_score: str = "") -> str:
    """``doc`` with the shared parameters in place of its ``%s``, indented alike;
    ``before_error_score`` (numpydoc lines) goes where the signature has it."""
    indent = re.search(r"^( *)estimator : ", doc, re.MULTILINE).group(1)
    start = doc.index("%s")
    placed = len(doc[:start]) - len(doc[:start].rstrip(" "))  # the %s line's indent
    shared = textwrap.dedent(_COMMON).strip("\n")
    if before_error_score:
        extra = textwrap.dedent(before_error_score).strip("\n")
        shared = shared.replace("error_score : ", f"{extra}\nerror_score : ", 1)
    common = textwrap.indent(shared, indent)
    return doc % common[placed:]


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
        # scikit-learn callbacks on the search see its fits' epochs: not fused
        if getattr(self, "_skl_callbacks", None) or not fusable(
            self.estimator, fit_params
        ):
            return super().fit(X, y, **params)
        splits = _splits(self.cv, self.estimator, X, y, params.get("groups"))
        candidates = self._candidates()
        jobs = [(c, train) for c in candidates for train, _ in splits]
        carrier, shares = prefit(
            self.estimator, X, y, jobs, fit_params, self.n_jobs, self.pre_dispatch
        )
        # scikit-learn's pass runs on the carrier (its fits adopt the trained
        # networks); the user's estimator is put back whatever happens.
        user_estimator, self.estimator = self.estimator, carrier
        self._fused_plan = (candidates, _FixedSplits(splits))
        try:
            with scoring_here():
                super().fit(X, y, **params)
        finally:
            self.estimator = user_estimator
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


RandomizedSearchCV.__doc__ = _with_common(
    RandomizedSearchCV.__doc__,
    before_error_score="""
    random_state : int, RandomState instance or None, default=None
        Seeds the draw of the candidates.""",
)

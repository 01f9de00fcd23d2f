"""Fits trained ahead, fused, and their adoption by the fits that ask for them.

``sklkeras.model_selection`` trains every network of a cross-validation or a
search first, fused (``model_selection/_prefit.py``), then lets scikit-learn's own
code run, which clones and fits as it always does. The trained fits reach those
clones explicitly: the estimator handed to scikit-learn carries a ``Prefitted``
on its final step (``est._prefitted``), every clone of it carries the same one
(``BaseKerasEstimator.__sklearn_clone__``), and ``fit`` takes it off and adopts
its twin's state instead of training, when it has one. Nothing is process-wide:
an estimator without the attribute fits as always.
"""

from __future__ import annotations

import threading

import joblib

from .._engine import ENGINE


def params_key(est, X, y, sample_weight) -> tuple:
    """What identifies a fit: the estimator's parameters and its data."""
    params = repr(sorted(est.get_params(deep=False).items()))
    return params, joblib.hash((X, y, sample_weight))


class Prefitted:
    """Fitted estimators (or the exceptions their fits raised) by ``params_key``.

    ``adopt`` may be called from several threads (a search's scikit-learn pass
    under a threading backend): the lists are popped under a lock.
    """

    def __init__(self, fits: dict):
        self._fits = fits  # params_key -> [fitted estimator or exception, ...]
        self._lock = threading.Lock()

    def adopt(self, est, X, y, sample_weight) -> bool:
        """Give ``est`` the state of its prefitted twin (True), or raise the
        exception its fit raised; False when there is none."""
        key = params_key(est, X, y, sample_weight)
        with self._lock:
            twins = self._fits.get(key)
            fitted = twins.pop(0) if twins else None
        if fitted is None:
            return False
        if isinstance(fitted, BaseException):
            raise fitted
        est.__dict__.update(fitted.__dict__)
        return True


class AdoptionMixin:
    """The estimator side: its engine for a fit, and clones that keep carrying."""

    def _training_engine(self):
        """The engine this fit hands its ``TrainingRequest`` to: the process's
        (``ENGINE``), or the one a fused search put on this estimator for the fit
        it runs (``_engine``, see ``model_selection/_prefit.py``)."""
        return self.__dict__.get("_engine", ENGINE)

    def __sklearn_clone__(self):
        clone = super().__sklearn_clone__()
        prefitted = self.__dict__.get("_prefitted")
        if prefitted is not None:  # a fused search's carrier: its clones adopt
            clone._prefitted = prefitted
        return clone

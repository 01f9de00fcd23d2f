"""The fits a ``prefit`` block trained (``_fused_prefit.py``), and their adoption.

Kept apart so that the estimators' ``fit`` (``_base.py``) can look a fit up
without importing the fused machinery.
"""

from __future__ import annotations

import contextvars

import joblib

# fits of one prefit block: (params, data digest) -> [fitted estimator or exception]
REGISTRY: contextvars.ContextVar = contextvars.ContextVar(
    "sklkeras_prefit", default=None
)


def params_key(est, X, y, sample_weight) -> tuple:
    """What identifies a fit: the estimator's parameters and its data."""
    params = repr(sorted(est.get_params(deep=False).items()))
    return params, joblib.hash((X, y, sample_weight))


def adopt(est, X, y, sample_weight) -> bool:
    """Inside ``prefit``: give ``est`` the state of its prefitted twin (True), or
    raise the exception its fit raised; False when there is none."""
    registry = REGISTRY.get()
    if not registry:
        return False
    twins = registry.get(params_key(est, X, y, sample_weight))
    if not twins:
        return False
    fitted = twins.pop(0)
    if isinstance(fitted, BaseException):
        raise fitted
    est.__dict__.update(fitted.__dict__)
    return True

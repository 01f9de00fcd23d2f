"""The scikit-learn MLP layer: solvers, L-BFGS, scikit-learn's fitted attributes
and the shared parameter documentation of ``MLPClassifier`` / ``MLPRegressor``.
"""

from ._base import (
    MLP_CONSTRAINTS,
    MLPMixin,
    stochastic_solver,
)
from ._docs import (
    MLP_DOCS,
)

__all__ = [
    "MLPMixin",
    "MLP_CONSTRAINTS",
    "MLP_DOCS",
    "stochastic_solver",
]

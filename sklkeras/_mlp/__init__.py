"""The scikit-learn MLP layer: the solver objects (stochastic, L-BFGS),
scikit-learn's fitted attributes and the shared parameter documentation of
``MLPClassifier`` / ``MLPRegressor``.
"""

from ._base import (
    MLP_CONSTRAINTS,
    MLPMixin,
    make_solver,
    partial_fit_available,
)
from ._docs import (
    MLP_DOCS,
)
from ._lbfgs import (
    LBFGSSolver,
)
from ._solver import (
    MLPSolver,
    SolverState,
)
from ._stochastic import (
    StochasticSolver,
)

__all__ = [
    "LBFGSSolver",
    "MLPMixin",
    "MLPSolver",
    "MLP_CONSTRAINTS",
    "MLP_DOCS",
    "SolverState",
    "StochasticSolver",
    "make_solver",
    "partial_fit_available",
]

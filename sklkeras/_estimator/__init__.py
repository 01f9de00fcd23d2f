"""The estimator base: fit and partial_fit (``_base``), the classifier and
regressor bases (``_targets``), the network builders (``_builders``: shared
pieces and the MLP; ``_builders_cnn``, ``_builders_sequence``), prediction
(``_prediction``), the callbacks of one fit and the default solver
(``_solver``).
"""

from ._adoption import (
    Prefitted,
    params_key,
)
from ._base import (
    BaseKerasEstimator,
)
from ._builders import (
    OPTIMIZERS,
    build_mlp,
    make_initializer,
    make_optimizer,
    per_layer,
)
from ._builders_cnn import (
    AUGMENTATIONS,
    build_cnn,
)
from ._builders_sequence import (
    RECURRENT,
    SEQUENCE_LAYERS,
    build_sequence,
)
from ._solver import (
    KERAS_SOLVER,
    KerasSolver,
)
from ._targets import (
    BaseKerasClassifier,
    BaseKerasRegressor,
)

__all__ = [
    "BaseKerasClassifier",
    "BaseKerasEstimator",
    "BaseKerasRegressor",
    "KERAS_SOLVER",
    "KerasSolver",
    "Prefitted",
    "params_key",
    "AUGMENTATIONS",
    "OPTIMIZERS",
    "RECURRENT",
    "SEQUENCE_LAYERS",
    "build_cnn",
    "build_mlp",
    "build_sequence",
    "make_initializer",
    "make_optimizer",
    "per_layer",
]

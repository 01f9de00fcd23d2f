"""The training engine: which trainer trains a network (``_dispatch``), the
TensorFlow and JAX epoch loops, the fused trainers of many networks, their
grouping keys and sessions, the stopping rule, divergence checks and compile
settings.
"""

from ._compile import (
    check_loss,
    check_metrics,
    current_learning_rate,
    steps_per_execution,
)
from ._dispatch import (
    ENGINE,
    FUSING,
    TRAINERS,
    Engine,
    train_one,
    train_together,
    trainer_for,
)
from ._divergence import (
    StopOnNonFiniteLoss,
    TrainingDivergedError,
    check_finite_output,
)
from ._epochs import (
    ResetStatesEachEpoch,
    reset_states,
)
from ._keys import (
    structure_key,
)
from ._request import (
    Trainer,
    TrainingRequest,
)
from ._session import (
    FusedSession,
    SessionEngine,
)
from ._stopping import (
    NoImprovementStopping,
    best_so_far,
    warn_not_converged,
)

__all__ = [
    "ENGINE",
    "FUSING",
    "TRAINERS",
    "Engine",
    "SessionEngine",
    "Trainer",
    "TrainingRequest",
    "train_one",
    "train_together",
    "trainer_for",
    "FusedSession",
    "NoImprovementStopping",
    "ResetStatesEachEpoch",
    "StopOnNonFiniteLoss",
    "TrainingDivergedError",
    "best_so_far",
    "check_finite_output",
    "check_loss",
    "check_metrics",
    "current_learning_rate",
    "reset_states",
    "steps_per_execution",
    "structure_key",
    "warn_not_converged",
]

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
    fit_arrays,
    fit_direct,
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
from ._fused_jax import (
    fit_fused,
)
from ._fused_tf import (
    fit_fused_tf,
    tf_group_key,
)
from ._keys import (
    group_key,
    structure_key,
)
from ._session import (
    FusedSession,
    in_session,
)
from ._stopping import (
    StoppingMixin,
    best_so_far,
    warn_not_converged,
)

__all__ = [
    "FusedSession",
    "ResetStatesEachEpoch",
    "StopOnNonFiniteLoss",
    "StoppingMixin",
    "TrainingDivergedError",
    "best_so_far",
    "check_finite_output",
    "check_loss",
    "check_metrics",
    "current_learning_rate",
    "fit_arrays",
    "fit_direct",
    "fit_fused",
    "fit_fused_tf",
    "group_key",
    "in_session",
    "reset_states",
    "steps_per_execution",
    "structure_key",
    "tf_group_key",
    "warn_not_converged",
]

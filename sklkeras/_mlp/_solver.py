"""scikit-learn's MLP optimisation settings, mapped onto Keras.

- ``solver="adam"``: ``keras.optimizers.Adam(learning_rate_init, beta_1, beta_2,
  epsilon)``; ``solver="sgd"``: ``keras.optimizers.SGD(learning_rate_init,
  momentum, nesterov=nesterovs_momentum)``. Both update rules are scikit-learn's
  (``_stochastic_optimizers.py``) step for step. ``solver="lbfgs"`` is ``_lbfgs.py``.
- ``learning_rate`` (SGD only, as in scikit-learn): "constant"; "invscaling",
  ``learning_rate_init / (t + 1) ** power_t`` after each epoch, ``t`` being the
  samples seen (``t_``); "adaptive", the rate divided by 5 each time the stopping
  rule runs out of patience, training stopping once it is at most 1e-6.
- ``loss``: scikit-learn's losses as Keras losses: the log-loss (summed over the
  labels of a multilabel target), half the squared error, half the Poisson
  deviance on an exponential output.
- ``epochs`` and ``max_iter``: ``epochs=None`` (the default) defers to
  ``max_iter``; a set ``epochs`` is the budget, and ``max_iter`` must then be left
  at its default or be equal.

Everything here is read at ``fit``; nothing in ``__init__``. ``MLPSolver`` is
what the two solver objects share (``_stochastic.StochasticSolver``,
``_lbfgs.LBFGSSolver``): the estimator makes one from ``solver`` at each fit and
asks it for everything that depends on the solver.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import keras
from keras import ops
from sklearn.utils._param_validation import Interval, StrOptions

from .._estimator import OPTIMIZERS, KerasSolver
from .._estimator import make_optimizer as make_keras_optimizer
from .._utils import compile_loss_in
from ._attributes import check_finite_weights

MAX_ITER_DEFAULT = 200

# scikit-learn 1.9's constraints for the parameters the Keras base does not have.
SOLVER_CONSTRAINTS = {
    "solver": [StrOptions({"lbfgs", "sgd", "adam"})],
    "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
    "power_t": [Interval(Real, 0, None, closed="left")],
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "epochs": [Interval(Integral, 1, None, closed="left"), None],
    "shuffle": ["boolean"],
    "momentum": [Interval(Real, 0, 1, closed="both")],
    "nesterovs_momentum": ["boolean"],
    "beta_1": [Interval(Real, 0, 1, closed="left")],
    "beta_2": [Interval(Real, 0, 1, closed="left")],
    "epsilon": [Interval(Real, 0, None, closed="neither")],
    "max_fun": [Interval(Integral, 1, None, closed="left")],
    "optimizer": [
        StrOptions(set(OPTIMIZERS)),
        keras.optimizers.Optimizer,
        None,
    ],
}


def max_epochs(est) -> int:
    """The epoch (or L-BFGS iteration) budget from ``epochs`` and ``max_iter``."""
    if est.epochs is None:
        return est.max_iter
    if est.max_iter not in (MAX_ITER_DEFAULT, est.epochs):
        raise ValueError(
            f"epochs={est.epochs} and max_iter={est.max_iter} disagree. They are two "
            "spellings of the same budget: set one of them (epochs=None defers to "
            "max_iter)."
        )
    return est.epochs


def check_schedules(est) -> None:
    """Refuse two learning-rate schedules at once, naming them."""
    if est.learning_rate != "constant" and est.learning_rate_schedule is not None:
        raise ValueError(
            f"learning_rate={est.learning_rate!r} and learning_rate_schedule are two "
            "learning-rate schedules; set one of them."
        )


def make_optimizer(est):
    """The Keras optimizer for ``solver`` / ``optimizer``.

    ``optimizer`` set: a name is that Keras optimizer at ``learning_rate_init``
    (Keras's other defaults); an object is copied with all its own settings,
    learning rate included. ``optimizer=None``: the solver's optimizer with
    scikit-learn's settings.
    """
    if isinstance(est.optimizer, keras.optimizers.Optimizer):
        return make_keras_optimizer(est.optimizer)
    if isinstance(est.optimizer, str):
        return make_keras_optimizer(est.optimizer, est.learning_rate_init)
    rate = (
        {}
        if est.learning_rate_init is None
        else {"learning_rate": float(est.learning_rate_init)}
    )
    if est.solver == "adam":
        return keras.optimizers.Adam(
            **rate,
            beta_1=float(est.beta_1),
            beta_2=float(est.beta_2),
            epsilon=float(est.epsilon),
        )
    # sgd, and a placeholder for lbfgs (which never calls it)
    return keras.optimizers.SGD(
        **rate,
        momentum=float(est.momentum),
        nesterov=bool(est.nesterovs_momentum and est.momentum > 0),
    )


# -------------------------------------------------------------------- losses
@keras.saving.register_keras_serializable(package="sklkeras")
class HalfSquaredError(keras.losses.Loss):
    """scikit-learn's ``squared_error``: half the mean squared error."""

    def __init__(
        self, reduction="sum_over_batch_size", name="squared_error", dtype=None
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        return 0.5 * ops.mean(ops.square(y_pred - y_true), axis=-1)


@keras.saving.register_keras_serializable(package="sklkeras")
class HalfPoissonDeviance(keras.losses.Loss):
    """scikit-learn's ``poisson`` loss on predicted means (an exponential output):
    ``y log(y / p) - y + p``, summed over the outputs."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        positive = y_true > 0
        y_log_y = ops.where(
            positive, y_true * ops.log(ops.where(positive, y_true, 1)), 0
        )
        deviance = y_log_y - y_true * ops.log(y_pred) - y_true + y_pred
        return ops.sum(deviance, axis=-1)


@keras.saving.register_keras_serializable(package="sklkeras")
class BinaryLogLoss(keras.losses.Loss):
    """scikit-learn's log-loss of sigmoid outputs: the binary cross-entropy summed
    over the labels (one label for a binary target)."""

    def __init__(self, reduction="sum_over_batch_size", name="log_loss", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        # Keras reads the logits behind a sigmoid output, so this is exact.
        return ops.sum(ops.binary_crossentropy(y_true, y_pred), axis=-1)


_LOSSES = {
    "squared_error": HalfSquaredError,
    "poisson": HalfPoissonDeviance,
    "binary_crossentropy": BinaryLogLoss,
    "sparse_categorical_crossentropy": keras.losses.SparseCategoricalCrossentropy,
    "categorical_crossentropy": keras.losses.CategoricalCrossentropy,
}


def keras_loss(loss, dtype: str, *, default: bool):
    """A Keras loss object computing in ``dtype``.

    ``default`` (the user left ``loss`` unset): scikit-learn's loss for the output
    (the log-loss summed over labels). A name the user gave keeps its Keras
    meaning, except scikit-learn's own "squared_error" and "poisson"; losses
    given as objects or functions are used as they are.
    """
    if not isinstance(loss, str):
        return loss
    if loss in ("squared_error", "poisson") or (default and loss in _LOSSES):
        return _LOSSES[loss](dtype=dtype)
    if loss in ("sparse_categorical_crossentropy", "categorical_crossentropy"):
        return _LOSSES[loss](dtype=dtype)
    try:
        found = keras.losses.get(loss)
    except ValueError:
        return loss  # the base names the bad loss
    if isinstance(found, keras.losses.Loss):
        return found
    # A loss function (keras.losses.get("mse")): its Loss class, in ``dtype``.
    name = getattr(found, "__name__", "")
    cls = getattr(keras.losses, "".join(p.capitalize() for p in name.split("_")), None)
    if isinstance(cls, type) and issubclass(cls, keras.losses.Loss):
        return cls(dtype=dtype)
    return found


# -------------------------------------------------------- learning-rate rules
class SolverState:
    """The current learning rate, where scikit-learn keeps it.

    scikit-learn's MLPs expose their optimizer as the private ``_optimizer``, whose
    ``learning_rate`` is the rate in use; this object holds the same number (a
    Python float computed as scikit-learn does), next to the Keras optimizer
    that does the training.
    """

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def __repr__(self):
        return f"SolverState(learning_rate={self.learning_rate!r})"


# ------------------------------------------------------------- solver objects
class MLPSolver(KerasSolver):
    """What both MLP solvers share: scikit-learn's batch size, the optimizer of
    ``solver`` / ``optimizer``, ``t_`` and the learning rate reset by a new fit,
    and the checks around each training run."""

    # Whether partial_fit exists for the solver (scikit-learn: not for lbfgs).
    @staticmethod
    def partial_fit_available() -> bool:
        return True

    def check(self, est) -> None:
        """Refuse settings the solver cannot work with, naming them."""
        check_schedules(est)

    def begin_fit(self, est, reset: bool) -> None:
        """``t_`` and the learning rate start afresh with a new network."""
        if reset:
            est.t_ = 0
            est._optimizer = SolverState(est.learning_rate_init)

    def make_optimizer(self, est):
        return make_optimizer(est)

    def batch_size(self, est, n_samples: int) -> int:
        if est.batch_size == "auto":
            # About 8 steps per epoch, between 32 and 512 rows (benchmarks/defaults.py).
            return min(n_samples, 512, max(32, math.ceil(n_samples / 8)))
        return min(est.batch_size, n_samples)

    def train(self, est, X, y_enc, sample_weight, y_raw, **run) -> None:
        compile_loss_in(est.model_, est._float_dtype().name)  # also after loading
        self.optimise(est, X, y_enc, sample_weight, y_raw, **run)
        check_finite_weights(est.model_)

    def optimise(self, est, X, y_enc, sample_weight, y_raw, **run) -> None:
        """Train ``est.model_`` (``run``: ``epochs``, ``seed``, ``partial``,
        ``resume_state``)."""
        raise NotImplementedError

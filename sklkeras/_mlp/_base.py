"""What MLPClassifier and MLPRegressor share: scikit-learn's MLP on the Keras base.

The mixin translates the MLP parameters into a network (``build_mlp``) and a
loss (``_solver``), keeps scikit-learn's fitted attributes (``_attributes``) and
overrides the base's hooks for X's dtype and sparse X, the epoch budget
(``max_iter``) and the stopping monitor. What depends on ``solver`` is the solver
object's, made at each fit (``make_solver``): ``_stochastic.StochasticSolver``
for "adam" and "sgd", ``_lbfgs.LBFGSSolver`` for "lbfgs"; the base asks it for
the optimizer, the batch size, the training run, its callbacks, the plateau
action and the ConvergenceWarning text (``_estimator/_solver.py``).
"""

from __future__ import annotations

from numbers import Integral, Real

import keras
import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .._estimator import BaseKerasEstimator, build_mlp, make_initializer
from .._scikeras import check_classification_loss
from .._utils import (
    check_tabular_X,
    compile_loss_in,
    float64_supported,
)
from . import _attributes, _lbfgs, _solver
from ._stochastic import StochasticSolver

# scikit-learn's activation names, mapped to Keras's.
_ACTIVATIONS = {"identity": "linear", "logistic": "sigmoid"}
_KERAS_ACTIVATIONS = {
    "relu",
    "tanh",
    "sigmoid",
    "linear",
    "elu",
    "selu",
    "gelu",
    "swish",
    "silu",
    "softplus",
    "leaky_relu",
    "mish",
}

MLP_CONSTRAINTS = {
    **_solver.SOLVER_CONSTRAINTS,
    "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
    "activation": [StrOptions(_KERAS_ACTIVATIONS | set(_ACTIVATIONS)), callable],
    "alpha": [Interval(Real, 0, None, closed="left")],
    "dropout": [Interval(Real, 0, 1, closed="left"), "array-like"],
    "input_dropout": [Interval(Real, 0, 1, closed="left")],
    "kernel_initializer": [str, keras.initializers.Initializer],
    "kernel_constraint": [str, keras.constraints.Constraint, None],
}


def make_solver(est) -> _solver.MLPSolver:
    """The solver object of ``est.solver``, its settings checked."""
    if est.solver == "lbfgs":
        solver = _lbfgs.LBFGSSolver()
    else:
        solver = StochasticSolver(est.solver, est.learning_rate)
    solver.check(est)
    return solver


def partial_fit_available(est) -> bool:
    """``partial_fit`` exists for the stochastic solvers only (AttributeError)."""
    cls = _lbfgs.LBFGSSolver if est.solver == "lbfgs" else StochasticSolver
    return cls.partial_fit_available()


class MLPMixin:
    """scikit-learn's MLP parameters and attributes on the Keras training base."""

    _rebuilt_on_load = ("_solver_",)  # made again by the next fit, not saved

    coefs_ = property(
        lambda self: _attributes.read_weights(self, "coefs_"),
        lambda self, value: _attributes.write_weights(self, "coefs_", value),
    )
    intercepts_ = property(
        lambda self: _attributes.read_weights(self, "intercepts_"),
        lambda self, value: _attributes.write_weights(self, "intercepts_", value),
    )

    # ------------------------------------------------------ parameters -> Keras
    def _hidden_sizes(self) -> tuple[int, ...]:
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, Integral):
            sizes = (sizes,)
        sizes = tuple(sizes)
        if not all(isinstance(s, Integral) and s > 0 for s in sizes):
            raise ValueError(
                "hidden_layer_sizes must be positive integers; got "
                f"{self.hidden_layer_sizes!r}."
            )
        return sizes

    def _check_dropout(self, n_layers: int):
        rates = np.atleast_1d(np.asarray(self.dropout, dtype=float))
        if rates.size not in (1, n_layers) or np.any((rates < 0) | (rates >= 1)):
            raise ValueError(
                "dropout must be a rate in [0, 1) or one rate per hidden layer; got "
                f"{self.dropout!r} for {n_layers} hidden layers."
            )
        return float(rates[0]) if rates.size == 1 else tuple(rates.tolist())

    def _build_network(self, input_shape, n_outputs, output_activation, seed):
        sizes = self._hidden_sizes()
        activation = self.activation
        if isinstance(activation, str):
            activation = _ACTIVATIONS.get(activation, activation)
        batch_size = self._resolve_batch_size(self._n_train_samples_)
        try:
            make_initializer(self.kernel_initializer, None)
        except ValueError:
            raise ValueError(
                "kernel_initializer must name a Keras initializer (e.g. "
                f"'glorot_uniform', 'he_normal', 'random_normal'); got "
                f"{self.kernel_initializer!r}."
            ) from None
        try:
            keras.constraints.get(self.kernel_constraint)
        except ValueError:
            raise ValueError(
                "kernel_constraint must be a keras.constraints.Constraint or a Keras "
                f"name ('max_norm', 'non_neg', 'unit_norm'); got "
                f"{self.kernel_constraint!r}."
            ) from None
        return build_mlp(
            input_shape[0],
            n_outputs,
            hidden_layer_sizes=sizes,
            activation=activation,
            output_activation=output_activation,
            # scikit-learn's penalty is alpha / 2 * ||W||^2 / batch_size per step.
            alpha=self.alpha / (2.0 * batch_size),
            dropout=self._check_dropout(len(sizes)),
            input_dropout=self.input_dropout,
            kernel_initializer=self.kernel_initializer,
            kernel_constraint=self.kernel_constraint,
            dtype=self._float_dtype().name,
            seed=seed,
        )

    def _check_X(self, X, *, reset: bool):
        # X's float dtype is the network's (float64 unless X is float32), and
        # CSR / CSC matrices are accepted, as in scikit-learn.
        dtype = (np.float64, np.float32) if reset else self._float_dtype()
        X = check_tabular_X(
            self, X, reset=reset, dtype=dtype, accept_sparse=["csr", "csc"]
        )
        if reset:
            self._n_train_samples_ = X.shape[0]
            # float32 where the backend would silently compute float64 in float32.
            dtype = X.dtype if float64_supported() else np.dtype(np.float32)
            self._train_dtype_ = dtype.name
            X = X.astype(dtype, copy=False)
        return X

    def _float_dtype(self):
        return np.dtype(getattr(self, "_train_dtype_", "float32"))

    def _max_epochs(self) -> int:
        return _solver.max_epochs(self)

    def _compile_loss(self, loss):
        if hasattr(self, "classes_") and self.loss is not None:
            check_classification_loss(
                loss,
                target_type=self._target_type_,
                n_classes=len(self.classes_),
                units=self._output_spec()[0],
                one_hot=self._one_hot_loss(),
            )
        default = self.loss in (None, "squared_error")
        return _solver.keras_loss(loss, self._float_dtype().name, default=default)

    def _fit_options(self) -> dict:
        return {"shuffle": self.shuffle, "verbose": 0}  # verbose: sklearn's lines

    # ---------------------------------------------------------------- training
    def _new_model(self, input_shape, seed, n_samples):
        model = super()._new_model(input_shape, seed, n_samples)
        _attributes.apply_pending(self, model)  # coefs_ set before partial_fit
        return model

    def _fit(self, X, y, sample_weight, *, epochs, reset, partial=False, classes=None):
        self._solver_ = make_solver(self)  # this fit's solver
        if reset and not partial:
            _attributes.drop_pending(self)  # a fresh fit draws new weights
        elif self.__sklearn_is_fitted__():
            _attributes.apply_pending(self, self.model_)
        self._solver_.begin_fit(self, reset)
        return super()._fit(
            X,
            y,
            sample_weight,
            epochs=epochs,
            reset=reset,
            partial=partial,
            classes=classes,
        )

    def _stopping_monitor(self, validating: bool) -> tuple[str, str]:
        if not validating:
            return "loss", "min"
        score = self._score_metric()
        name = score if isinstance(score, str) else score.name
        return f"val_{name}", "max"  # scikit-learn watches the validation score

    def _set_training_attributes(self):
        super()._set_training_attributes()
        _attributes.set_fitted_attributes(self)

    # -------------------------------------------------------------- prediction
    def _predict_raw(self, X):
        if self.__sklearn_is_fitted__():
            _attributes.apply_pending(self, self.model_)
        return super()._predict_raw(X)

    def __getstate__(self):
        if self.__sklearn_is_fitted__():
            _attributes.apply_pending(self, self.model_)
        return super().__getstate__()

    def save(self, path) -> None:
        if self.__sklearn_is_fitted__():
            _attributes.apply_pending(self, self.model_)
        super().save(path)

    save.__doc__ = BaseKerasEstimator.save.__doc__

    def _loss_grad_lbfgs(self, packed_coef_inter, X, y, sample_weight=None, *unused):
        """scikit-learn's private ``(loss, gradient)`` at a packed weight vector
        (kernels, then biases), with ``y`` binarized as scikit-learn's."""
        problem = _lbfgs.LbfgsProblem(
            self.model_,
            self._check_X(X, reset=False),
            _attributes.sklearn_targets(self, y),
            sample_weight,
        )
        compile_loss_in(self.model_, self._float_dtype().name)
        return problem(packed_coef_inter)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


__all__ = ["MLP_CONSTRAINTS", "MLPMixin", "make_solver", "partial_fit_available"]

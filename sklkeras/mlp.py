"""Multi-layer perceptrons: MLPClassifier and MLPRegressor.

Drop-ins for scikit-learn's: its constructor (``solver``, ``max_iter``, ...), its
fitted attributes (``coefs_``, ``n_iter_``, ...) and behaviour, with a Keras
network behind them and Keras's extras on top. The mapping of scikit-learn's
solver settings onto Keras is in ``_mlp_solver``, the L-BFGS solver in
``_lbfgs``, the weight attributes in ``_mlp_attributes``.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import keras
import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if

from . import _builders, _lbfgs, _mlp_attributes, _mlp_solver
from ._base import BaseKerasEstimator
from ._compat import compile_loss_in
from ._docstrings import fill_doc
from ._mlp_docs import MLP_DOCS
from ._targets import BaseKerasClassifier, BaseKerasRegressor
from ._validation import check_tabular_X

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

_MLP_CONSTRAINTS = {
    **_mlp_solver.SOLVER_CONSTRAINTS,
    "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
    "activation": [StrOptions(_KERAS_ACTIVATIONS | set(_ACTIVATIONS)), callable],
    "alpha": [Interval(Real, 0, None, closed="left")],
    "dropout": [Interval(Real, 0, 1, closed="left"), "array-like"],
    "input_dropout": [Interval(Real, 0, 1, closed="left")],
    "kernel_initializer": [str, keras.initializers.Initializer],
    "kernel_constraint": [str, keras.constraints.Constraint, None],
}


def _stochastic(est) -> bool:
    if est.solver == "lbfgs":
        raise AttributeError(
            "partial_fit is only available for stochastic optimizers. lbfgs is not "
            "stochastic."
        )
    return True


class _MLPMixin:
    """scikit-learn's MLP parameters and attributes on the Keras training base."""

    coefs_ = property(
        lambda self: _mlp_attributes.read_weights(self, "coefs_"),
        lambda self, value: _mlp_attributes.write_weights(self, "coefs_", value),
    )
    intercepts_ = property(
        lambda self: _mlp_attributes.read_weights(self, "intercepts_"),
        lambda self, value: _mlp_attributes.write_weights(self, "intercepts_", value),
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
        n = self._n_train_samples_
        batch_size = n if self.solver == "lbfgs" else self._resolve_batch_size(n)
        try:
            _builders.make_initializer(self.kernel_initializer, None)
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
        return _builders.build_mlp(
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
            self._train_dtype_ = X.dtype.name
        return X

    def _float_dtype(self):
        return np.dtype(getattr(self, "_train_dtype_", "float32"))

    def _max_epochs(self) -> int:
        return _mlp_solver.max_epochs(self)

    def _resolve_batch_size(self, n_samples: int) -> int:
        if self.batch_size == "auto":
            # About 8 steps per epoch, between 32 and 512 rows (benchmarks/defaults.py).
            return min(n_samples, 512, max(32, math.ceil(n_samples / 8)))
        return min(self.batch_size, n_samples)

    def _make_optimizer(self):
        return _mlp_solver.make_optimizer(self)

    def _compile_loss(self, loss):
        default = self.loss in (None, "squared_error")
        return _mlp_solver.keras_loss(loss, self._float_dtype().name, default=default)

    def _fit_options(self) -> dict:
        return {"shuffle": self.shuffle, "verbose": 0}  # verbose: sklearn's lines

    # ---------------------------------------------------------------- training
    def _new_model(self, input_shape, seed, n_samples):
        model = super()._new_model(input_shape, seed, n_samples)
        _mlp_attributes.apply_pending(self, model)  # coefs_ set before partial_fit
        return model

    def _fit(self, X, y, sample_weight, *, epochs, reset, partial=False, classes=None):
        _mlp_solver.check_combinations(self)
        if reset and not partial:
            _mlp_attributes.drop_pending(self)  # a fresh fit draws new weights
        elif self.__sklearn_is_fitted__():
            _mlp_attributes.apply_pending(self, self.model_)
        if reset:
            self.t_ = 0
            self._optimizer = _mlp_solver.SolverState(self.learning_rate_init)
        return super()._fit(
            X,
            y,
            sample_weight,
            epochs=epochs,
            reset=reset,
            partial=partial,
            classes=classes,
        )

    def _train(self, X, y_enc, sample_weight, y_raw, *, epochs, seed, partial):
        compile_loss_in(self.model_, self._float_dtype().name)  # also after loading
        if self.solver == "lbfgs":
            n_iter, loss, losses = _lbfgs.fit_lbfgs(
                self.model_,
                X,
                y_enc,
                sample_weight,
                max_iter=epochs,
                max_fun=self.max_fun,
                tol=self.tol,
                verbose=self.verbose,
            )
            self.history_.setdefault("loss", []).extend(losses)
            self._set_training_attributes()
            self.n_iter_, self.loss_ = n_iter, loss
        else:
            before = len(self.history_.get("loss", []))
            super()._train(
                X,
                y_enc,
                sample_weight,
                y_raw,
                epochs=epochs,
                seed=seed,
                partial=partial,
            )
            ran = len(self.history_.get("loss", [])) - before
            self.t_ += self._epoch_rows * ran
        _mlp_attributes.check_finite_weights(self.model_)

    def _solver_callbacks(self, n_samples, validating, partial):
        self._epoch_rows = n_samples
        state = getattr(self, "_optimizer", None)  # not in a saved file
        if state is None:
            rate = self.learning_rate_init
            state = self._optimizer = _mlp_solver.SolverState(rate)
        callbacks = []
        if _mlp_solver.uses_sgd_schedule(self) and self.optimizer is None:
            if not partial:  # a fit starts at the initial rate, as in scikit-learn
                _mlp_solver.set_rate(self.model_, state, self.learning_rate_init)
            if self.learning_rate == "invscaling":
                callbacks.append(
                    _mlp_solver.InvScaling(
                        state, self.learning_rate_init, self.power_t, self.t_, n_samples
                    )
                )
        if self.verbose:
            score = self._stopping_monitor(True)[0] if validating else None
            callbacks.append(_mlp_solver.IterationLog(score))
        return callbacks

    def _on_plateau(self):
        if _mlp_solver.uses_sgd_schedule(self) and self.learning_rate == "adaptive":
            return _mlp_solver.adaptive_plateau(lambda: self.model_, self._optimizer)
        return None

    def _stopping_monitor(self, validating: bool) -> tuple[str, str]:
        if not validating:
            return "loss", "min"
        score = self._score_metric()
        name = score if isinstance(score, str) else score.name
        return f"val_{name}", "max"  # scikit-learn watches the validation score

    def _not_converged_message(self) -> str:
        return (
            f"Stochastic Optimizer: Maximum iterations ({self._max_epochs()}) reached "
            "and the optimization hasn't converged yet. (Raise max_iter, or set "
            "n_iter_no_change=None to train exactly max_iter epochs.)"
        )

    def _set_training_attributes(self):
        super()._set_training_attributes()
        _mlp_attributes.set_fitted_attributes(self)

    # -------------------------------------------------------------- prediction
    def _predict_raw(self, X):
        if self.__sklearn_is_fitted__():
            _mlp_attributes.apply_pending(self, self.model_)
        return super()._predict_raw(X)

    def __getstate__(self):
        if self.__sklearn_is_fitted__():
            _mlp_attributes.apply_pending(self, self.model_)
        return super().__getstate__()

    def save(self, path) -> None:
        if self.__sklearn_is_fitted__():
            _mlp_attributes.apply_pending(self, self.model_)
        super().save(path)

    save.__doc__ = BaseKerasEstimator.save.__doc__

    def _loss_grad_lbfgs(self, packed_coef_inter, X, y, sample_weight=None, *unused):
        """scikit-learn's private ``(loss, gradient)`` at a packed weight vector
        (kernels, then biases), with ``y`` binarized as scikit-learn's."""
        problem = _lbfgs.LbfgsProblem(
            self.model_,
            self._check_X(X, reset=False),
            _mlp_attributes.sklearn_targets(self, y),
            sample_weight,
        )
        compile_loss_in(self.model_, self._float_dtype().name)
        return problem(packed_coef_inter)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


@fill_doc(**MLP_DOCS)
class MLPClassifier(_MLPMixin, BaseKerasClassifier):
    """Multi-layer perceptron classifier trained with Keras.

    A drop-in for scikit-learn's ``MLPClassifier``: the same constructor (every
    parameter, with its default and meaning), fitted attributes and behaviour,
    plus Keras's ``epochs``, ``optimizer``, ``loss``, ``metrics``, ``dropout``,
    ``callbacks`` and the rest. Binary, multiclass and multilabel (indicator
    matrix) targets; labels may be strings. X may be a CSR / CSC sparse matrix;
    float32 X trains a float32 network, anything else float64, as in scikit-learn.

    Parameters
    ----------
    {mlp_head}
    {mlp_sklearn_params}
    {mlp_epochs_params}
    {mlp_classifier_loss}
    {mlp_keras_params}
    {mlp_class_weight}
    {mlp_tail_params}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    {mlp_attributes}

    See Also
    --------
    MLPRegressor : The regression counterpart.
    sklearn.neural_network.MLPClassifier : scikit-learn's NumPy implementation.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklkeras import MLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = make_pipeline(StandardScaler(),
    ...                     MLPClassifier(hidden_layer_sizes=(16,), max_iter=50,
    ...                                   learning_rate_init=0.01, random_state=0))
    >>> clf.fit(X, y).score(X, y) > 0.9
    True
    >>> clf[-1].coefs_[0].shape, clf[-1].n_layers_, clf[-1].out_activation_
    ((4, 16), 3, 'softmax')
    """

    _parameter_constraints: dict = {
        **BaseKerasClassifier._parameter_constraints,
        **_MLP_CONSTRAINTS,
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        epochs=None,
        optimizer=None,
        loss=None,
        metrics=None,
        dropout=0.0,
        input_dropout=0.0,
        kernel_initializer="glorot_uniform",
        kernel_constraint=None,
        learning_rate_schedule=None,
        class_weight=None,
        callbacks=None,
        checkpoint_dir=None,
        checkpoint_best_only=False,
        distribution=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.epochs = epochs
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.dropout = dropout
        self.input_dropout = input_dropout
        self.kernel_initializer = kernel_initializer
        self.kernel_constraint = kernel_constraint
        self.learning_rate_schedule = learning_rate_schedule
        self.class_weight = class_weight
        self.callbacks = callbacks
        self.checkpoint_dir = checkpoint_dir
        self.checkpoint_best_only = checkpoint_best_only
        self.distribution = distribution

    def _out_activation(self) -> str:
        return "softmax" if self._target_type_ == "multiclass" else "logistic"

    @available_if(_stochastic)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Train one epoch on ``(X, y)``, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Class labels (or a multilabel indicator matrix).
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; never modified.
        classes : array-like of shape (n_classes,), default=None
            Every class of the problem: required on the first call (a batch may
            not hold all of them); later calls may omit it, or must repeat it.

        Returns
        -------
        self : object
            The updated estimator.
        """
        if self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True")
        return self._partial_fit(X, y, classes=classes, sample_weight=sample_weight)


@fill_doc(**MLP_DOCS)
class MLPRegressor(_MLPMixin, BaseKerasRegressor):
    """Multi-layer perceptron regressor trained with Keras.

    A drop-in for scikit-learn's ``MLPRegressor``: the same constructor (every
    parameter, with its default and meaning; ``hidden_layer_sizes`` comes first
    positionally, where scikit-learn 1.7+ puts ``loss``), fitted attributes and
    behaviour, plus Keras's ``epochs``, ``optimizer``, ``metrics``, ``dropout``,
    ``callbacks`` and the rest. Single and multi-output targets; CSR / CSC X;
    float32 X trains a float32 network, anything else float64.

    Parameters
    ----------
    {mlp_head}
    {mlp_regressor_loss}
    {mlp_sklearn_params}
    {mlp_epochs_params}
    {mlp_keras_params}
    {mlp_tail_params}

    Attributes
    ----------
    {mlp_attributes}

    See Also
    --------
    MLPClassifier : The classification counterpart.
    sklearn.neural_network.MLPRegressor : scikit-learn's NumPy implementation.

    Examples
    --------
    >>> import numpy as np
    >>> from sklkeras import MLPRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(200, 3))
    >>> y = X @ [1.0, -2.0, 0.5]
    >>> reg = MLPRegressor(hidden_layer_sizes=(32,), max_iter=100,
    ...                    learning_rate_init=0.01, random_state=0).fit(X, y)
    >>> reg.score(X, y) > 0.9
    True
    >>> lbfgs = MLPRegressor(hidden_layer_sizes=(16,), solver="lbfgs",
    ...                      random_state=0).fit(X, y)
    >>> lbfgs.score(X, y) > 0.99
    True
    """

    _parameter_constraints: dict = {
        **BaseKerasRegressor._parameter_constraints,
        **_MLP_CONSTRAINTS,
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        loss="squared_error",
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        epochs=None,
        optimizer=None,
        metrics=None,
        dropout=0.0,
        input_dropout=0.0,
        kernel_initializer="glorot_uniform",
        kernel_constraint=None,
        learning_rate_schedule=None,
        callbacks=None,
        checkpoint_dir=None,
        checkpoint_best_only=False,
        distribution=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.loss = loss
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.epochs = epochs
        self.optimizer = optimizer
        self.metrics = metrics
        self.dropout = dropout
        self.input_dropout = input_dropout
        self.kernel_initializer = kernel_initializer
        self.kernel_constraint = kernel_constraint
        self.learning_rate_schedule = learning_rate_schedule
        self.callbacks = callbacks
        self.checkpoint_dir = checkpoint_dir
        self.checkpoint_best_only = checkpoint_best_only
        self.distribution = distribution

    def _poisson(self) -> bool:
        return self.loss == "poisson"

    def _out_activation(self) -> str:
        return "exp" if self._poisson() else "identity"

    def _output_spec(self):
        units, _, loss = super()._output_spec()
        return units, ("exponential" if self._poisson() else None), loss

    def _check_y(self, y, n_samples):
        y = super()._check_y(y, n_samples)
        if self._poisson() and np.any(y < 0):
            raise ValueError(
                "loss='poisson' needs non-negative targets (counts, rates); y has "
                f"negative values (min {y.min()!r})."
            )
        return y

    def _decode_values(self, raw):
        raw = np.asarray(raw)  # in the network's dtype, as scikit-learn's
        return raw.ravel() if self._y_ndim_ == 1 else raw

    @available_if(_stochastic)
    def partial_fit(self, X, y, sample_weight=None):
        """Train one epoch on ``(X, y)``, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; never modified.

        Returns
        -------
        self : object
            The updated estimator.
        """
        if self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True")
        return BaseKerasRegressor.partial_fit(self, X, y, sample_weight=sample_weight)

"""Multi-layer perceptrons: MLPClassifier and MLPRegressor."""

from __future__ import annotations

from numbers import Integral, Real

import keras
import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from . import _builders
from ._base import BaseKerasEstimator
from ._docstrings import fill_doc
from ._targets import BaseKerasClassifier, BaseKerasRegressor

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
    "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
    "activation": [StrOptions(_KERAS_ACTIVATIONS | set(_ACTIVATIONS)), callable],
    "alpha": [Interval(Real, 0, None, closed="left")],
    "dropout": [Interval(Real, 0, 1, closed="left"), "array-like"],
    "kernel_initializer": [str, keras.initializers.Initializer],
}


class _MLPMixin:
    """Builds the network from the MLP hyperparameters."""

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
            initializer = _builders.make_initializer(self.kernel_initializer, None)
        except ValueError:
            raise ValueError(
                "kernel_initializer must name a Keras initializer (e.g. "
                f"'glorot_uniform', 'he_normal', 'random_normal'); got "
                f"{self.kernel_initializer!r}."
            ) from None
        del initializer
        return _builders.build_mlp(
            input_shape[0],
            n_outputs,
            hidden_layer_sizes=sizes,
            activation=activation,
            output_activation=output_activation,
            # scikit-learn's penalty is alpha / 2 * ||W||^2 / batch_size per step.
            alpha=self.alpha / (2.0 * batch_size),
            dropout=self._check_dropout(len(sizes)),
            kernel_initializer=self.kernel_initializer,
            seed=seed,
        )

    def _check_X(self, X, *, reset: bool):
        X = BaseKerasEstimator._check_X(self, X, reset=reset)
        if reset:
            self._n_train_samples_ = X.shape[0]
        return X


@fill_doc
class MLPClassifier(_MLPMixin, BaseKerasClassifier):
    """Multi-layer perceptron classifier trained with Keras.

    A drop-in for scikit-learn's ``MLPClassifier``: the same parameter names where
    the meaning is the same, plus Keras's ``epochs``, ``dropout``, ``optimizer``,
    ``loss``, ``metrics`` and ``callbacks``. Binary, multiclass and multilabel
    (indicator matrix) targets; labels may be strings.

    Parameters
    ----------
    hidden_layer_sizes : int or array-like of int, default=(100,)
        Units of each hidden layer.
    activation : str or callable, default="relu"
        Hidden-layer activation: a Keras name ("relu", "tanh", "sigmoid", "elu",
        "gelu", ...) or scikit-learn's "identity" / "logistic".
    alpha : float, default=1e-4
        L2 penalty with scikit-learn's scaling (``alpha / 2 * ||W||^2`` per batch
        sample).
    dropout : float or array-like of float, default=0.0
        Dropout rate after each hidden layer (one value for all, or one per layer).
    kernel_initializer : str or keras.initializers.Initializer, default="glorot_uniform"
        Weight initializer of every layer (the book's ``init``).
    {training_params}
    class_weight : dict, "balanced" or None, default=None
        Weights per class, multiplied into ``sample_weight`` (a copy; the caller's
        array is never changed).
    {common_params}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    {fitted_attributes}

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
    ...                     MLPClassifier(hidden_layer_sizes=(16,), epochs=50,
    ...                                   learning_rate_init=0.01, random_state=0))
    >>> clf.fit(X, y).score(X, y) > 0.9
    True
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
        alpha=1e-4,
        dropout=0.0,
        kernel_initializer="glorot_uniform",
        optimizer="adam",
        learning_rate_init=None,
        learning_rate_schedule=None,
        batch_size="auto",
        epochs=200,
        loss=None,
        metrics=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        class_weight=None,
        callbacks=None,
        checkpoint_dir=None,
        checkpoint_best_only=False,
        distribution=None,
        random_state=None,
        warm_start=False,
        verbose=0,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.alpha = alpha
        self.dropout = dropout
        self.kernel_initializer = kernel_initializer
        self.optimizer = optimizer
        self.learning_rate_init = learning_rate_init
        self.learning_rate_schedule = learning_rate_schedule
        self.batch_size = batch_size
        self.epochs = epochs
        self.loss = loss
        self.metrics = metrics
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.class_weight = class_weight
        self.callbacks = callbacks
        self.checkpoint_dir = checkpoint_dir
        self.checkpoint_best_only = checkpoint_best_only
        self.distribution = distribution
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose


@fill_doc
class MLPRegressor(_MLPMixin, BaseKerasRegressor):
    """Multi-layer perceptron regressor trained with Keras.

    A drop-in for scikit-learn's ``MLPRegressor``, with Keras's ``epochs``,
    ``dropout``, ``optimizer``, ``loss``, ``metrics`` and ``callbacks``. Single and
    multi-output targets.

    Parameters
    ----------
    hidden_layer_sizes : int or array-like of int, default=(100,)
        Units of each hidden layer.
    activation : str or callable, default="relu"
        Hidden-layer activation: a Keras name ("relu", "tanh", "sigmoid", "elu",
        "gelu", ...) or scikit-learn's "identity" / "logistic".
    alpha : float, default=1e-4
        L2 penalty with scikit-learn's scaling (``alpha / 2 * ||W||^2`` per batch
        sample).
    dropout : float or array-like of float, default=0.0
        Dropout rate after each hidden layer (one value for all, or one per layer).
    kernel_initializer : str or keras.initializers.Initializer, default="glorot_uniform"
        Weight initializer of every layer (the book's ``init``).
    {training_params}
    {common_params}

    Attributes
    ----------
    n_outputs_ : int
        Number of regression targets.
    {fitted_attributes}

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
    >>> reg = MLPRegressor(hidden_layer_sizes=(32,), epochs=100,
    ...                    learning_rate_init=0.01, random_state=0).fit(X, y)
    >>> reg.score(X, y) > 0.9
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
        alpha=1e-4,
        dropout=0.0,
        kernel_initializer="glorot_uniform",
        optimizer="adam",
        learning_rate_init=None,
        learning_rate_schedule=None,
        batch_size="auto",
        epochs=200,
        loss=None,
        metrics=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        callbacks=None,
        checkpoint_dir=None,
        checkpoint_best_only=False,
        distribution=None,
        random_state=None,
        warm_start=False,
        verbose=0,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.alpha = alpha
        self.dropout = dropout
        self.kernel_initializer = kernel_initializer
        self.optimizer = optimizer
        self.learning_rate_init = learning_rate_init
        self.learning_rate_schedule = learning_rate_schedule
        self.batch_size = batch_size
        self.epochs = epochs
        self.loss = loss
        self.metrics = metrics
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.callbacks = callbacks
        self.checkpoint_dir = checkpoint_dir
        self.checkpoint_best_only = checkpoint_best_only
        self.distribution = distribution
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose

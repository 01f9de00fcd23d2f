"""Multi-layer perceptrons: MLPClassifier and MLPRegressor.

Drop-ins for scikit-learn's: its constructor (``solver``, ``max_iter``, ...), its
fitted attributes (``coefs_``, ``n_iter_``, ...) and behaviour, with a Keras
network behind them and Keras's extras on top. What the two share is in
``sklkeras/_mlp/``: ``_base`` the shared layer, ``_solver`` scikit-learn's solver
settings mapped onto Keras, ``_stochastic`` and ``_lbfgs`` the solver objects a
fit makes from ``solver``, ``_attributes`` the weight attributes, ``_docs`` the
parameter texts.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.metaestimators import available_if

from ._estimator import (
    BaseKerasClassifier,
    BaseKerasRegressor,
)
from ._mlp import (
    MLP_CONSTRAINTS,
    MLP_DOCS,
    MLPMixin,
    partial_fit_available,
)
from ._utils import fill_doc


@fill_doc(**MLP_DOCS)
class MLPClassifier(MLPMixin, BaseKerasClassifier):
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
        **MLP_CONSTRAINTS,
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

    @available_if(partial_fit_available)
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
class MLPRegressor(MLPMixin, BaseKerasRegressor):
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
        **MLP_CONSTRAINTS,
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

    @available_if(partial_fit_available)
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

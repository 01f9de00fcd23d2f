"""Bring your own Keras model: KerasClassifier and KerasRegressor, scikeras's API.

scikeras 0.13 code runs with only its import changed: model functions take
``meta`` / ``compile_kwargs`` / ``params`` and their own keywords, routed
parameters (``model__units``, ``optimizer__learning_rate``, ``fit__batch_size``)
are searchable, a model compiled by its function keeps its compilation, and
``target_encoder`` / ``feature_encoder`` / ``_keras_build_fn`` are the subclass
hooks. Underneath: sklkeras's base layer (defects 1-10 in docs/design.md fixed) and its
compiled training loop. ``BaseWrapper`` is scikeras's estimator that is neither a
classifier nor a regressor (an autoencoder, say); the shared code lives in
``sklkeras/_scikeras/`` (``_base.py`` the wrapper API, ``_meta.py`` the parameters
and ``meta``, ``_compile.py`` the optimizer / loss / metrics / callbacks,
``_targets.py`` the classifier, regressor and ``BaseWrapper`` targets).
"""

from __future__ import annotations

from sklearn.preprocessing import FunctionTransformer

from ._estimator import (
    BaseKerasClassifier,
    BaseKerasEstimator,
    BaseKerasRegressor,
)
from ._scikeras import (
    WRAPPER_DOCS,
    ClassifierLabelEncoder,
    ClassifierWrapperMixin,
    RegressorTargetEncoder,
    RegressorWrapperMixin,
    WrapperMixin,
    WrapperTargetHooks,
)
from ._utils import fill_doc


@fill_doc(**WRAPPER_DOCS)
class BaseWrapper(WrapperMixin, BaseKerasEstimator, WrapperTargetHooks):
    """scikeras's ``BaseWrapper``: your Keras model, neither classifier nor regressor.

    {wrapper_model}

    y goes to the network as given (``initialize(X)`` needs none), with the loss as
    given; ``predict`` returns the network's output through
    ``target_encoder_.inverse_transform``; ``score`` needs a subclass's
    ``scorer``. Subclass it as scikeras's AutoEncoder example does (override
    ``_keras_build_fn``, ``_initialize``, ``fit``, ``predict``, ``transform``).
    :class:`KerasClassifier` and :class:`KerasRegressor` derive from it.

    Parameters
    ----------
    {wrapper_params}
    {wrapper_extras}

    Attributes
    ----------
    {wrapper_attributes}
    """

    _parameter_constraints: dict = {
        **BaseKerasEstimator._parameter_constraints,
        **WrapperMixin._wrapper_constraints,
    }

    def __init__(
        self,
        model=None,
        *,
        build_fn=None,
        warm_start=False,
        random_state=None,
        optimizer="rmsprop",
        loss=None,
        metrics=None,
        batch_size=None,
        validation_batch_size=None,
        verbose=0,
        callbacks=None,
        validation_split=0.0,
        shuffle=True,
        run_eagerly=False,
        epochs=1,
        learning_rate_init=None,
        learning_rate_schedule=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=None,
        tol=1e-4,
        checkpoint_dir=None,
        checkpoint_best_only=False,
        distribution=None,
        **kwargs,
    ):
        self.model = model
        self.build_fn = build_fn
        self.warm_start = warm_start
        self.random_state = random_state
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.batch_size = batch_size
        self.validation_batch_size = validation_batch_size
        self.verbose = verbose
        self.callbacks = callbacks
        self.validation_split = validation_split
        self.shuffle = shuffle
        self.run_eagerly = run_eagerly
        self.epochs = epochs
        self.learning_rate_init = learning_rate_init
        self.learning_rate_schedule = learning_rate_schedule
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.checkpoint_dir = checkpoint_dir
        self.checkpoint_best_only = checkpoint_best_only
        self.distribution = distribution
        self._init_model_params(kwargs)

    @property
    def target_encoder(self):
        """Transformer for y (scikeras's ``FunctionTransformer()``, y as given)."""
        return FunctionTransformer()


@fill_doc(**WRAPPER_DOCS)
class KerasClassifier(ClassifierWrapperMixin, BaseWrapper, BaseKerasClassifier):
    """scikit-learn classifier around your Keras model, with scikeras 0.13's API.

    {wrapper_model}

    Parameters
    ----------
    {wrapper_params}
    class_weight : dict, "balanced" or None, default=None
        Weights per class, multiplied into ``sample_weight`` (a copy).
    {wrapper_extras}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes.
    {wrapper_attributes}

    Examples
    --------
    >>> import keras
    >>> from sklearn.datasets import load_iris
    >>> from sklkeras import KerasClassifier
    >>> def get_model(hidden_layer_dim, meta):
    ...     model = keras.Sequential([keras.Input((meta["n_features_in_"],))])
    ...     model.add(keras.layers.Dense(hidden_layer_dim, activation="relu"))
    ...     model.add(keras.layers.Dense(meta["n_classes_"], activation="softmax"))
    ...     return model
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = KerasClassifier(get_model, hidden_layer_dim=32, epochs=30,
    ...                       optimizer__learning_rate=0.02, random_state=0)
    >>> clf.fit(X, y).predict_proba(X[:1]).shape
    (1, 3)
    >>> clf.get_params()["optimizer__learning_rate"]
    0.02
    """

    _parameter_constraints: dict = {
        **BaseKerasClassifier._parameter_constraints,
        **WrapperMixin._wrapper_constraints,
    }

    def __init__(
        self,
        model=None,
        *,
        build_fn=None,
        warm_start=False,
        random_state=None,
        optimizer="rmsprop",
        loss=None,
        metrics=None,
        batch_size=None,
        validation_batch_size=None,
        verbose=0,
        callbacks=None,
        validation_split=0.0,
        shuffle=True,
        run_eagerly=False,
        epochs=1,
        class_weight=None,
        learning_rate_init=None,
        learning_rate_schedule=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=None,
        tol=1e-4,
        checkpoint_dir=None,
        checkpoint_best_only=False,
        distribution=None,
        **kwargs,
    ):
        self.model = model
        self.build_fn = build_fn
        self.warm_start = warm_start
        self.random_state = random_state
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.batch_size = batch_size
        self.validation_batch_size = validation_batch_size
        self.verbose = verbose
        self.callbacks = callbacks
        self.validation_split = validation_split
        self.shuffle = shuffle
        self.run_eagerly = run_eagerly
        self.epochs = epochs
        self.class_weight = class_weight
        self.learning_rate_init = learning_rate_init
        self.learning_rate_schedule = learning_rate_schedule
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.checkpoint_dir = checkpoint_dir
        self.checkpoint_best_only = checkpoint_best_only
        self.distribution = distribution
        self._init_model_params(kwargs)

    @property
    def target_encoder(self):
        """Transformer for y (scikeras's ``ClassifierLabelEncoder``).

        Override it in a subclass to encode y for the model (e.g. one array per
        output); its ``inverse_transform(raw, return_proba=False)`` decodes the
        predictions.
        """
        return ClassifierLabelEncoder(loss=self.loss)


@fill_doc(**WRAPPER_DOCS)
class KerasRegressor(RegressorWrapperMixin, BaseWrapper, BaseKerasRegressor):
    """scikit-learn regressor around your Keras model, with scikeras 0.13's API.

    {wrapper_model}

    The default loss is mean squared error; the output layer needs ``n_outputs_``
    units.

    Parameters
    ----------
    {wrapper_params}
    {wrapper_extras}

    Attributes
    ----------
    n_outputs_ : int
        Number of regression targets.
    {wrapper_attributes}

    Examples
    --------
    >>> import keras
    >>> from sklearn.datasets import make_regression
    >>> from sklkeras import KerasRegressor
    >>> def build(meta, units=16):
    ...     inputs = keras.Input((meta["n_features_in_"],))
    ...     hidden = keras.layers.Dense(units, activation="relu")(inputs)
    ...     return keras.Model(inputs, keras.layers.Dense(1)(hidden))
    >>> X, y = make_regression(n_samples=200, n_features=5, noise=1.0, random_state=0)
    >>> reg = KerasRegressor(build, model__units=32, epochs=100, optimizer="adam",
    ...                      optimizer__learning_rate=0.02, random_state=0)
    >>> reg.fit(X, y / 100).predict(X[:3]).shape, bool(reg.score(X, y / 100) > 0.8)
    ((3,), True)
    """

    _parameter_constraints: dict = {
        **BaseKerasRegressor._parameter_constraints,
        **WrapperMixin._wrapper_constraints,
    }

    def __init__(
        self,
        model=None,
        *,
        build_fn=None,
        warm_start=False,
        random_state=None,
        optimizer="rmsprop",
        loss=None,
        metrics=None,
        batch_size=None,
        validation_batch_size=None,
        verbose=0,
        callbacks=None,
        validation_split=0.0,
        shuffle=True,
        run_eagerly=False,
        epochs=1,
        learning_rate_init=None,
        learning_rate_schedule=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=None,
        tol=1e-4,
        checkpoint_dir=None,
        checkpoint_best_only=False,
        distribution=None,
        **kwargs,
    ):
        self.model = model
        self.build_fn = build_fn
        self.warm_start = warm_start
        self.random_state = random_state
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.batch_size = batch_size
        self.validation_batch_size = validation_batch_size
        self.verbose = verbose
        self.callbacks = callbacks
        self.validation_split = validation_split
        self.shuffle = shuffle
        self.run_eagerly = run_eagerly
        self.epochs = epochs
        self.learning_rate_init = learning_rate_init
        self.learning_rate_schedule = learning_rate_schedule
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.checkpoint_dir = checkpoint_dir
        self.checkpoint_best_only = checkpoint_best_only
        self.distribution = distribution
        self._init_model_params(kwargs)

    @property
    def target_encoder(self):
        """Transformer for y (scikeras's ``RegressorTargetEncoder``); override it in
        a subclass to encode y for the model."""
        return RegressorTargetEncoder()


# Their target_encoder / feature_encoder are the defaults, not a subclass's.
WrapperMixin._default_encoder_owners = (BaseWrapper, KerasClassifier, KerasRegressor)

__all__ = ["BaseWrapper", "KerasClassifier", "KerasRegressor"]

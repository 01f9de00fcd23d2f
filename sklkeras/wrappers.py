"""Bring your own Keras model: KerasClassifier and KerasRegressor, scikeras's API.

scikeras 0.13 code runs with only its import changed: model functions take
``meta`` / ``compile_kwargs`` / ``params`` and their own keywords, routed
parameters (``model__units``, ``optimizer__learning_rate``, ``fit__batch_size``)
are searchable, a model compiled by its function keeps its compilation, and
``target_encoder`` / ``feature_encoder`` / ``_keras_build_fn`` are the subclass
hooks. Underneath are sklkeras's base layer (DESIGN.md defects 1-10 fixed) and its
compiled training loop. ``BaseWrapper`` (``_wrapper_base.py``) holds the shared
part; ``_wrapper_meta.py`` the parameters and ``meta``, ``_wrapper_compile.py`` the
optimizer / loss / metrics / callbacks resolution.
"""

from __future__ import annotations

from ._estimator import (
    BaseKerasClassifier,
    BaseKerasRegressor,
)
from ._scikeras import (
    WRAPPER_DOCS,
    BaseWrapper,
    ClassifierLabelEncoder,
    RegressorTargetEncoder,
)
from ._utils import fill_doc


@fill_doc(**WRAPPER_DOCS)
class KerasClassifier(BaseWrapper, BaseKerasClassifier):
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
        **BaseWrapper._wrapper_constraints,
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

    def _legacy_meta(self) -> dict:
        meta = super()._legacy_meta()
        custom = getattr(self, "_custom_encoders_", False)  # the encoder's meta
        if not custom and hasattr(self, "classes_") and hasattr(self, "_target_type_"):
            binary = self._target_type_ == "binary"
            meta["n_classes_"] = len(self.classes_)
            meta["n_outputs_"] = 1 if binary else len(self.classes_)
            meta["target_type_"] = self._target_type_
        return meta

    def _wrapper_metrics(self) -> list:
        # Accuracy per epoch for every classifier (history_["accuracy"]).
        return [self._score_metric()]

    def _fit_target(self, y, classes=None):
        if self._custom_encoders():
            self.classes_ = None
        super()._fit_target(y, classes)

    def _resolve_output(self, units: int):
        """Check the output width against the target; pick the encoding and loss."""
        n_classes = len(self.classes_)
        if self._target_type_ == "binary" and units == 2:
            self._target_type_ = "multiclass"  # softmax over both classes
        expected = {"binary": 1}.get(self._target_type_, n_classes)
        if units != expected:
            allowed = "1 (sigmoid) or 2 (softmax)" if n_classes == 2 else str(expected)
            raise ValueError(
                f"The model's output has {units} unit(s), but the target has "
                f"{n_classes} classes ({self._target_type_}): the output layer needs "
                f"{allowed} units."
            )
        return self._output_spec()[2]

    def predict_proba(self, X, **kwargs):
        """Class probabilities for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.
        **kwargs : dict
            Keras ``predict`` arguments (over ``predict__`` parameters).

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, columns ordered as ``classes_``; always 2-D.
        """
        raw = self._predict_raw(X, **kwargs)
        if getattr(self, "_custom_encoders_", False):
            return self._decode_custom(raw, return_proba=True)
        return self._decode_proba(raw)

    def predict(self, X, **kwargs):
        """Predicted class labels for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.
        **kwargs : dict
            Keras ``predict`` arguments (over ``predict__`` parameters).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Labels from ``classes_`` (one-hot rows if y was one-hot).
        """
        if getattr(self, "_custom_encoders_", False):
            return self._decode_custom(self._predict_raw(X, **kwargs))
        return self._decode_labels(self.predict_proba(X, **kwargs))

    def partial_fit(self, X, y, classes=None, sample_weight=None, **kwargs):
        """Train one epoch on ``(X, y)``, continuing from the current weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        classes : array-like of shape (n_classes,), default=None
            Every class of the problem; needed on the first call with labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; never modified.
        **kwargs : dict
            Keras ``fit`` arguments for this call (over ``partial_fit__``).

        Returns
        -------
        self : object
            The updated estimator.
        """
        return self._fit_call(
            kwargs,
            "partial_fit",
            self._partial_fit,
            X,
            y,
            classes=classes,
            sample_weight=sample_weight,
        )


@fill_doc(**WRAPPER_DOCS)
class KerasRegressor(BaseWrapper, BaseKerasRegressor):
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
        **BaseWrapper._wrapper_constraints,
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

    def _resolve_output(self, units: int):
        if units != self.n_outputs_:
            raise ValueError(
                f"The model's output has {units} unit(s), but y has "
                f"{self.n_outputs_} target column(s): the output layer needs "
                f"{self.n_outputs_} units."
            )
        return self._output_spec()[2]

    def predict(self, X, **kwargs):
        """Predicted values for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.
        **kwargs : dict
            Keras ``predict`` arguments (over ``predict__`` parameters).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions, 1-D when the target was 1-D at fit.
        """
        raw = self._predict_raw(X, **kwargs)
        if getattr(self, "_custom_encoders_", False):
            return self._decode_custom(raw)
        return self._decode_values(raw)

    def partial_fit(self, X, y, sample_weight=None, **kwargs):
        """Train one epoch on ``(X, y)``, continuing from the current weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; never modified.
        **kwargs : dict
            Keras ``fit`` arguments for this call (over ``partial_fit__``).

        Returns
        -------
        self : object
            The updated estimator.
        """
        return self._fit_call(
            kwargs, "partial_fit", super().partial_fit, X, y, sample_weight
        )


# Their target_encoder / feature_encoder are the defaults, not a subclass's.
BaseWrapper._default_encoder_owners = (KerasClassifier, KerasRegressor)

__all__ = ["BaseWrapper", "KerasClassifier", "KerasRegressor"]

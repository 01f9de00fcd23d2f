"""Bring your own Keras model: KerasClassifier and KerasRegressor."""

from __future__ import annotations

import inspect

import keras
import numpy as np
from sklearn.base import is_classifier
from sklearn.utils.validation import check_array

from . import _builders
from ._docstrings import fill_doc
from ._targets import BaseKerasClassifier, BaseKerasRegressor

# Fitted values a model-building function may ask for by name.
_META = (
    "n_features_in_",
    "n_classes_",
    "n_outputs_",
    "input_shape_",
    "classes_",
    "target_type_",
)


_CLASSIFIER_META = {"n_classes_", "classes_", "target_type_"}

# Keras Model.fit arguments that scikeras users pass to the wrapper directly.
_SCIKERAS_FIT_ARGS = {"validation_split", "shuffle", "validation_batch_size"}


class _UserModelMixin:
    """Builds the user's network (function or model) and checks its output."""

    _user_model_constraints = {
        "model": [callable, None],  # a function or a keras.Model (callable too)
    }

    def _init_model_params(self, model_params: dict) -> None:
        for name, value in model_params.items():
            setattr(self, name, value)
        self._model_param_names = tuple(sorted(model_params))

    def _builder_defaults(self) -> dict:
        """Keyword parameters (with defaults) of the model function, metadata aside."""
        model = getattr(self, "model", None)
        if model is None or isinstance(model, keras.Model) or not callable(model):
            return {}
        try:
            signature = inspect.signature(model)
        except (TypeError, ValueError):
            return {}
        own = set(self._get_param_names())  # never hidden by the function's names
        kinds = (
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            inspect.Parameter.KEYWORD_ONLY,
        )
        return {
            name: p.default
            for name, p in signature.parameters.items()
            if name not in _META
            and name not in own
            and p.kind in kinds
            and p.default is not p.empty
        }

    def get_params(self, deep=True):
        """Parameters, including the model function's hyperparameters.

        Keywords given to the estimator and the keyword parameters of the model
        function (at their defaults until set) are all searchable.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of sub-objects that have ``get_params``.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        params = super().get_params(deep=deep)
        params.update(self._builder_defaults())
        params.update(self._model_params())
        return params

    def set_params(self, **params):
        """Set parameters, the model function's hyperparameters included.

        Parameters
        ----------
        **params : dict
            Estimator parameters and model-function hyperparameters by name.

        Returns
        -------
        self : estimator
            This estimator.
        """
        own = set(getattr(self, "_model_param_names", ())) | set(
            self._builder_defaults()
        )
        if "model" in params:  # the new function decides which names are its own
            self.model = params.pop("model")
            own |= set(self._builder_defaults())
        extra = {name: params.pop(name) for name in list(params) if name in own}
        for name, value in extra.items():
            setattr(self, name, value)
        self._model_param_names = tuple(
            sorted(set(getattr(self, "_model_param_names", ())) | set(extra))
        )
        return super().set_params(**params)

    def _check_X(self, X, *, reset: bool):
        ndim = getattr(X, "ndim", None) or np.asarray(X, dtype=object).ndim
        if ndim <= 2:  # tables: feature names and counts as scikit-learn has them
            X = super()._check_X(X, reset=reset)
        else:  # images, sequences: any shape the model takes
            X = check_array(X, allow_nd=True, dtype=np.float32, ensure_all_finite=True)
            if reset:
                self.n_features_in_ = int(np.prod(X.shape[1:]))
            elif tuple(X.shape[1:]) != self.input_shape_:
                raise ValueError(
                    f"X has samples of shape {tuple(X.shape[1:])}, but "
                    f"{type(self).__name__} was fitted on {self.input_shape_}."
                )
        if reset:
            self.input_shape_ = tuple(int(s) for s in X.shape[1:])
        return X

    def _meta_names(self) -> tuple:
        """The metadata this estimator offers a model function."""
        if is_classifier(self):
            return _META
        return tuple(n for n in _META if n not in _CLASSIFIER_META)

    def _meta(self) -> dict:
        meta = {n: getattr(self, n) for n in self._meta_names() if hasattr(self, n)}
        if hasattr(self, "classes_"):
            meta["n_classes_"] = len(self.classes_)
        return meta

    def _build_user_model(self) -> keras.Model:
        model = self.model
        if model is None:
            raise ValueError(
                f"{type(self).__name__} needs model=: a function returning a "
                "keras.Model, or a keras.Model."
            )
        extra = self._model_params()
        if isinstance(model, keras.Model):
            if extra:
                raise ValueError(
                    f"{type(self).__name__} got keyword(s) {sorted(extra)}, which are "
                    "passed to a model-building function; model= is a keras.Model "
                    "instance, which takes none."
                )
            # A fresh copy with newly initialised weights; the caller's model is
            # never trained in place.
            return keras.models.clone_model(model)
        signature = inspect.signature(model)
        available = {**self._meta(), **extra}
        takes_all = any(
            p.kind is inspect.Parameter.VAR_KEYWORD
            for p in signature.parameters.values()
        )
        shadowed = sorted(set(signature.parameters) & set(self._get_param_names()))
        if shadowed:
            raise ValueError(
                f"The model function's parameter(s) {shadowed} have the names of "
                f"{type(self).__name__} parameters, which configure training and "
                "never reach the function: rename them in the function."
            )
        unknown = sorted(set(extra) - set(signature.parameters))
        if unknown and not takes_all:
            hint = ""
            if any("__" in name or name in _SCIKERAS_FIT_ARGS for name in unknown):
                hint = (
                    " scikeras-style routed names (model__units, fit__epochs, "
                    "validation_split) are not used here: give the builder's own "
                    "parameter names (units=...), and training settings as the "
                    "estimator's parameters (epochs=..., early_stopping=True, "
                    "validation_fraction=...)."
                )
            raise ValueError(
                f"{type(self).__name__} got keyword(s) {unknown} that the model "
                f"function {getattr(model, '__name__', model)!r} does not take; its "
                f"parameters are {list(signature.parameters)}.{hint}"
            )
        kwargs = {}
        for name, param in signature.parameters.items():
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            if name in available:
                kwargs[name] = available[name]
            elif param.default is inspect.Parameter.empty:
                raise ValueError(
                    f"The model function asks for {name!r}, which is neither fitted "
                    f"metadata ({', '.join(self._meta_names())}) nor a parameter given to "
                    f"{type(self).__name__}."
                )
        if takes_all:
            kwargs.update({k: v for k, v in available.items() if k not in kwargs})
        built = model(**kwargs)
        if not isinstance(built, keras.Model):
            raise TypeError(
                f"The model function must return a keras.Model; got "
                f"{type(built).__name__}."
            )
        return built

    def _model_params(self) -> dict:
        return {
            name: getattr(self, name)
            for name in getattr(self, "_model_param_names", ())
        }

    def _new_model(self, input_shape, seed, n_samples):
        model = self._build_user_model()
        outputs = model.outputs if getattr(model, "outputs", None) else None
        if outputs is not None and len(outputs) != 1:
            raise ValueError(
                f"{type(self).__name__} supports single-output models; this one has "
                f"{len(outputs)} outputs."
            )
        units = int(model.output_shape[-1])
        loss = self._resolve_output(units)
        self._model_loss_ = None
        if self.loss is None and getattr(model, "compiled", False) and model.loss:
            loss = self._model_loss_ = model.loss  # keep the model's own loss
        model.compile(
            optimizer=_builders.make_optimizer(self.optimizer, self.learning_rate_init),
            loss=loss,
            metrics=self._compile_metrics(),
            steps_per_execution=self._steps_per_execution(n_samples),
        )
        return model

    def _custom_objects(self) -> dict:
        objs = super()._custom_objects()
        for value in self._model_params().values():
            if callable(value) and hasattr(value, "__name__"):
                objs[value.__name__] = value
        return objs


@fill_doc
class KerasClassifier(_UserModelMixin, BaseKerasClassifier):
    """scikit-learn classifier around any single-output Keras model you build.

    ``model`` is a function that returns a ``keras.Model`` (called at every fit
    with the fitted metadata it asks for by name: ``n_features_in_``,
    ``n_classes_``, ``n_outputs_`` (output units expected: 1 for binary),
    ``input_shape_``, ``classes_``, ``target_type_`` ("binary", "multiclass" or
    "multilabel-indicator"), and with any
    extra keyword given to the estimator, each of which becomes a searchable
    parameter), or a ``keras.Model`` (cloned with fresh weights for every fit, never
    trained in place). All the base-layer behaviour of the named estimators holds:
    tags, stratified CV, probability scorers, scoped seeding, quiet training, input
    validation, persistence and the fast training loop.

    The output layer must fit the target: 1 unit (sigmoid) or 2 units (softmax) for
    a binary target, ``n_classes_`` units for multiclass and multilabel targets. A
    mismatch is a ``ValueError`` naming both before any training. The estimator
    compiles the network with ``optimizer`` / ``learning_rate_init`` and ``loss``
    (default: the loss the model was compiled with, else the usual one for the
    target) and ``metrics``: a model compiled by its builder keeps only its loss,
    its optimizer and metrics are replaced by the estimator's. A keyword the model
    function does not take is a ``ValueError`` at fit, never silently ignored.

    Parameters
    ----------
    model : callable or keras.Model
        Model-building function or model.
    {training_params}
    class_weight : dict, "balanced" or None, default=None
        Weights per class, multiplied into ``sample_weight`` (a copy).
    {common_params}
    **model_params : dict
        Hyperparameters passed to ``model`` by name; searchable like any parameter.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    input_shape_ : tuple of int
        Shape of one sample.
    {fitted_attributes}

    Examples
    --------
    >>> import keras
    >>> from sklearn.datasets import load_iris
    >>> from sklkeras import KerasClassifier
    >>> def build(n_features_in_, n_classes_, units=16):
    ...     inputs = keras.Input((n_features_in_,))
    ...     hidden = keras.layers.Dense(units, activation="relu")(inputs)
    ...     return keras.Model(inputs, keras.layers.Dense(n_classes_, activation="softmax")(hidden))
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = KerasClassifier(build, units=32, epochs=30, learning_rate_init=0.02,
    ...                       random_state=0).fit(X, y)
    >>> clf.get_params()["units"], clf.predict_proba(X[:1]).shape
    (32, (1, 3))
    """

    _parameter_constraints: dict = {
        **BaseKerasClassifier._parameter_constraints,
        **_UserModelMixin._user_model_constraints,
    }

    def __init__(
        self,
        model=None,
        *,
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
        **model_params,
    ):
        self.model = model
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
        self._init_model_params(model_params)

    def _meta(self) -> dict:
        meta = super()._meta()
        target_type = getattr(self, "_target_type_", None)
        meta["n_outputs_"] = 1 if target_type == "binary" else len(self.classes_)
        meta["target_type_"] = target_type
        return meta

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


@fill_doc
class KerasRegressor(_UserModelMixin, BaseKerasRegressor):
    """scikit-learn regressor around any single-output Keras model you build.

    As :class:`KerasClassifier`, for numeric targets: the model's output layer
    needs ``n_outputs_`` units (1 for a 1-D target); the default loss is mean
    squared error.

    Parameters
    ----------
    model : callable or keras.Model
        Model-building function or model.
    {training_params}
    {common_params}
    **model_params : dict
        Hyperparameters passed to ``model`` by name; searchable like any parameter.

    Attributes
    ----------
    n_outputs_ : int
        Number of regression targets.
    input_shape_ : tuple of int
        Shape of one sample.
    {fitted_attributes}

    Examples
    --------
    >>> import keras
    >>> from sklearn.datasets import make_regression
    >>> from sklkeras import KerasRegressor
    >>> def build(n_features_in_, units=16):
    ...     inputs = keras.Input((n_features_in_,))
    ...     hidden = keras.layers.Dense(units, activation="relu")(inputs)
    ...     return keras.Model(inputs, keras.layers.Dense(1)(hidden))
    >>> X, y = make_regression(n_samples=200, n_features=5, noise=1.0, random_state=0)
    >>> reg = KerasRegressor(build, units=32, epochs=100, learning_rate_init=0.02,
    ...                      random_state=0).fit(X, y / 100)
    >>> reg.predict(X[:3]).shape, bool(reg.score(X, y / 100) > 0.8)
    ((3,), True)
    """

    _parameter_constraints: dict = {
        **BaseKerasRegressor._parameter_constraints,
        **_UserModelMixin._user_model_constraints,
    }

    def __init__(
        self,
        model=None,
        *,
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
        **model_params,
    ):
        self.model = model
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
        self._init_model_params(model_params)

    def _resolve_output(self, units: int):
        if units != self.n_outputs_:
            raise ValueError(
                f"The model's output has {units} unit(s), but y has "
                f"{self.n_outputs_} target column(s): the output layer needs "
                f"{self.n_outputs_} units."
            )
        return self._output_spec()[2]


__all__ = ["KerasClassifier", "KerasRegressor"]

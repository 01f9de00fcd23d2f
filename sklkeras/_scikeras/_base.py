"""``WrapperMixin``: scikeras 0.13's wrapper API on sklkeras's base layer.

The model function (or model) is built and compiled as scikeras does it
(``_meta.py``, ``_compile.py``); training keeps sklkeras's compiled epoch
loop, validation split, seeding and quiet defaults (defects 1-10 in docs/design.md stay
fixed). Targets and features go through ``target_encoder`` / ``feature_encoder``
when a subclass overrides them (scikeras's hooks, e.g. for multi-input or
multi-output models); otherwise sklkeras's own encoding (``_targets.py``) is used,
which is scikeras's for every single-output target and keeps ``predict_proba``
2-D.
"""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import keras
import numpy as np
from sklearn.base import is_classifier, is_regressor
from sklearn.utils._param_validation import Interval, Options
from sklearn.utils.validation import check_is_fitted

from .._engine import check_metrics
from .._utils import FLOATX, quiet_tensorflow
from ._compile import (
    add_metric,
    check_compile_kwargs,
    compile_kwargs,
    full_metric_names,
    kept_compile,
    resolve_callbacks,
)
from ._encoders import EncodersMixin, _overridden
from ._keras_fit import (
    COMPILE_KWARGS,
    FIT_ARGS,
    FIT_KWARGS,
    PREDICT_KWARGS,
    n_rows,
    one_array,
    train_keras_fit,
)
from ._meta import ParamsMixin
from ._model_param import (
    BUILD_FN_MESSAGE,
    BuildFnWarning,
    copy_passed_model,
    model_param,
)


class WrapperMixin(EncodersMixin, ParamsMixin):
    """scikeras's wrapper API, left of a sklkeras base (``sklkeras.wrappers``).

    Subclasses (of :class:`KerasClassifier`, :class:`KerasRegressor` or
    ``BaseWrapper``) may override ``target_encoder``, ``feature_encoder``,
    ``_keras_build_fn``, ``_initialize`` and ``scorer`` as in scikeras.
    """

    # scikeras's BaseWrapper sets of the Model.fit / predict / compile keywords.
    _fit_kwargs, _predict_kwargs = FIT_KWARGS, PREDICT_KWARGS
    _compile_kwargs = COMPILE_KWARGS

    _wrapper_constraints = {
        "model": "no_validation",  # _model_param_check: scikeras's errors
        "build_fn": "no_validation",
        "optimizer": [str, type, keras.optimizers.Optimizer, None],
        "loss": [str, callable, type, keras.losses.Loss, dict, list, None],
        "metrics": [list, tuple, dict, str, callable, keras.metrics.Metric, None],
        "callbacks": [list, dict, keras.callbacks.Callback, type, None],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            Options(Integral, {-1}),
            Options(str, {"auto"}),
            None,
        ],
        "validation_batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "shuffle": ["boolean"],
        "run_eagerly": ["boolean"],
    }

    # -------------------------------------------------------------- fitting
    def _model_param_check(self):
        """The model function (or ``keras.Model``) of this fit; scikeras's errors."""
        return model_param(self)

    def _validate_params(self):
        super()._validate_params()
        self._model_param_check()  # scikeras's errors, before the data is read

    def _passed_model(self):
        """The ``keras.Model`` given as ``model=`` (or ``build_fn=``), or None."""
        model = self.build_fn if self.model is None else self.model
        return model if isinstance(model, keras.Model) else None

    def _warn_build_fn(self, stacklevel: int) -> None:
        if self.model is None and self.build_fn is not None:
            warnings.warn(
                BUILD_FN_MESSAGE,
                BuildFnWarning,
                stacklevel=stacklevel + 1,
            )

    def fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
        **kwargs,
    ):
        """Build a new network (unless ``warm_start``) and train it on ``(X, y)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; never modified.
        X_val : array-like of shape (n_val, n_features), default=None
            Validation data, scored after every epoch (Keras's
            ``validation_data``) in place of ``validation_split``'s slice; early
            stopping watches it.
        y_val : array-like of shape (n_val,) or (n_val, n_outputs), default=None
            Target values of ``X_val``; required with it.
        sample_weight_val : array-like of shape (n_val,), default=None
            Per-sample weights of ``X_val``.
        **kwargs : dict
            Keras ``fit`` arguments for this call (``epochs``, ``batch_size``,
            ``verbose``, ``callbacks``, ``validation_split``, ``shuffle``, ...),
            over ``fit__`` parameters, over the estimator's.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        method = super().fit
        if _overridden(self, "_initialize", (WrapperMixin,)):
            method = self._fit_from_initialize  # a subclass's hook builds the network
        val = dict(X_val=X_val, y_val=y_val, sample_weight_val=sample_weight_val)
        return self._fit_call(kwargs, "fit", method, X, y, sample_weight, **val)

    def _fit_from_initialize(self, X, y, sample_weight, **val):
        self._validate_params()
        self._check_validation_args(val["X_val"], val["y_val"])
        if not (self.warm_start and self.__sklearn_is_fitted__()):
            self._initialize(X, y)
        epochs = self._max_epochs()
        with self._fit_tasks(X, y, sample_weight, **val, epochs=epochs, manage=True):
            return self._fit(X, y, sample_weight, epochs=epochs, reset=False)

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

    def _fit_call(self, kwargs, destination, method, *args, **method_kwargs):
        self._warn_build_fn(stacklevel=3)  # the caller of fit / partial_fit
        for name in ("epochs", "initial_epoch") if destination == "partial_fit" else ():
            if name in kwargs:  # scikeras's error: never silently ignored
                raise TypeError(
                    f"Invalid argument `{name}` to `partial_fit`: `partial_fit` "
                    "always trains for 1 epoch, from the current epoch "
                    f"({self.current_epoch}); use fit(X, y, epochs=...) for more."
                )
        call_args = {**self._routed(destination), **kwargs}
        allowed = (
            FIT_ARGS if hasattr(self, "class_weight") else FIT_ARGS - {"class_weight"}
        )
        unknown = sorted(set(call_args) - allowed)
        if unknown:  # never silently ignored
            raise TypeError(
                f"{type(self).__name__}.{destination} got unexpected keyword(s) "
                f"{unknown} (or {destination}__ parameters); it takes Keras fit "
                f"arguments {sorted(allowed)}."
            )
        if destination == "fit" and self.warm_start and self.__sklearn_is_fitted__():
            self.history_ = {}  # as scikeras: a fit's history is its own
        self._call_args = call_args
        try:
            return method(*args, **method_kwargs)
        finally:
            del self._call_args

    def _fit_arg(self, name, default=None):
        call = getattr(self, "_call_args", {})
        if name in call:
            return call[name]
        return getattr(self, name, default)

    def initialize(self, X, y=None):
        """Build (and compile) the network without training it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, for the metadata.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values, for the metadata.

        Returns
        -------
        self : object
            The estimator, ready to predict or to train.
        """
        self._warn_build_fn(stacklevel=2)
        self._initialize(X, y)
        return self

    def _initialize(self, X, y=None):
        """scikeras's hook: fit the encoders and build the network; ``(X, y)`` back."""
        self._validate_params()
        if y is None and not (is_classifier(self) or is_regressor(self)):
            y = np.zeros(n_rows(X), dtype=FLOATX)  # BaseWrapper builds without y
        self._initialize_only = True
        try:
            self._fit(X, y, None, epochs=1, reset=True)
        finally:
            del self._initialize_only
        return X, y

    def _class_weight(self):
        return self._fit_arg("class_weight")

    def _max_epochs(self) -> int:
        return self._fit_arg("epochs")

    def _accepts_validation_data(self) -> bool:
        return True  # Keras's validation_data: monitored, with or without stopping

    def _validation_split_arg(self):
        return self._fit_arg("validation_split", 0.0)

    def _encode_validation_X(self, X_val):
        return self._encode_X(X_val)

    def _holdout_fraction(self):
        split = self._fit_arg("validation_split", 0.0)
        if split:
            return split
        return super()._holdout_fraction()

    def _resolve_batch_size(self, n_samples: int) -> int:
        batch_size = self._fit_arg("batch_size")
        if batch_size is None:
            batch_size = 32  # Keras's default, as in scikeras
        elif batch_size == -1:
            batch_size = n_samples
        elif batch_size == "auto":
            batch_size = min(200, n_samples)
        return min(batch_size, n_samples)

    def _fit_options(self) -> dict:
        return {
            "verbose": self._fit_arg("verbose", 0),
            "shuffle": bool(self._fit_arg("shuffle", True)),
        }

    def _user_callbacks(self) -> list:
        callbacks = resolve_callbacks(self.callbacks, self._routed("callbacks", False))
        call = getattr(self, "_call_args", {})
        return callbacks + resolve_callbacks(call.get("callbacks"), {})

    def _build_user_model(self) -> keras.Model:
        function = self._model_param_check()
        if isinstance(function, keras.Model) and getattr(self, "_initialize_only", 0):
            # initialize() only predicts: the passed model itself (its layers stay
            # shared, as scikeras's AutoEncoder recipe needs); training copies it.
            return function
        if isinstance(function, keras.Model):
            return copy_passed_model(self, function)
        return self._call_model_function(function, compile_kwargs(self))

    def _new_model(self, input_shape, seed, n_samples):
        model = self._build_user_model()
        self._model_loss_ = None
        kept = kept_compile(model) if self.loss is None else None
        custom = getattr(self, "_custom_encoders_", False)
        if custom:
            loss = None
        else:
            outputs = model.outputs if getattr(model, "outputs", None) else None
            if outputs is not None and len(outputs) != 1:
                raise ValueError(
                    "Detected a Keras model input of size 1 (y, by the default "
                    f"target_encoder), but the model has {len(outputs)} outputs: "
                    "override target_encoder to split y (scikeras's multi-output "
                    "recipe)."
                )
            if kept is not None:
                self._model_loss_ = kept["loss"]
            loss = self._resolve_output(int(model.output_shape[-1]))
        if model is self._passed_model():
            return model  # initialize(): the passed model, never compiled here
        if kept is not None:
            kwargs = kept
        else:
            kwargs = compile_kwargs(self, loss=loss)
        check_compile_kwargs(kwargs)
        if not custom and not isinstance(kwargs.get("metrics"), dict):
            if kept is None:
                kwargs["metrics"] = check_metrics(kwargs.get("metrics"))
            for metric in self._wrapper_metrics():
                kwargs["metrics"] = add_metric(kwargs.get("metrics"), metric)
        kwargs["run_eagerly"] = bool(self.run_eagerly or kwargs.get("run_eagerly"))
        kwargs["steps_per_execution"] = self._steps_per_execution(n_samples)
        model.compile(**kwargs)
        return model

    def _wrapper_metrics(self) -> list:
        """Metrics sklkeras records for its own rules (the validation score)."""
        validating = self._holdout_fraction() or self._given_validation_data()
        score = self._score_metric() if validating else None
        return [score] if score is not None else []

    def _train(self, X, y_enc, sample_weight, y_raw, **kwargs):
        if getattr(self, "_initialize_only", False):
            self._set_training_attributes()
            return
        if self.model_ is self._passed_model():  # initialize()d: train a copy
            self.model_ = self._new_model(X.shape[1:], kwargs["seed"], X.shape[0])
        X = self._encode_X(X)
        if one_array(X) and isinstance(y_enc, np.ndarray):  # the compiled epoch loop
            return super()._train(X, y_enc, sample_weight, y_raw, **kwargs)
        return train_keras_fit(self, X, y_enc, sample_weight, y_raw, **kwargs)

    def _set_training_attributes(self):
        full_metric_names(self.history_)  # "mse" -> "mean_squared_error"
        super()._set_training_attributes()

    def _predict_raw(self, X, **kwargs) -> np.ndarray:
        check_is_fitted(self)
        X_checked = self._check_X(X, reset=False)
        X_enc = self._encode_X(X_checked)
        single = len(getattr(self.model_, "outputs", None) or [0]) == 1
        if X_enc is X_checked and one_array(X_enc) and single and not kwargs:
            return super()._predict_raw(X)  # the compiled in-memory path
        options = {**self._routed("predict"), **kwargs}
        options.setdefault("verbose", 0)
        if options.get("batch_size") == -1:  # the whole data, as scikeras
            options["batch_size"] = n_rows(X_enc)
        with quiet_tensorflow(0):
            return self.model_.predict(X_enc, **options)

    # scikeras exposes the epoch count and the scorer.
    @property
    def current_epoch(self) -> int:
        """Epochs trained so far (``len(history_["loss"])``)."""
        return len(getattr(self, "history_", {}).get("loss", []))

    @property
    def initialized_(self) -> bool:
        """True once ``initialize`` or ``fit`` built the network."""
        return hasattr(self, "model_")


__all__ = ["WrapperMixin"]

"""Shared estimator plumbing: validation, target encoding, training, prediction.

This is the only module that imports scikeras (pinned, unmaintained). scikeras's
wrapper classes are *not* subclassed: eight of the ten defects listed in DESIGN.md live
in their ``fit``/``predict`` paths and MRO, so the estimators here derive from
scikit-learn's ``BaseEstimator`` with the mixin on the left, and scikeras contributes
its loss-name normalisation. Each defect has a regression test in
``tests/test_base.py``:

1. classifier/regressor tags: mixins sit left of ``BaseEstimator``;
2. ``random_state`` seeds a scoped state, never TensorFlow's op determinism;
3. scikeras's process-wide pickling patch is undone on import;
4. ``sample_weight`` is copied before ``class_weight`` is applied;
5. ``predict_proba`` always returns ``(n_samples, n_classes)``;
6. every ``fit`` builds a fresh network (unless ``warm_start``);
7. ``feature_names_in_`` / ``n_features_in_`` follow scikit-learn;
8. validation splits are shuffled (and stratified for classifiers);
9. silent by default (``verbose=0``);
10. ``__sklearn_tags__`` instead of ``_more_tags``, so ``check_estimator`` runs.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from numbers import Integral, Real

import keras
import numpy as np
import scikeras  # noqa: F401  (pinned wrapper layer; see module docstring)
from scikeras.utils import loss_name
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import DataConversionWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state, column_or_1d
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from . import _builders
from ._checkpoint import (
    CheckpointCallback,
    checkpoint_path,
    data_digest,
    load_checkpoint,
)
from ._compat import limit_tensorflow_threads, undo_scikeras_monkeypatch
from ._training import (
    fit_arrays,
    predict_in_memory,
    quiet_tensorflow,
    random_state_scope,
)
from .callbacks import schedule_callback

undo_scikeras_monkeypatch()
limit_tensorflow_threads()

FLOATX = np.float32

# Upper bound of the steps run by one compiled call of Model.fit (fallback path).
_MAX_STEPS_PER_EXECUTION = 1000
# Metric names Keras resolves only inside compile(), from the loss.
_COMPILE_ONLY_METRICS = {"accuracy", "acc", "crossentropy", "ce"}


class BaseKerasEstimator(BaseEstimator):
    """Training and prediction machinery shared by every sklkeras estimator.

    Subclasses define ``__init__`` (assignments only), ``_parameter_constraints`` and
    ``_build_network(n_features_in, n_outputs, output_activation, seed)``.
    """

    _parameter_constraints: dict = {
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "optimizer": [
            StrOptions(set(_builders.OPTIMIZERS)),
            keras.optimizers.Optimizer,
        ],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither"), None],
        "learning_rate_schedule": [callable, HasMethods("keras_callback"), None],
        "checkpoint_dir": [str, os.PathLike, None],
        "checkpoint_best_only": ["boolean"],
        "distribution": [HasMethods(["scope"]), None],
        "loss": [str, callable, keras.losses.Loss, None],
        "metrics": [list, tuple, None],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left"), None],
        "tol": [Interval(Real, 0, None, closed="left")],
        "callbacks": [list, None],
        "random_state": ["random_state"],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
    }

    # ------------------------------------------------------------------ hooks
    def _build_network(self, n_features_in, n_outputs, output_activation, seed):
        raise NotImplementedError

    def _check_X(self, X, *, reset: bool):
        """Validate X (and learn ``n_features_in_`` / ``feature_names_in_``)."""
        return validate_data(self, X, reset=reset, dtype=FLOATX, ensure_all_finite=True)

    # ---------------------------------------------------------------- fitting
    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "model_")

    def fit(self, X, y, sample_weight=None):
        """Train a new network on ``(X, y)``.

        With ``warm_start=True`` and a fitted estimator, training continues from the
        current weights instead.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values (class labels for classifiers).
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; never modified.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._validate_params()
        keep = self.warm_start and self.__sklearn_is_fitted__()
        return self._fit(X, y, sample_weight, epochs=self.epochs, reset=not keep)

    def partial_fit(self, X, y, sample_weight=None):
        """Train exactly one epoch on ``(X, y)``, continuing from the current weights.

        The first call builds the network. Early stopping and its validation split
        do not apply: each call trains on all the rows it is given.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
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
        first = not self.__sklearn_is_fitted__()
        if first:
            self._validate_params()
        return self._fit(X, y, sample_weight, epochs=1, reset=first, partial=True)

    def _fit(
        self,
        X,
        y,
        sample_weight,
        *,
        epochs: int,
        reset: bool,
        partial: bool = False,
        classes=None,
    ):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        X = self._check_X(X, reset=reset)
        y = self._check_y(y, n_samples=X.shape[0])
        if reset:
            self._fit_target(y, classes)  # the encoding may need the model
        sample_weight = self._sample_weight(sample_weight, X, y)
        seed = self._seed() if reset else getattr(self, "_seed_", None)
        self._seed_ = seed

        resumed = None
        if self.checkpoint_dir is not None and not partial:
            self._checkpoint_path_ = checkpoint_path(
                self, X.shape[1:], data_digest(X, y, sample_weight)
            )
            if reset and os.path.exists(self._checkpoint_path_):
                resumed = load_checkpoint(self, self._checkpoint_path_)
        with random_state_scope(seed), quiet_tensorflow(self.verbose):
            if resumed is not None:  # an interrupted run of this configuration
                self.model_, self.history_, done = resumed
                self._initial_learning_rate_ = _current_learning_rate(self.model_)
                epochs = max(0, self.epochs - done)
            elif reset:
                with self._distribution_scope():
                    self.model_ = self._new_model(X.shape[1:], seed, X.shape[0])
                self.history_ = {}
                self._initial_learning_rate_ = _current_learning_rate(self.model_)
            y_enc = self._transform_target(y)
            self._train(
                X, y_enc, sample_weight, y, epochs=epochs, seed=seed, partial=partial
            )
        return self

    def _distribution_scope(self):
        """The strategy's scope for building the network, or a no-op."""
        if self.distribution is None:
            return contextlib.nullcontext()
        if keras.backend.backend() != "tensorflow":
            raise ValueError(
                "distribution= takes a tf.distribute strategy, which needs the "
                f"TensorFlow backend; the Keras backend is {keras.backend.backend()!r} "
                "(on JAX, use keras.distribution.set_distribution instead)."
            )
        return self.distribution.scope()

    def _seed(self) -> int | None:
        if self.random_state is None:
            return None
        return int(check_random_state(self.random_state).randint(1, 2**31 - 1))

    def _new_model(self, input_shape, seed, n_samples):
        n_outputs, output_activation, loss = self._output_spec()
        if isinstance(loss, str):
            try:
                keras.losses.get(loss)
            except ValueError:
                raise ValueError(
                    f"loss={loss!r} is not a Keras loss name (e.g. "
                    "'binary_crossentropy', 'categorical_crossentropy', "
                    "'mean_squared_error'); pass a name, a keras.losses.Loss or a "
                    "function."
                ) from None
        model = self._build_network(input_shape, n_outputs, output_activation, seed)
        model.compile(
            optimizer=_builders.make_optimizer(self.optimizer, self.learning_rate_init),
            loss=loss,
            metrics=self._compile_metrics(),
            steps_per_execution=self._steps_per_execution(n_samples),
        )
        return model

    def _steps_per_execution(self, n_samples: int) -> int:
        """One compiled call runs a whole epoch (for Model.fit, e.g. on JAX).

        Per-step Python overhead, not arithmetic, is the cost of training small
        networks. 1 under a distribution strategy: Keras 3.15's multi-step
        function fails there with "You must feed a value for placeholder tensor".
        """
        if self.distribution is not None:
            return 1
        steps = -(-n_samples // self._resolve_batch_size(n_samples))
        return max(1, min(steps, _MAX_STEPS_PER_EXECUTION))

    def _compile_metrics(self):
        metrics = list(self.metrics) if self.metrics is not None else []
        for metric in metrics:
            if isinstance(metric, str) and metric not in _COMPILE_ONLY_METRICS:
                try:
                    keras.metrics.get(metric)
                except ValueError:
                    raise ValueError(
                        f"metrics contains {metric!r}, which is not a Keras metric "
                        "name (e.g. 'accuracy', 'auc', 'mae'); pass a name, a "
                        "keras.metrics.Metric or a function."
                    ) from None
        score = self._score_metric()
        if self.early_stopping and score is not None:
            metrics.append(score)
        return metrics

    def _resolve_batch_size(self, n_samples: int) -> int:
        if self.batch_size == "auto":
            return min(200, n_samples)
        return min(self.batch_size, n_samples)

    def _sample_weight(self, sample_weight, X, y):
        if sample_weight is None:
            return None
        # _check_sample_weight may return the caller's array: copy before any product.
        return np.array(_check_sample_weight(sample_weight, X, dtype=FLOATX), copy=True)

    def _train(self, X, y_enc, sample_weight, y_raw, *, epochs: int, seed, partial):
        n_samples = X.shape[0]
        arrays_val = None
        if self.early_stopping and not partial:
            idx_train, idx_val = self._validation_split(y_raw, seed)
            arrays_val = [X[idx_val], y_enc[idx_val]]
            X, y_enc = X[idx_train], y_enc[idx_train]
            if sample_weight is not None:
                arrays_val.append(sample_weight[idx_val])
                sample_weight = sample_weight[idx_train]
            n_samples = X.shape[0]

        batch_size = self._resolve_batch_size(n_samples)
        arrays = [X, y_enc] + ([sample_weight] if sample_weight is not None else [])
        callbacks = []
        if self.checkpoint_dir is not None and not partial:
            # First, so that later callbacks see the epoch already saved.
            callbacks.append(
                CheckpointCallback(
                    self,
                    self._checkpoint_path_,
                    best_only=self.checkpoint_best_only,
                    monitor="val_loss" if arrays_val is not None else "loss",
                )
            )
        callbacks += list(self.callbacks) if self.callbacks else []
        callbacks += self._extra_callbacks()
        if self.learning_rate_schedule is not None:
            callbacks.append(
                schedule_callback(
                    self.learning_rate_schedule, self._initial_learning_rate_
                )
            )
        if self.n_iter_no_change is not None and not partial:
            callbacks.append(
                keras.callbacks.EarlyStopping(
                    monitor="val_loss" if arrays_val is not None else "loss",
                    min_delta=self.tol,
                    patience=self.n_iter_no_change,
                    restore_best_weights=arrays_val is not None,
                )
            )
        initial_epoch = len(self.history_.get("loss", []))
        hist = fit_arrays(
            self.model_,
            arrays,
            batch_size=batch_size,
            epochs=initial_epoch + epochs,
            initial_epoch=initial_epoch,
            val_arrays=arrays_val,
            callbacks=callbacks,
            verbose=self.verbose,
            seed=seed,
            distributed=self.distribution is not None,
            **self._fit_options(),
        )
        for key, values in hist.history.items():
            self.history_.setdefault(key, []).extend(float(v) for v in values)
        self._set_training_attributes()

    def _fit_options(self) -> dict:
        """Extra arguments for the training loop (subclasses: e.g. no shuffling)."""
        return {}

    def _extra_callbacks(self) -> list:
        """Callbacks a subclass always needs (e.g. resetting recurrent state)."""
        return []

    def _validation_split(self, y, seed):
        """Train/validation indices: shuffled, and stratified for classifiers.

        Keras's own ``validation_split`` takes the last rows unshuffled, which on
        label-sorted data validates on a single class (DESIGN.md defect 8).
        """
        n_samples = len(y)
        try:
            return train_test_split(
                np.arange(n_samples),
                test_size=self.validation_fraction,
                random_state=None if seed is None else seed % (2**31 - 1),
                stratify=self._stratify_labels(y),
            )
        except ValueError as exc:
            raise ValueError(
                f"early_stopping=True could not set aside validation_fraction="
                f"{self.validation_fraction} of {n_samples} samples: {exc}"
            ) from None

    def _set_training_attributes(self):
        self.loss_curve_ = list(self.history_.get("loss", []))
        self.n_iter_ = len(self.loss_curve_)
        score = self._score_metric()
        name = None
        if score is not None:
            name = score if isinstance(score, str) else score.name
        val = self.history_.get(f"val_{name}") if name else None
        self.validation_scores_ = list(val) if val is not None else None
        self.best_validation_score_ = (
            max(self.validation_scores_) if self.validation_scores_ else None
        )
        self.best_loss_ = min(self.loss_curve_) if self.loss_curve_ else None

    # ------------------------------------------------------------- prediction
    def _predict_raw(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        # Every new model traces its functions once; TensorFlow's log calls that
        # "retracing" after a few models, which is expected here.
        with quiet_tensorflow(0):
            return predict_in_memory(self.model_, X)

    # ------------------------------------------------------------ persistence
    def __getstate__(self):
        state = dict(super().__getstate__())  # may be self.__dict__ itself
        if state.get("distribution") is not None:
            state["distribution"] = None  # devices of this process; not portable
        model = state.pop("model_", None)
        if model is not None:
            state["_model_bytes"] = _model_to_bytes(model)
        return state

    def __setstate__(self, state):
        data = state.pop("_model_bytes", None)
        super().__setstate__(state)
        if data is not None:
            self.model_ = _model_from_bytes(data, self._custom_objects())

    def save(self, path) -> None:
        """Save the fitted estimator to one file (the network and its state).

        Load it with :func:`sklkeras.load`; no pickle is involved, and the file is
        written atomically (a crash never leaves a half-written file at ``path``).
        Optimizer objects and learning-rate schedules are stored with their
        settings; other parameters holding Python objects (callbacks, model
        functions) are not: the loaded estimator predicts identically but has their
        defaults.

        Parameters
        ----------
        path : str or path-like
            Destination file, conventionally ``*.skk``.
        """
        from ._persistence import save

        save(self, path)

    def _custom_objects(self) -> dict:
        objs = {}
        candidates = [self.loss] + list(self.metrics or [])
        for obj in candidates:
            if callable(obj) and not isinstance(obj, type):
                name = getattr(obj, "__name__", None) or getattr(obj, "name", None)
                if name:
                    objs[name] = obj
        return objs

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        return tags


def _current_learning_rate(model) -> float | None:
    try:
        return float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
    except (AttributeError, TypeError, ValueError):
        return None


def _model_to_bytes(model: keras.Model) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        model.save(path)
        with open(path, "rb") as fh:
            return fh.read()


def _model_from_bytes(data: bytes, custom_objects: dict) -> keras.Model:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        with open(path, "wb") as fh:
            fh.write(data)
        # Unpickling already trusts the pickle; safe_mode adds nothing here.
        return keras.saving.load_model(
            path, custom_objects=custom_objects, compile=True, safe_mode=False
        )


# --------------------------------------------------------------------- classifier
class BaseKerasClassifier(ClassifierMixin, BaseKerasEstimator):
    """Classifier plumbing: label encoding, probabilities, class weights."""

    _parameter_constraints: dict = {
        **BaseKerasEstimator._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def _check_y(self, y, n_samples):
        y_arr = np.asarray(y)
        if y_arr.ndim == 2 and y_arr.shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. Please "
                "change the shape of y to (n_samples,), for example using ravel().",
                DataConversionWarning,
                stacklevel=3,
            )
            y_arr = column_or_1d(y_arr)
        if y_arr.ndim > 2 or y_arr.ndim == 0:
            raise ValueError(
                f"y must be 1-D labels or a 2-D indicator matrix; got shape {y_arr.shape}."
            )
        if y_arr.shape[0] != n_samples:
            raise ValueError(
                "Found input variables with inconsistent numbers of samples: "
                f"[{n_samples}, {y_arr.shape[0]}]"
            )
        check_classification_targets(y_arr)
        return y_arr

    def _fit_target(self, y, classes=None):
        target_type = type_of_target(y)
        if target_type == "multilabel-indicator":
            self.classes_ = np.arange(y.shape[1])
            self._target_type_ = "multilabel-indicator"
            return
        if y.ndim != 1:
            raise ValueError(
                f"Unsupported target type {target_type!r}: expected binary, "
                "multiclass or multilabel-indicator targets."
            )
        self._label_encoder_ = LabelEncoder().fit(y if classes is None else classes)
        self.classes_ = self._label_encoder_.classes_
        unseen = np.setdiff1d(np.unique(y), self.classes_)
        if unseen.size:
            raise ValueError(
                f"y holds labels {unseen.tolist()} missing from classes="
                f"{self.classes_.tolist()}."
            )
        if len(self.classes_) < 2:
            raise ValueError(
                "The classifier needs samples of at least 2 classes in the data, but "
                f"the data contains only one class: {self.classes_[0]!r}"
            )
        self._target_type_ = "binary" if len(self.classes_) == 2 else "multiclass"

    def _transform_target(self, y):
        if self._target_type_ == "multilabel-indicator":
            if y.ndim != 2 or y.shape[1] != len(self.classes_):
                raise ValueError(
                    f"y must be an indicator matrix with {len(self.classes_)} columns "
                    f"as at the first fit; got shape {y.shape}."
                )
            return y.astype(FLOATX)
        unseen = np.setdiff1d(np.unique(y), self.classes_)
        if unseen.size:
            raise ValueError(
                f"y contains labels not seen at the first fit: {unseen.tolist()}; "
                f"known classes are {self.classes_.tolist()}."
            )
        codes = self._label_encoder_.transform(y)
        if self._target_type_ == "binary":
            return codes.astype(FLOATX).reshape(-1, 1)
        if self._one_hot_loss():
            return np.eye(len(self.classes_), dtype=FLOATX)[codes]
        return codes.astype(np.int32)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train exactly one epoch on ``(X, y)``, continuing from the current weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        classes : array-like of shape (n_classes,), default=None
            Every class of the problem; required on the first call (a batch may not
            contain all of them), ignored later.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; never modified.

        Returns
        -------
        self : object
            The updated estimator.
        """
        first = not self.__sklearn_is_fitted__()
        if first:
            self._validate_params()
            if classes is None and np.asarray(y).ndim == 1:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit."
                )
        return self._fit(
            X,
            y,
            sample_weight,
            epochs=1,
            reset=first,
            partial=True,
            classes=classes if first else None,
        )

    def _one_hot_loss(self) -> bool:
        # A user's model may bring the loss it was compiled with (KerasClassifier).
        loss = getattr(self, "_model_loss_", None) or self.loss
        if loss is None:
            return False
        try:
            return loss_name(loss) == "categorical_crossentropy"
        except (ValueError, TypeError):
            return False

    def _output_spec(self):
        """(units, activation, loss) of the output layer for the fitted target."""
        n_classes = len(self.classes_)
        if self._target_type_ == "multilabel-indicator":
            return n_classes, "sigmoid", self.loss or "binary_crossentropy"
        if self._target_type_ == "binary":
            return 1, "sigmoid", self.loss or "binary_crossentropy"
        return n_classes, "softmax", self.loss or "sparse_categorical_crossentropy"

    def _score_metric(self):
        if getattr(self, "_target_type_", None) == "multiclass":
            if self._one_hot_loss():
                return "categorical_accuracy"
            return "sparse_categorical_accuracy"
        return "binary_accuracy"

    def _stratify_labels(self, y):
        if self._target_type_ == "multilabel-indicator":
            return None
        _, counts = np.unique(y, return_counts=True)
        return y if counts.min() >= 2 else None

    def _sample_weight(self, sample_weight, X, y):
        sample_weight = super()._sample_weight(sample_weight, X, y)
        if self.class_weight is None or self._target_type_ == "multilabel-indicator":
            return sample_weight
        weights = compute_sample_weight(self.class_weight, y).astype(FLOATX)
        return weights if sample_weight is None else sample_weight * weights

    def predict_proba(self, X):
        """Class probabilities for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, columns ordered as ``classes_``; always 2-D,
            also for one row or a binary problem.
        """
        raw = self._predict_raw(X).astype(np.float64)
        if self._target_type_ == "binary":
            raw = raw.reshape(-1, 1)
            return np.hstack([1.0 - raw, raw])
        if self._target_type_ == "multiclass":
            # float32 softmax rows sum to 1 within ~1e-7; renormalise in float64.
            raw /= raw.sum(axis=1, keepdims=True)
        return raw

    def predict(self, X):
        """Predicted class labels for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Labels from ``classes_`` (an indicator matrix for multilabel targets).
        """
        proba = self.predict_proba(X)
        if self._target_type_ == "multilabel-indicator":
            return (proba > 0.5).astype(int)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


# ---------------------------------------------------------------------- regressor
class BaseKerasRegressor(RegressorMixin, BaseKerasEstimator):
    """Regressor plumbing: single and multi-output numeric targets."""

    def _check_y(self, y, n_samples):
        y_arr = np.asarray(y)
        if y_arr.ndim == 0 or y_arr.ndim > 2:
            raise ValueError(
                f"y must have shape (n_samples,) or (n_samples, n_outputs); got {y_arr.shape}."
            )
        if y_arr.shape[0] != n_samples:
            raise ValueError(
                "Found input variables with inconsistent numbers of samples: "
                f"[{n_samples}, {y_arr.shape[0]}]"
            )
        try:
            y_arr = y_arr.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(
                f"{type(self).__name__} needs a numeric target y; got dtype {y_arr.dtype}."
            ) from None
        if not np.all(np.isfinite(y_arr)):
            raise ValueError("Input y contains NaN or infinity.")
        return y_arr

    def _fit_target(self, y, classes=None):
        self._y_ndim_ = y.ndim
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]

    def _transform_target(self, y):
        n_outputs = 1 if y.ndim == 1 else y.shape[1]
        if n_outputs != self.n_outputs_:
            raise ValueError(
                f"y has {n_outputs} outputs but the estimator was fitted with "
                f"{self.n_outputs_}."
            )
        return y.reshape(len(y), -1).astype(FLOATX)

    def _output_spec(self):
        return self.n_outputs_, None, self.loss or "mean_squared_error"

    def _score_metric(self):
        return keras.metrics.R2Score(name="r2")

    def _stratify_labels(self, y):
        return None

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def predict(self, X):
        """Predicted values for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions, 1-D when the target was 1-D at fit.
        """
        raw = self._predict_raw(X).astype(np.float64)
        return raw.ravel() if self._y_ndim_ == 1 else raw


__all__ = [
    "BaseKerasEstimator",
    "BaseKerasClassifier",
    "BaseKerasRegressor",
]

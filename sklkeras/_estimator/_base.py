"""The estimator base class: fit, partial_fit, the hooks a family defines, tags.

The estimators derive from scikit-learn's ``BaseEstimator`` with the mixin on the
left; scikeras's wrapper classes are not subclassed (see ``sklkeras/_scikeras/``).
Each scikeras defect of docs/design.md has a regression test in
``tests/estimator/test_base.py``:

1. classifier/regressor tags: mixins sit left of ``BaseEstimator``;
2. ``random_state`` seeds a scoped state, never TensorFlow's op determinism;
3. scikeras's process-wide pickling patch is undone on import (``_scikeras/_imports.py``);
4. ``sample_weight`` is copied before ``class_weight`` is applied;
5. ``predict_proba`` always returns ``(n_samples, n_classes)`` (``_targets.py``);
6. every ``fit`` builds a fresh network (unless ``warm_start``);
7. ``feature_names_in_`` / ``n_features_in_`` follow scikit-learn;
8. validation splits are shuffled (and stratified for classifiers);
9. silent by default (``verbose=0``);
10. ``__sklearn_tags__`` instead of ``_more_tags``, so ``check_estimator`` runs.

Training stops by scikit-learn's rule and warns as scikit-learn does when a fit
runs out of epochs (``_engine/_stopping.py``); ``n_iter_`` counts the epochs of one
fit. A training run (holdout, callbacks, the request) is ``_run.py``'s; it hands one
``TrainingRequest`` to the estimator's engine (``_engine/_dispatch.py``), which
picks the trainer. The layers and how a fit flows through them: docs/architecture.md.
"""

from __future__ import annotations

import contextlib

import keras
import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils import check_array, check_random_state
from sklearn.utils.validation import check_is_fitted

from .._engine import (
    TrainingDivergedError,
    check_finite_output,
    check_loss,
    check_metrics,
    current_learning_rate,
    steps_per_execution,
)
from .._persistence import (
    PersistenceMixin,
    PicklingMixin,
)
from .._utils import (
    FLOATX,
    check_sample_weight,
    check_tabular_X,
    check_y_given,
    limit_tensorflow_threads,
    op_determinism_enabled,
    quiet_tensorflow,
    random_state_scope,
    validation_split,
)
from ._adoption import AdoptionMixin
from ._params import BASE_CONSTRAINTS
from ._prediction import predict_in_memory
from ._run import resumable_run, set_training_attributes
from ._sklearn_callbacks import FitTasksMixin
from ._solver import KERAS_SOLVER
from ._validation_data import ValidationDataMixin, check_validation_args

limit_tensorflow_threads()


class BaseKerasEstimator(
    FitTasksMixin,
    AdoptionMixin,
    ValidationDataMixin,
    PicklingMixin,
    PersistenceMixin,
    BaseEstimator,
):
    """Training and prediction machinery shared by every sklkeras estimator.

    Subclasses define ``__init__`` (assignments only), ``_parameter_constraints`` and
    ``_build_network(n_features_in, n_outputs, output_activation, seed)``.
    """

    _parameter_constraints: dict = dict(BASE_CONSTRAINTS)
    # The optimizer, step size, solver callbacks and the training run (_solver.py).
    _solver_ = KERAS_SOLVER

    # ------------------------------------------------------------------ hooks
    # What an estimator family defines. The classifier and regressor bases
    # (``_targets.py``) implement the target hooks; each estimator implements
    # ``_build_network``; the rest have defaults a family may override.
    def _build_network(self, n_features_in, n_outputs, output_activation, seed):
        """The uncompiled Keras network for ``n_features_in`` inputs (a shape)."""
        raise NotImplementedError(f"{type(self).__name__} must define _build_network")

    def _check_X(self, X, *, reset: bool):
        """Validate X (and learn ``n_features_in_`` / ``feature_names_in_``)."""
        return check_tabular_X(self, X, reset=reset)

    def _check_y(self, y, n_samples: int):
        """Validate y against X's ``n_samples`` rows; return it as an array.

        The default takes y as given (any dtype and rank): ``BaseWrapper``'s.
        """
        y = check_array(y, ensure_2d=False, allow_nd=True, dtype=None)
        if y.shape[0] != n_samples:
            raise ValueError(
                "Found input variables with inconsistent numbers of samples: "
                f"[{n_samples}, {y.shape[0]}]"
            )
        return y

    def _fit_target(self, y, classes=None) -> None:
        """Learn the target's encoding (``classes_``, the number of outputs)."""
        self._y_ndim_ = y.ndim

    def _transform_target(self, y):
        """y as the network is trained on it (encoded labels, float values)."""
        return y

    def _output_spec(self) -> tuple:
        """``(n_outputs, output activation, default loss)`` of the network."""
        raise NotImplementedError

    def _score_metric(self):
        """The metric early stopping scores on the validation split, or None."""
        return None

    def _stratify_labels(self, y):
        """Labels to stratify the validation split by (None: not stratified)."""
        return None

    def _stopping_monitor(self, validating: bool) -> tuple[str, str]:
        """(logs key, "min" or "max") watched by the stopping rule."""
        return ("val_loss" if validating else "loss"), "min"

    # ---------------------------------------------------------------- fitting
    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "model_")

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
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
        X_val : array-like of shape (n_val, n_features), default=None
            Validation data of early stopping, in place of the rows
            ``validation_fraction`` holds out. In a ``Pipeline``,
            ``transform_input=["X_val"]`` transforms it as ``X``.
        y_val : array-like of shape (n_val,) or (n_val, n_outputs), default=None
            Target values of ``X_val``; required with it.
        sample_weight_val : array-like of shape (n_val,), default=None
            Per-sample weights of ``X_val``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        prefitted = self.__dict__.pop("_prefitted", None)
        if prefitted is not None and prefitted.adopt(self, X, y, sample_weight):
            return self  # trained ahead, fused, by sklkeras.model_selection
        check_validation_args(self, X_val, y_val)
        reset = not (self.warm_start and self.__sklearn_is_fitted__())
        val = dict(X_val=X_val, y_val=y_val, sample_weight_val=sample_weight_val)
        epochs = self._max_epochs()
        with self._fit_tasks(X, y, sample_weight, epochs=epochs, **val):
            return self._fit(X, y, sample_weight, epochs=epochs, reset=reset)

    @_fit_context(prefer_skip_nested_validation=True)
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
        first = not self.__sklearn_is_fitted__()  # _fit_context validated it then
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
        check_y_given(self, y)
        X = self._check_X(X, reset=reset)
        y = self._check_y(y, n_samples=X.shape[0])
        if reset:
            self._fit_target(y, classes)  # the encoding may need the model
        elif not partial:
            self._check_warm_start_target(y)
        sample_weight = self._sample_weight(sample_weight, X, y)
        if sample_weight is not None:
            sample_weight = sample_weight.astype(self._float_dtype(), copy=False)
        seed = self._seed() if reset else getattr(self, "_seed_", None)
        self._seed_ = seed

        resumed = resumable_run(self, X, y, sample_weight, reset, partial)
        # Global generators are seeded (under a lock) only where they are read:
        # building, and training outside the compiled TF loop (_runtime.py).
        # A fused session's engine seeds them around what it trains alone.
        global_training = (
            keras.backend.backend() != "tensorflow" or self.distribution is not None
        ) and not self._training_engine().manages_random_state
        training_scope = random_state_scope(seed if global_training else None)
        with training_scope, quiet_tensorflow(self.verbose):
            resume_state = None
            if resumed is not None:  # an interrupted run of this configuration
                self.model_, self.history_, epochs, resume_state = resumed
                self._initial_learning_rate_ = current_learning_rate(self.model_)
            elif reset:
                with random_state_scope(seed), self._distribution_scope():
                    self.model_ = self._new_model(X.shape[1:], seed, X.shape[0])
                self.history_ = {}
                self._initial_learning_rate_ = current_learning_rate(self.model_)
            if reset:
                self._no_improvement_count = 0
            # n_iter_ counts the epochs of this fit, as scikit-learn's does.
            self._iter_offset_ = 0 if reset else len(self.history_.get("loss", []))
            y_enc = self._transform_target(y)
            if getattr(y_enc, "dtype", None) is not None and y_enc.dtype.kind == "f":
                y_enc = y_enc.astype(self._float_dtype(), copy=False)
            try:
                self._train(
                    X,
                    y_enc,
                    sample_weight,
                    y,
                    epochs=epochs,
                    seed=seed,
                    partial=partial,
                    resume_state=resume_state,
                )
            except TrainingDivergedError:
                del self.model_  # its weights are NaN: no answer may come from it
                raise
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
        if self.random_state is None and not op_determinism_enabled():
            return None  # under TensorFlow's op determinism random ops need one
        return int(check_random_state(self.random_state).randint(1, 2**31 - 1))

    def _max_epochs(self) -> int:
        """The epoch budget of one ``fit`` (the MLPs also read ``max_iter``)."""
        return self.epochs

    def _float_dtype(self):
        """Float dtype of the network, targets and sample weights."""
        return FLOATX

    def _check_warm_start_target(self, y) -> None:
        """Refuse a ``warm_start`` refit on a target the network cannot continue."""

    def _compile_loss(self, loss):
        """The loss handed to ``compile`` (subclasses: scikit-learn's losses)."""
        return loss

    def _new_model(self, input_shape, seed, n_samples):
        n_outputs, output_activation, loss = self._output_spec()
        loss = self._compile_loss(loss)
        check_loss(loss)
        model = self._build_network(input_shape, n_outputs, output_activation, seed)
        model.compile(
            optimizer=self._solver_.make_optimizer(self),
            loss=loss,
            metrics=self._compile_metrics(),
            steps_per_execution=self._steps_per_execution(n_samples),
        )
        return model

    def _steps_per_execution(self, n_samples: int) -> int:
        return steps_per_execution(
            n_samples,
            self._resolve_batch_size(n_samples),
            distributed=self.distribution is not None,
        )

    def _compile_metrics(self):
        metrics = check_metrics(self.metrics)
        score = self._score_metric()
        if self.early_stopping and score is not None:
            metrics.append(score)
        return metrics

    def _resolve_batch_size(self, n_samples: int) -> int:
        return self._solver_.batch_size(self, n_samples)

    def _sample_weight(self, sample_weight, X, y):
        return check_sample_weight(sample_weight, X)

    def _train(self, X, y_enc, sample_weight, y_raw, **run):
        """One training run on encoded targets, by the solver: holdout split,
        callbacks, the request to the engine, history and fitted attributes
        (``run``: ``epochs``, ``seed``, ``partial``, ``resume_state``)."""
        self._solver_.train(self, X, y_enc, sample_weight, y_raw, **run)

    def _fit_options(self) -> dict:
        """Extra arguments for the training loop (subclasses: e.g. no shuffling)."""
        return {}

    def _user_callbacks(self) -> list:
        """The user's callbacks for this run."""
        return list(self.callbacks) if self.callbacks else []

    def _extra_callbacks(self) -> list:
        """Callbacks a subclass always needs (e.g. resetting recurrent state)."""
        return []

    def _holdout_fraction(self):
        """Share of the rows held out for validation in ``fit`` (None: none)."""
        return self.validation_fraction if self.early_stopping else None

    def _validation_split(self, y, seed, fraction=None):
        """Train/validation indices: shuffled, and stratified for classifiers.

        Keras's own ``validation_split`` takes the last rows unshuffled, which on
        label-sorted data validates on a single class (defect 8 in docs/design.md).
        """
        if fraction is None:
            fraction = self.validation_fraction
        return validation_split(len(y), fraction, seed, self._stratify_labels(y))

    def _set_training_attributes(self):
        """``loss_curve_``, ``n_iter_``, validation scores, ``best_loss_``."""
        set_training_attributes(self)

    # ------------------------------------------------------------- prediction
    def _predict_raw(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        return check_finite_output(predict_in_memory(self.model_, X), X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        return tags


__all__ = ["BaseKerasEstimator"]

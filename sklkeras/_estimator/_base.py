"""The estimator base class: fit, partial_fit, the training run, prediction, tags.

The estimators derive from scikit-learn's ``BaseEstimator`` with the mixin on the
left; scikeras's wrapper classes are not subclassed (see ``_scikeras.py``). Each
scikeras defect listed in DESIGN.md has a regression test in ``tests/test_base.py``:

1. classifier/regressor tags: mixins sit left of ``BaseEstimator``;
2. ``random_state`` seeds a scoped state, never TensorFlow's op determinism;
3. scikeras's process-wide pickling patch is undone on import (``_scikeras.py``);
4. ``sample_weight`` is copied before ``class_weight`` is applied;
5. ``predict_proba`` always returns ``(n_samples, n_classes)`` (``_targets.py``);
6. every ``fit`` builds a fresh network (unless ``warm_start``);
7. ``feature_names_in_`` / ``n_features_in_`` follow scikit-learn;
8. validation splits are shuffled (and stratified for classifiers);
9. silent by default (``verbose=0``);
10. ``__sklearn_tags__`` instead of ``_more_tags``, so ``check_estimator`` runs.

Training stops by scikit-learn's rule and warns as scikit-learn does when a fit
runs out of epochs (``_stopping.py``); ``n_iter_`` counts the epochs of one fit.

Imports point down only: estimators (``mlp``, ``cnn``, ...) -> ``_targets``
(classifier and regressor bases) -> ``_base`` -> validation, compilation, training,
prediction, runtime, checkpoint and persistence modules -> ``_builders`` /
``_compat``. ``_scikeras`` is the only module that imports scikeras.
"""

from __future__ import annotations

import contextlib
import os
from numbers import Integral, Real

import keras
import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, Options, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._engine import (
    StoppingMixin,
    TrainingDivergedError,
    best_so_far,
    check_finite_output,
    check_loss,
    check_metrics,
    current_learning_rate,
    fit_arrays,
    in_session,
    steps_per_execution,
    warn_not_converged,
)
from .._persistence import (
    PersistenceMixin,
    PicklingMixin,
    checkpoint_path,
    data_digest,
    load_checkpoint,
)
from .._utils import (
    FLOATX,
    check_sample_weight,
    check_tabular_X,
    check_y_given,
    limit_tensorflow_threads,
    quiet_tensorflow,
    random_state_scope,
    validation_split,
)
from . import _builders
from ._adoption import adopt
from ._fit_callbacks import training_callbacks
from ._prediction import predict_in_memory

limit_tensorflow_threads()


class BaseKerasEstimator(StoppingMixin, PicklingMixin, PersistenceMixin, BaseEstimator):
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
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
            None,
        ],
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
        return check_tabular_X(self, X, reset=reset)

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
        if adopt(self, X, y, sample_weight):  # trained fused (model_selection)
            return self
        self._validate_params()
        keep = self.warm_start and self.__sklearn_is_fitted__()
        return self._fit(X, y, sample_weight, epochs=self._max_epochs(), reset=not keep)

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

        resumed = None
        if self.checkpoint_dir is not None and not partial:
            data = (X.data, X.indices, X.indptr) if sp.issparse(X) else (X,)
            self._checkpoint_path_ = checkpoint_path(
                self, X.shape[1:], data_digest(*data, y, sample_weight)
            )
            if reset and os.path.exists(self._checkpoint_path_):
                resumed = load_checkpoint(self, self._checkpoint_path_)
        # Global generators are seeded (under a lock) only where they are read:
        # building, and training outside the compiled TF loop (_runtime.py).
        # In a fused session the session seeds them around what it trains alone.
        global_training = (
            keras.backend.backend() != "tensorflow" or self.distribution is not None
        ) and not in_session()
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
        if self.random_state is None:
            return None
        return int(check_random_state(self.random_state).randint(1, 2**31 - 1))

    def _max_epochs(self) -> int:
        """The epoch budget of one ``fit`` (the MLPs also read ``max_iter``)."""
        return self.epochs

    def _float_dtype(self):
        """Float dtype of the network, targets and sample weights."""
        return FLOATX

    def _check_warm_start_target(self, y) -> None:
        """Refuse a ``warm_start`` refit on a target the network cannot continue."""

    def _make_optimizer(self):
        return _builders.make_optimizer(self.optimizer, self.learning_rate_init)

    def _compile_loss(self, loss):
        """The loss handed to ``compile`` (subclasses: scikit-learn's losses)."""
        return loss

    def _new_model(self, input_shape, seed, n_samples):
        n_outputs, output_activation, loss = self._output_spec()
        loss = self._compile_loss(loss)
        check_loss(loss)
        model = self._build_network(input_shape, n_outputs, output_activation, seed)
        model.compile(
            optimizer=self._make_optimizer(),
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
        if self.batch_size == "auto":
            return min(200, n_samples)
        return min(self.batch_size, n_samples)

    def _sample_weight(self, sample_weight, X, y):
        return check_sample_weight(sample_weight, X)

    def _train(
        self,
        X,
        y_enc,
        sample_weight,
        y_raw,
        *,
        epochs: int,
        seed,
        partial,
        resume_state=None,
    ):
        n_samples = X.shape[0]
        arrays_val = None
        fraction = None if partial else self._holdout_fraction()
        if fraction:
            idx_train, idx_val = self._validation_split(y_raw, seed, fraction)
            arrays_val = [X[idx_val], y_enc[idx_val]]
            X, y_enc = X[idx_train], y_enc[idx_train]
            if sample_weight is not None:
                arrays_val.append(sample_weight[idx_val])
                sample_weight = sample_weight[idx_train]
            n_samples = X.shape[0]

        batch_size = self._resolve_batch_size(n_samples)
        arrays = [X, y_enc] + ([sample_weight] if sample_weight is not None else [])
        callbacks, stopper = training_callbacks(
            self,
            X,
            validating=arrays_val is not None,
            partial=partial,
            resume_state=resume_state,
        )
        initial_epoch = len(self.history_.get("loss", []))
        options = {"verbose": self.verbose, **self._fit_options()}
        hist = fit_arrays(
            self.model_,
            arrays,
            batch_size=batch_size,
            epochs=initial_epoch + epochs,
            initial_epoch=initial_epoch,
            val_arrays=arrays_val,
            callbacks=callbacks,
            seed=seed,
            distributed=self.distribution is not None,
            **options,
        )
        for key, values in hist.history.items():
            self.history_.setdefault(key, []).extend(float(v) for v in values)
        self._set_training_attributes()
        ran = len(self.history_.get("loss", [])) - initial_epoch
        if stopper is not None and not stopper.converged and 0 < epochs == ran:
            warn_not_converged(self._not_converged_message())

    def _solver_callbacks(
        self, n_samples: int, validating: bool, partial: bool
    ) -> list:
        """Callbacks of the optimisation settings (the MLPs' learning-rate rules)."""
        return []

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
        label-sorted data validates on a single class (DESIGN.md defect 8).
        """
        if fraction is None:
            fraction = self.validation_fraction
        return validation_split(len(y), fraction, seed, self._stratify_labels(y))

    def _set_training_attributes(self):
        self.loss_curve_ = list(self.history_.get("loss", []))
        self.n_iter_ = len(self.loss_curve_) - getattr(self, "_iter_offset_", 0)
        score = self._score_metric()
        name = None
        if score is not None:
            name = score if isinstance(score, str) else score.name
        val = self.history_.get(f"val_{name}") if name else None
        self.validation_scores_ = list(val) if val is not None else None
        self.best_validation_score_ = None
        if self.validation_scores_ is not None:
            self.best_validation_score_ = best_so_far(
                {"score": self.validation_scores_}, "score", "max"
            )
        # None under early stopping, as in scikit-learn: the validation score
        # decides there, not the training loss.
        self.best_loss_ = None
        if not self.early_stopping and self.loss_curve_:
            self.best_loss_ = best_so_far(self.history_, "loss", "min")

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

"""Classifier and regressor bases: targets in, network outputs back to answers.

Classifier targets are binary or multiclass labels of any type (strings included),
multilabel indicator matrices, or one-hot rows with
``loss="categorical_crossentropy"`` (multiclass, predicted back one-hot; without
that loss a one-hot matrix is multilabel, as in scikit-learn, with a warning). The encoding decides the output layer (units and
activation), the default loss and the validation metric; the decoding turns the
network's output into probabilities that are always ``(n_samples, n_classes)``
(defect 5 in docs/design.md) and into labels from ``classes_``.
"""

from __future__ import annotations

import warnings

import keras
import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import type_of_target

from .._engine import check_metrics
from .._scikeras import loss_name
from .._utils import (
    FLOATX,
    check_classification_y,
    check_regression_y,
)
from ._base import BaseKerasEstimator


def is_categorical_crossentropy(loss) -> bool:
    """True for the one-hot cross-entropy, given by name, class, object or function."""
    if loss is None:
        return False
    try:
        return loss_name(loss) == "categorical_crossentropy"
    except (ValueError, TypeError):
        return False


def _is_one_hot(y) -> bool:
    """Every row of the 0/1 matrix ``y`` holds exactly one 1."""
    y = np.asarray(y)
    return (
        y.ndim == 2
        and y.shape[1] >= 2
        and bool(np.all((y == 0) | (y == 1)))
        and bool(np.all((y == 1).sum(axis=1) == 1))
    )


def _check_one_hot(y) -> None:
    if not _is_one_hot(y):
        counts = (np.asarray(y) == 1).sum(axis=1)
        rows = np.flatnonzero(counts != 1)[:5].tolist()
        raise ValueError(
            "loss='categorical_crossentropy' takes one class per sample, but y is "
            f"an indicator matrix whose rows {rows} hold {counts[rows].tolist()} "
            "ones. For several labels per sample, pass loss='binary_crossentropy' "
            "(or no loss); for one class, one-hot rows or the labels themselves."
        )


class BaseKerasClassifier(ClassifierMixin, BaseKerasEstimator):
    """Classifier plumbing: label encoding, probabilities, class weights."""

    _parameter_constraints: dict = {
        **BaseKerasEstimator._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def _check_y(self, y, n_samples):
        return check_classification_y(y, n_samples)

    def _fit_target(self, y, classes=None):
        target_type = type_of_target(y)
        self._one_hot_y_ = False
        if target_type == "multilabel-indicator":
            self.classes_ = np.arange(y.shape[1])
            if self._one_hot_loss():  # one class per row: multiclass, one-hot
                _check_one_hot(y)
                self._one_hot_y_ = True
                self._target_type_ = "multiclass"
                return
            if _is_one_hot(y):
                warnings.warn(
                    "y is a one-hot matrix (every row holds exactly one 1), which "
                    "is fitted as a multilabel problem, as scikit-learn does: each "
                    "column a yes/no label of its own, and predict may return rows "
                    "with several 1s or none. For one class per sample, pass "
                    "loss='categorical_crossentropy' (predictions then come back "
                    "one-hot) or the labels themselves (y.argmax(axis=1)).",
                    UserWarning,
                    stacklevel=4,
                )
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
        if getattr(self, "_one_hot_y_", False):
            if y.ndim != 2 or y.shape[1] != len(self.classes_):
                raise ValueError(
                    f"y must be one-hot rows with {len(self.classes_)} columns as at "
                    f"the first fit; got shape {y.shape}."
                )
            _check_one_hot(y)
            return y.astype(FLOATX)
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
                f"Found unknown categories {unseen.tolist()} in y: the classes seen "
                f"at the first fit are {self.classes_.tolist()}."
            )
        codes = self._label_encoder_.transform(y)
        if self._target_type_ == "binary":
            return codes.astype(FLOATX).reshape(-1, 1)
        if self._one_hot_loss():
            return np.eye(len(self.classes_), dtype=FLOATX)[codes]
        return codes.astype(np.int32)

    def _one_hot_loss(self) -> bool:
        # A user's model may bring the loss it was compiled with (KerasClassifier).
        return is_categorical_crossentropy(
            getattr(self, "_model_loss_", None) or self.loss
        )

    def _output_spec(self):
        """(units, activation, loss) of the output layer for the fitted target."""
        n_classes = len(self.classes_)
        if self._target_type_ == "multilabel-indicator":
            return n_classes, "sigmoid", self.loss or "binary_crossentropy"
        if self._target_type_ == "binary":
            return 1, "sigmoid", self.loss or "binary_crossentropy"
        return n_classes, "softmax", self.loss or "sparse_categorical_crossentropy"

    def _score_metric(self):
        """Accuracy, recorded as ``history_["accuracy"]`` for every target type.

        Keras's ``"accuracy"`` string picks its variant from the shapes, which
        takes a multilabel indicator matrix for one-hot rows; the variant is
        chosen here from the target instead, always under the name "accuracy".
        """
        if getattr(self, "_target_type_", None) == "multiclass":
            if self._one_hot_loss():
                return keras.metrics.CategoricalAccuracy(name="accuracy")
            return keras.metrics.SparseCategoricalAccuracy(name="accuracy")
        return keras.metrics.BinaryAccuracy(name="accuracy")

    def _compile_metrics(self):
        # Accuracy per epoch for every classifier (the book reads
        # history["accuracy"]), not only with early stopping.
        metrics = check_metrics(self.metrics)
        if not any(m in ("accuracy", "acc") for m in metrics if isinstance(m, str)):
            metrics.append(self._score_metric())
        return metrics

    def _stratify_labels(self, y):
        # Every class needs 2 samples; fewer is refused (by train_test_split, with
        # the labels named), never silently split unstratified.
        if self._target_type_ == "multilabel-indicator":
            return None
        if getattr(self, "_one_hot_y_", False):
            y = y.argmax(axis=1)
        return y

    def _decode_proba(self, raw):
        """Network output -> probabilities ``(n_samples, n_classes)`` in float64."""
        raw = np.asarray(raw).astype(np.float64)
        if self._target_type_ == "binary":
            raw = raw.reshape(-1, 1)
            return np.hstack([1.0 - raw, raw])
        if self._target_type_ == "multiclass":
            # float32 softmax rows sum to 1 within ~1e-7; renormalise in float64.
            raw /= raw.sum(axis=1, keepdims=True)
        return raw

    def _decode_labels(self, proba):
        if self._target_type_ == "multilabel-indicator":
            return (proba > 0.5).astype(int)
        if getattr(self, "_one_hot_y_", False):  # back in the form y came in
            return np.eye(len(self.classes_), dtype=int)[np.argmax(proba, axis=1)]
        return self.classes_[np.argmax(proba, axis=1)]

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
            contain all of them). Later calls may omit it; if given, it must be the
            same classes.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; never modified.

        Returns
        -------
        self : object
            The updated estimator.
        """
        return self._partial_fit(X, y, classes=classes, sample_weight=sample_weight)

    def _partial_fit(self, X, y, *, classes, sample_weight):
        first = not self.__sklearn_is_fitted__()
        if first:
            self._validate_params()
            if classes is None and np.asarray(y).ndim == 1:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit."
                )
        elif (
            classes is not None
            and self._target_type_ != "multilabel-indicator"
            and not np.array_equal(self.classes_, np.unique(classes))
        ):
            raise ValueError(
                f"classes={list(classes)!r} is not the same as on the first call to "
                f"partial_fit, which was {self.classes_.tolist()!r}."
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

    def _check_warm_start_target(self, y) -> None:
        if self._target_type_ == "multilabel-indicator":
            return
        classes = np.unique(y)
        if set(classes.tolist()) != set(self.classes_.tolist()):
            # scikit-learn's message, word for word.
            raise ValueError(
                "warm_start can only be used where `y` has the same classes as in "
                f"the previous call to fit. Previously got {self.classes_}, `y` has "
                f"{classes}"
            )

    def _class_weight(self):
        """The class weights of this fit (the wrappers: also a ``fit`` argument)."""
        return self.class_weight

    def _sample_weight(self, sample_weight, X, y):
        sample_weight = super()._sample_weight(sample_weight, X, y)
        class_weight = self._class_weight()
        if class_weight is None or self._target_type_ == "multilabel-indicator":
            return sample_weight
        if getattr(self, "_one_hot_y_", False):
            y = y.argmax(axis=1)  # class_weight keys are the column indices
        weights = compute_sample_weight(class_weight, y).astype(FLOATX)
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
        return self._decode_proba(self._predict_raw(X))

    def predict_log_proba(self, X):
        """Logarithm of the class probabilities for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log(predict_proba(X))``, columns ordered as ``classes_``.
        """
        proba = self.predict_proba(X)
        with np.errstate(divide="ignore"):  # a probability of exactly 0 is -inf
            return np.log(proba, out=proba)

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
        return self._decode_labels(self.predict_proba(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


# ---------------------------------------------------------------------- regressor
class BaseKerasRegressor(RegressorMixin, BaseKerasEstimator):
    """Regressor plumbing: single and multi-output numeric targets."""

    def _check_y(self, y, n_samples):
        return check_regression_y(y, n_samples, type(self).__name__)

    def _fit_target(self, y, classes=None):
        self._y_ndim_ = y.ndim
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]

    def _transform_target(self, y):
        n_outputs = 1 if y.ndim == 1 else y.shape[1]
        if n_outputs != self.n_outputs_:
            raise ValueError(
                f"Detected ``y`` to have {n_outputs} outputs with ``y.shape = "
                f"{y.shape}``, but this {type(self).__name__} has {self.n_outputs_}."
            )
        return y.reshape(len(y), -1).astype(FLOATX)

    def _output_spec(self):
        return self.n_outputs_, None, self.loss or "mean_squared_error"

    def _score_metric(self):
        return keras.metrics.R2Score(name="r2")

    def _stratify_labels(self, y):
        return None

    def _decode_values(self, raw):
        raw = np.asarray(raw).astype(np.float64)
        return raw.ravel() if self._y_ndim_ == 1 else raw

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
        return self._decode_values(self._predict_raw(X))


__all__ = [
    "BaseKerasClassifier",
    "BaseKerasRegressor",
]

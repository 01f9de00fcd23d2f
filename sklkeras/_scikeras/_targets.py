"""The targets of the wrappers: classifier and regressor hooks, and BaseWrapper's.

``ClassifierWrapperMixin`` / ``RegressorWrapperMixin`` sit left of
``sklkeras.wrappers.BaseWrapper`` in ``KerasClassifier`` / ``KerasRegressor``: they
check the user's output layer against the target and decode predictions through
sklkeras's classifier and regressor bases. ``WrapperTargetHooks`` is what the plain
``BaseWrapper`` (neither classifier nor regressor, as scikeras's) does with y: it
passes it to the network as given, with the loss as given, and ``predict`` returns
the network's output through ``target_encoder_.inverse_transform``. It sits at the
far right of the MRO, so the classifier and regressor bases come first.
"""

from __future__ import annotations

import numpy as np

from ._encoders import input_dtype, input_ndim
from ._keras_fit import FIT_KWARGS
from ._loss_check import check_classification_loss


class ClassifierWrapperMixin:
    """``KerasClassifier``'s output check, metadata, decoding and ``partial_fit``."""

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

    def _transform_target(self, y):
        labels = getattr(self, "_target_type_", None) in ("binary", "multiclass")
        plain = not (getattr(self, "_one_hot_y_", 0) or self._custom_encoders_)
        if labels and plain and y.ndim == 2:
            raise ValueError(
                f"y has {y.shape[1]} features (columns), but this "
                f"{type(self).__name__} is expecting 1 feature: the class labels, "
                "as at the first fit."
            )
        return super()._transform_target(y)

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
        loss = self.loss if self.loss is not None else self._model_loss_
        check_classification_loss(
            loss,
            target_type=self._target_type_,
            n_classes=n_classes,
            units=units,
            one_hot=self._one_hot_loss(),
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
            Every class of the problem. Without it the first call takes the
            classes of its ``y``, as scikeras does.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; never modified.
        **kwargs : dict
            Keras ``fit`` arguments for this call (over ``partial_fit__``).

        Returns
        -------
        self : object
            The updated estimator.
        """
        if classes is None and not self.__sklearn_is_fitted__() and input_ndim(y) == 1:
            classes = np.unique(np.asarray(y))  # scikeras: the first batch's
        return self._fit_call(
            kwargs,
            "partial_fit",
            self._partial_fit,
            X,
            y,
            classes=classes,
            sample_weight=sample_weight,
        )


class RegressorWrapperMixin:
    """``KerasRegressor``'s output check and decoding."""

    _fit_kwargs = FIT_KWARGS - {"class_weight"}  # scikeras's KerasRegressor's

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
            Predictions, 1-D when the target was 1-D at fit; float64 for float64
            X (as scikit-learn's MLP), otherwise the network's float32 (as
            scikeras; for float32 X also scikit-learn's MLP).
        """
        raw = self._predict_raw(X, **kwargs)
        if getattr(self, "_custom_encoders_", False):
            return self._decode_custom(raw)
        y_pred = self._decode_values(raw)
        if input_dtype(X) == np.float64:  # as scikit-learn's MLPRegressor
            return y_pred
        return y_pred.astype(np.asarray(raw).dtype)  # the network's, as scikeras


class WrapperTargetHooks:
    """``BaseWrapper``'s target: y as given (the base's default target hooks),
    the loss as given, no output check."""

    def _resolve_output(self, units: int):
        return self.loss

    def predict(self, X, **kwargs):
        """The network's output for X, through ``target_encoder_.inverse_transform``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.
        **kwargs : dict
            Keras ``predict`` arguments (over ``predict__`` parameters).

        Returns
        -------
        y_pred : ndarray
            The decoded output of the network.
        """
        raw = self._predict_raw(X, **kwargs)
        if getattr(self, "_custom_encoders_", False):
            return self._decode_custom(raw)
        encoder = getattr(self, "target_encoder_", None)
        return raw if encoder is None else encoder.inverse_transform(raw)

    def score(self, X, y, sample_weight=None):
        """Not defined for ``BaseWrapper`` (as in scikeras): define ``scorer``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test data.
        y : array-like
            True targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.

        Returns
        -------
        score : float
            Never returns: raises ``NotImplementedError``.
        """
        raise NotImplementedError(
            "Scoring is not implemented on BaseWrapper: define a scorer(y_true, "
            "y_pred, **kwargs) static method in a subclass, or use KerasClassifier "
            "/ KerasRegressor."
        )


__all__ = ["ClassifierWrapperMixin", "RegressorWrapperMixin", "WrapperTargetHooks"]

"""scikeras's encoder hooks of the wrappers: ``target_encoder`` / ``feature_encoder``.

A subclass that overrides either (scikeras's recipe for multi-input and multi-output
models, or for its own target encoding) has its encoders fitted at ``fit``, their
``get_metadata()`` added to ``meta``, X and y transformed for the network and the
predictions decoded by ``target_encoder_.inverse_transform``. Otherwise sklkeras's
own encoding (``_targets.py``) is used: scikeras's for every single-output target,
with ``predict_proba`` always 2-D (defect 5 in docs/design.md). ``scorer`` is scikeras's
scoring hook.
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.multiclass import type_of_target

from .._utils import check_any_X, check_tabular_X


def _overridden(obj, name: str, defaults: tuple) -> bool:
    for cls in type(obj).__mro__:
        if name in vars(cls):
            return cls not in defaults
    return False


def input_ndim(data) -> int | None:
    """``data``'s number of dimensions, without NumPy's array functions (which
    array-likes such as scikit-learn's ``_NotAnArray`` refuse); None when NumPy
    cannot make an array of it."""
    ndim = getattr(data, "ndim", None)
    if ndim is None:
        try:
            ndim = np.asarray(data).ndim
        except (TypeError, ValueError):
            return None
    return int(ndim)


def input_dtype(data):
    """The dtype ``data`` came in (before sklkeras casts X to float32), or None
    when it has none NumPy knows (a DataFrame, a pandas extension dtype)."""
    dtype = getattr(data, "dtype", None)
    try:
        if dtype is None and hasattr(data, "dtypes"):  # a DataFrame's columns
            dtype = np.result_type(*[np.dtype(d) for d in data.dtypes])
        elif dtype is None:
            dtype = np.asarray(data).dtype
    except (TypeError, ValueError):
        return None
    try:
        return np.dtype(dtype) if dtype is not None else None
    except TypeError:
        return None


class EncodersMixin:
    """``target_encoder`` / ``feature_encoder`` hooks and the scikeras metadata."""

    # Classes whose target_encoder / feature_encoder are the defaults.
    _default_encoder_owners: tuple = ()

    @property
    def feature_encoder(self):
        """Transformer for X, fitted at ``fit``; override it in a subclass.

        Its ``get_metadata()`` (if any) adds to ``meta``. The default passes X on.
        """
        return FunctionTransformer()

    def _custom_encoders(self) -> bool:
        owners = (*self._default_encoder_owners, EncodersMixin)
        return _overridden(self, "target_encoder", owners) or _overridden(
            self, "feature_encoder", owners
        )

    def _fit_encoders(self, X, y, custom: bool) -> None:
        target_encoder = self.target_encoder.fit(y)
        feature_encoder = self.feature_encoder.fit(X)
        meta = {
            **getattr(target_encoder, "get_metadata", dict)(),
            **getattr(feature_encoder, "get_metadata", dict)(),
        }
        self.target_encoder_, self.feature_encoder_ = target_encoder, feature_encoder
        for name, value in meta.items():  # sklkeras's own values win by default
            if custom or not hasattr(self, name):
                setattr(self, name, value)
        target_type = getattr(target_encoder, "_target_type", None)
        if target_type is not None:
            self.target_type_ = target_type

    def _fit(self, X, y, sample_weight, *, reset, **kwargs):
        given = (input_dtype(X), input_dtype(y), input_ndim(y))
        if reset:
            self._input_dtypes_ = given
        else:
            self._check_input_change(*given)
        return super()._fit(X, y, sample_weight, reset=reset, **kwargs)

    def _check_input_change(self, X_dtype, y_dtype, y_ndim) -> None:
        """scikeras's checks (and messages) between ``partial_fit`` calls (and
        ``warm_start`` fits): X's and y's dtype may only change to one that casts
        safely to the first fit's, and y keeps its number of dimensions."""
        fitted = getattr(self, "_input_dtypes_", None)
        if fitted is None:  # saved by a version that did not record them
            return
        cls = type(self).__name__
        for name, new, old in (("X", X_dtype, fitted[0]), ("y", y_dtype, fitted[1])):
            if new is not None and old is not None and not np.can_cast(new, old):
                raise ValueError(
                    f"Got {name} with dtype {new}, but this {cls} expected {old} "
                    f"and casting from {new} to {old} is not safe! {name} must keep "
                    f"the dtype of the first fit: cast it (.astype({str(old)!r})), "
                    "or fit anew."
                )
        if y_ndim != fitted[2]:
            raise ValueError(
                f"y has {y_ndim} dimensions, but this {cls} is expecting "
                f"{fitted[2]} dimensions in y (as at the first fit)."
            )

    def _scikeras_data_meta(self, X, y) -> None:
        y = np.asarray(y)
        X_dtype, y_dtype, y_ndim = getattr(self, "_input_dtypes_", (None,) * 3)
        self.X_shape_ = tuple(X.shape)
        self.X_dtype_ = X.dtype if X_dtype is None else X_dtype  # as it came in
        self.y_dtype_ = y.dtype if y_dtype is None else y_dtype
        self.y_ndim_ = y.ndim if y_ndim is None else y_ndim
        self.target_type_ = type_of_target(y)

    def _fit_target(self, y, classes=None):
        custom = self._custom_encoders()
        if not custom:
            super()._fit_target(y, classes)
        else:  # still sklkeras's own, for the validation split and classes_
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the encoder decides, not these
                try:
                    super()._fit_target(y, classes)
                except (ValueError, TypeError):  # several outputs: the encoder's
                    self._target_type_ = type_of_target(y)
        X = self.__dict__.pop("_fit_X_")
        self._scikeras_data_meta(X, y)
        try:
            self._fit_encoders(X, y, custom)
        except (ValueError, TypeError):
            if custom:
                raise
            self.target_encoder_ = self.feature_encoder_ = None
        self._custom_encoders_ = custom

    def _stratify_labels(self, y):
        # With custom encoders only single-output labels are stratified.
        if getattr(self, "_custom_encoders_", False) and getattr(
            self, "_target_type_", None
        ) not in ("binary", "multiclass"):
            return None
        return super()._stratify_labels(y)

    def _check_X(self, X, *, reset: bool):
        if sp.issparse(X):  # as scikeras; batches are densified one at a time
            X = check_tabular_X(self, X, reset=reset, accept_sparse=["csr", "csc"])
            if reset:
                self.input_shape_ = (int(X.shape[1]),)
        else:
            X = check_any_X(self, X, reset=reset)  # tables, images, sequences
        if reset:
            self._fit_X_ = X
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # CSR / CSC X, as scikeras takes it
        return tags

    def _transform_target(self, y):
        if getattr(self, "_custom_encoders_", False):
            return self.target_encoder_.transform(y)
        return super()._transform_target(y)

    def _encode_X(self, X):
        if getattr(self, "_custom_encoders_", False):
            return self.feature_encoder_.transform(X)
        return X

    def _decode_custom(self, raw, **kwargs):
        inverse = self.target_encoder_.inverse_transform
        if "return_proba" in inspect.signature(inverse).parameters:
            return inverse(raw, **kwargs)
        return inverse(raw)

    @property
    def _rebuilt_on_load(self) -> tuple:
        # save() leaves out the default encoders: predictions do not use them.
        if getattr(self, "_custom_encoders_", False):
            return ()
        return ("target_encoder_", "feature_encoder_")

    def score(self, X, y, sample_weight=None):
        """Accuracy (classifiers) or R^2 (regressors), or a subclass's ``scorer``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.

        Returns
        -------
        score : float
            ``scorer(y, predict(X))`` when a subclass defines ``scorer``.
        """
        if not _overridden(self, "scorer", (EncodersMixin,)):
            return super().score(X, y, sample_weight=sample_weight)
        kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
        return self.scorer(y, self.predict(X), **kwargs)


__all__ = ["EncodersMixin", "input_dtype"]

"""Input checks shared by the estimators: X, y and sample_weight.

Each check raises a ``ValueError`` / ``TypeError`` that names the problem and what
was expected, before any TensorFlow code runs.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import DataConversionWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import column_or_1d
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_array, validate_data

# The dtype networks train in.
FLOATX = np.float32


def check_tabular_X(estimator, X, *, reset: bool, dtype=FLOATX, accept_sparse=False):
    """2-D numeric X without NaN or infinity; learns ``n_features_in_`` and
    ``feature_names_in_`` when ``reset``. ``accept_sparse`` as scikit-learn's
    (e.g. ``["csr", "csc"]``; other sparse formats are converted to the first)."""
    check_numeric_columns(X)
    try:
        return validate_data(
            estimator,
            X,
            reset=reset,
            dtype=dtype,
            accept_sparse=accept_sparse,
            ensure_all_finite=True,
        )
    except ValueError as exc:
        if "could not convert" in str(exc):
            check_numeric_columns(np.asarray(X, dtype=object))
        raise


def check_any_X(estimator, X, *, reset: bool):
    """Tables as :func:`check_tabular_X`; images and sequences (n-d X) of any sample
    shape, checked against the fitted ``input_shape_``. Learns ``input_shape_``."""
    ndim = getattr(X, "ndim", None) or np.asarray(X, dtype=object).ndim
    fitted = None if reset else getattr(estimator, "input_shape_", None)
    # (1-D X gets scikit-learn's "Reshape your data" below.)
    if fitted is not None and ndim >= 2 and ndim != len(fitted) + 1:
        raise ValueError(
            f"X has {ndim} dimensions, but this {type(estimator).__name__} is "
            f"expecting {len(fitted) + 1} dimensions in X (samples of shape "
            f"{fitted}, as at fit)."
        )
    if ndim <= 2:
        X = check_tabular_X(estimator, X, reset=reset)
    else:
        X = check_array(X, allow_nd=True, dtype=FLOATX, ensure_all_finite=True)
        if reset:
            estimator.n_features_in_ = int(np.prod(X.shape[1:]))
        elif tuple(X.shape[1:]) != estimator.input_shape_:
            raise ValueError(
                f"X has samples of shape {tuple(X.shape[1:])}, but "
                f"{type(estimator).__name__} was fitted on {estimator.input_shape_}."
            )
    if reset:
        estimator.input_shape_ = tuple(int(s) for s in X.shape[1:])
    return X


_ENCODE_HINT = (
    "Encode them as numbers before the estimator, e.g. with "
    "make_column_transformer((OneHotEncoder(handle_unknown='ignore'), {columns}), "
    "remainder=StandardScaler()) in a Pipeline (sklearn.compose.ColumnTransformer)."
)


def check_numeric_columns(X) -> None:
    """Refuse text or categorical columns, naming them and how to encode them.

    Without this the error is pandas' or NumPy's ``could not convert string to
    float: 'a'``, which names neither the column nor the remedy.
    """
    dtypes = getattr(X, "dtypes", None)
    if dtypes is not None and hasattr(X, "columns"):  # a DataFrame
        import pandas as pd

        bad = [
            col
            for col, dtype in zip(X.columns, dtypes, strict=True)
            if not (
                pd.api.types.is_numeric_dtype(dtype)
                or pd.api.types.is_bool_dtype(dtype)
                or _converts(X[col])
            )
        ]
        kinds = sorted({str(dtypes[col]) for col in bad}) if bad else []
    elif isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype.kind in "OUSV":
        bad = [j for j in range(X.shape[1]) if not _converts(X[:, j])]
        kinds = [str(X.dtype)]
    else:
        return
    if bad:
        raise ValueError(
            f"X has non-numeric (string or categorical) column(s) {bad} (dtype "
            f"{', '.join(kinds)}): the "
            "network needs numbers. " + _ENCODE_HINT.format(columns=bad)
        )


def _converts(column) -> bool:
    """False for text that is not a number; other objects (dicts, ...) are left
    to scikit-learn's own ``TypeError``."""
    try:
        np.asarray(column, dtype=np.float64)
    except ValueError:
        return False
    except TypeError:
        return True
    return True


def check_y_given(estimator, y) -> None:
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y "
            "is None."
        )


def _check_n_samples(y_arr, n_samples: int) -> None:
    if y_arr.shape[0] != n_samples:
        raise ValueError(
            "Found input variables with inconsistent numbers of samples: "
            f"[{n_samples}, {y_arr.shape[0]}]"
        )


def check_classification_y(y, n_samples: int) -> np.ndarray:
    """Labels ``(n,)`` or an indicator matrix ``(n, k)``; a column vector is raveled
    with scikit-learn's ``DataConversionWarning``."""
    y_arr = np.asarray(y)
    if y_arr.ndim == 2 and y_arr.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected. Please "
            "change the shape of y to (n_samples,), for example using ravel().",
            DataConversionWarning,
            stacklevel=4,
        )
        y_arr = column_or_1d(y_arr)
    if y_arr.ndim > 2 or y_arr.ndim == 0:
        raise ValueError(
            f"y must be 1-D labels or a 2-D indicator matrix; got shape {y_arr.shape}."
        )
    _check_n_samples(y_arr, n_samples)
    check_classification_targets(y_arr)
    return y_arr


def check_regression_y(y, n_samples: int, owner: str) -> np.ndarray:
    """A finite numeric target ``(n,)`` or ``(n, n_outputs)``, as float64."""
    y_arr = np.asarray(y)
    if y_arr.ndim == 0 or y_arr.ndim > 2:
        raise ValueError(
            f"y must have shape (n_samples,) or (n_samples, n_outputs); got {y_arr.shape}."
        )
    _check_n_samples(y_arr, n_samples)
    try:
        y_arr = y_arr.astype(np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{owner} needs a numeric target y; got dtype {y_arr.dtype}."
        ) from None
    if not np.all(np.isfinite(y_arr)):
        raise ValueError("Input y contains NaN or infinity.")
    return y_arr


def check_sample_weight(sample_weight, X):
    """A float32 copy of ``sample_weight`` (or None); the caller's array is never
    modified later (defect 4 in docs/design.md).

    Negative weights are refused, as scikit-learn's estimators do: they would make
    the loss negative and training maximise the error on those rows.
    """
    if sample_weight is None:
        return None
    checked = _check_sample_weight(
        sample_weight, X, dtype=FLOATX, ensure_non_negative=True
    )
    # _check_sample_weight may return the caller's array: copy before any product.
    return np.array(checked, copy=True)


def validation_split(n_samples: int, fraction: float, seed, stratify):
    """Shuffled train / validation indices for early stopping (stratified on
    ``stratify`` unless None), refusing what cannot be split, with scikit-learn's
    rules: every class needs 2 samples, and the validation set at least 2."""
    try:
        idx_train, idx_val = train_test_split(
            np.arange(n_samples),
            test_size=fraction,
            random_state=None if seed is None else seed % (2**31 - 1),
            stratify=stratify,
        )
    except ValueError as exc:
        raise ValueError(
            f"early_stopping=True could not set aside validation_fraction="
            f"{fraction} of {n_samples} samples: {exc}"
        ) from None
    if len(idx_val) < 2:  # scikit-learn's rule and message
        raise ValueError(
            "The validation set is too small. Increase 'validation_fraction' or "
            f"the size of your dataset (early_stopping=True set aside "
            f"{len(idx_val)} of {n_samples} samples)."
        )
    return idx_train, idx_val

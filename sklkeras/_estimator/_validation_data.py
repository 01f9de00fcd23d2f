"""Validation data given to ``fit`` (``X_val``, ``y_val``, ``sample_weight_val``).

With scikit-learn's semantics (``HistGradientBoosting*.fit`` in 1.9): both or
neither of ``X_val`` and ``y_val``; they are the validation data of early
stopping in place of the rows ``validation_fraction`` would hold out (and, on the
wrappers, of Keras's validation monitoring in place of ``validation_split``'s
slice). Refused with a ValueError: one without the other, validation data when the
estimator does not validate (``early_stopping=False``, except on the wrappers),
and validation data together with a split of the training rows that asks for
something else (``validation_split`` > 0, a ``validation_fraction`` other than
its default). ``validation_arrays`` checks and encodes them as the training data
is: the checked X, the encoded target, float sample weights.
"""

from __future__ import annotations

import inspect

from .._utils import check_sample_weight


class ValidationDataMixin:
    """The hooks of ``check_validation_args`` (the wrappers override them)."""

    def _accepts_validation_data(self) -> bool:
        """Whether ``fit`` takes ``X_val`` / ``y_val`` (it validates)."""
        return bool(self.early_stopping)

    def _validation_split_arg(self):
        """A ``validation_split`` this fit asks for (the wrappers'), or None."""
        return None

    def _encode_validation_X(self, X_val):
        """``X_val`` as the network takes it, once checked (the wrappers encode)."""
        return X_val

    def _check_validation_args(self, X_val, y_val) -> None:
        check_validation_args(self, X_val, y_val)

    def _given_validation_data(self) -> bool:
        """Whether the running ``fit`` was given ``X_val`` / ``y_val``."""
        data = self.__dict__.get("_fit_data")
        return data is not None and data.validating

    def _given_validation_arrays(self) -> list | None:
        """The validation data given to the running ``fit``, checked and encoded."""
        return validation_arrays(self, self.__dict__.get("_fit_data"))


def check_validation_args(est, X_val, y_val) -> None:
    """Refuse what ``fit`` cannot do with ``X_val`` / ``y_val`` (see the module)."""
    if X_val is None and y_val is None:
        return
    if y_val is None:
        raise ValueError("X_val is provided, but y_val was not provided.")
    if X_val is None:
        raise ValueError("y_val is provided, but X_val was not provided.")
    if not est._accepts_validation_data():
        raise ValueError(
            "X_val and y_val are passed to fit while early_stopping is False. They "
            "are the validation data of early stopping: set early_stopping=True."
        )
    split = est._validation_split_arg()
    if split:
        raise ValueError(
            f"X_val and y_val are passed to fit together with validation_split="
            f"{split!r}: give either validation data or a share of the training "
            "rows to validate on, not both."
        )
    default = _default(est, "validation_fraction")
    fraction = getattr(est, "validation_fraction", default)
    if fraction != default:
        raise ValueError(
            f"X_val and y_val are passed to fit together with validation_fraction="
            f"{fraction!r}; the validation data replaces the held-out share of the "
            f"training rows: leave validation_fraction at its default ({default!r}) "
            "or do not pass X_val and y_val."
        )


def _default(est, name):
    try:
        param = inspect.signature(type(est).__init__).parameters.get(name)
    except (TypeError, ValueError):  # pragma: no cover
        return None
    return None if param is None else param.default


def validation_arrays(est, data) -> list | None:
    """``[X_val, y_val(, sample_weight_val)]`` checked and encoded as the training
    data (``data`` is the fit's ``FitData``), or None without validation data."""
    if data is None or not data.validating:
        return None
    X_val = est._check_X(data.X_val, reset=False)
    y_val = est._check_y(data.y_val, n_samples=X_val.shape[0])
    y_enc = est._transform_target(y_val)
    if getattr(y_enc, "dtype", None) is not None and y_enc.dtype.kind == "f":
        y_enc = y_enc.astype(est._float_dtype(), copy=False)
    arrays = [est._encode_validation_X(X_val), y_enc]
    if data.sample_weight_val is not None:
        weights = check_sample_weight(data.sample_weight_val, X_val)
        arrays.append(weights.astype(est._float_dtype(), copy=False))
    return arrays


__all__ = ["ValidationDataMixin", "check_validation_args", "validation_arrays"]

"""Checks on CNNClassifier's hyperparameters that its constraints cannot express:
the augmentation settings and the tuples of positive ints (filters, dense units)."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np

from .._estimator import AUGMENTATIONS

FLIP_MODES = ("horizontal", "vertical", "horizontal_and_vertical")
# key -> (what a single number means, its largest value, lowest value of a pair)
_FACTORS = {
    "rotation": ("a fraction of a full turn", 1.0, -1.0),
    "translation": ("a fraction of the image size", 1.0, -1.0),
    "zoom": ("a fraction of the image size", 1.0, -1.0),
    "contrast": ("a contrast factor", 1.0, 0.0),
}


def check_augmentation(augmentation) -> dict:
    """The augmentation settings, every key and value checked.

    Keras's random layers accept some values that mean nothing (``RandomFlip(True)``
    builds, and a bool is a number to Python), so each value is checked here,
    before the network is built, with the allowed values named.
    """
    augmentation = dict(augmentation or {})
    unknown = set(augmentation) - set(AUGMENTATIONS)
    if unknown:
        raise ValueError(
            f"augmentation has unknown keys {sorted(unknown)}; known keys are "
            f"{list(AUGMENTATIONS)}."
        )
    for key, value in augmentation.items():
        if key == "flip":
            if not (isinstance(value, str) and value in FLIP_MODES):
                raise ValueError(
                    f"augmentation['flip'] must be one of {list(FLIP_MODES)}; got "
                    f"{value!r}."
                )
            continue
        meaning, high, low = _FACTORS[key]
        if _is_number(value) and 0 <= value <= high:
            continue
        if (
            isinstance(value, (tuple, list))
            and len(value) == 2
            and all(_is_number(v) for v in value)
            and low <= value[0] <= value[1] <= high
        ):
            continue
        raise ValueError(
            f"augmentation[{key!r}] must be a number in [0, {high:g}] ({meaning}) "
            f"or a (low, high) pair with {low:g} <= low <= high <= {high:g}; got "
            f"{value!r}."
        )
    return augmentation


def _is_number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, (bool, np.bool_))


def as_tuple(value, name: str, allow_empty: bool = False) -> tuple[int, ...]:
    """``value`` as a tuple of positive ints (one int is a 1-tuple), or refused."""
    values = (value,) if isinstance(value, Integral) else tuple(value)
    if (not values and not allow_empty) or not all(
        isinstance(v, Integral) and v > 0 for v in values
    ):
        raise ValueError(f"{name} must be positive integers; got {value!r}.")
    return values

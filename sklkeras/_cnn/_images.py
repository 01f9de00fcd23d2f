"""Checks on the image arrays CNNClassifier takes: flat rows' image shape, images
that look channels-first, and the pixel scale compared between fit and predict."""

from __future__ import annotations

import numpy as np

# Predict-time pixels whose largest magnitude differs from fit's by more than this
# factor (either way) draw a warning: 255 is the 8-bit against [0, 1] slip.
SCALE_RATIO = 50.0


def resolve_image_shape(image_shape, n_features: int) -> tuple[int, int, int]:
    """(h, w[, c]) with at most one -1, as numpy's reshape, for rows of n_features."""
    shape = [int(s) for s in image_shape]
    if len(shape) == 2:
        shape.append(1)
    if len(shape) != 3 or shape.count(-1) > 1 or any(s == 0 or s < -1 for s in shape):
        raise ValueError(
            "image_shape must be (height, width) or (height, width, channels) of "
            f"positive ints, one of which may be -1; got {image_shape!r}."
        )
    known = int(np.prod([s for s in shape if s != -1]))
    if -1 in shape:
        if n_features % known:
            raise ValueError(
                f"Rows of {n_features} values cannot be reshaped to image_shape="
                f"{tuple(image_shape)}."
            )
        shape[shape.index(-1)] = n_features // known
    if int(np.prod(shape)) != n_features:
        raise ValueError(
            f"image_shape={tuple(image_shape)} holds {int(np.prod(shape))} values but "
            f"the rows of X have {n_features}."
        )
    return tuple(shape)


def refuse_likely_channels_first(shape) -> None:
    """Refuse (n, c, h, w) images read as channels-last: a leading axis of 1 or 3
    beside two larger ones, and a last axis that is no usual channel count."""
    _, a, b, c = shape
    if a in (1, 3) and min(b, c) > a and c not in (1, 2, 3, 4):
        raise ValueError(
            f"X has shape {tuple(shape)}, which looks like channels-first images "
            f"({a} channel(s) of {b}x{c} pixels), but CNNClassifier reads 4-D "
            f"images as (n, height, width, channels): as {a}x{b} images with {c} "
            "channels. Pass data_format='channels_first' (or move the axis: "
            "np.moveaxis(X, 1, -1)); if the images really are channels-last, pass "
            "data_format='channels_last'."
        )


def value_scale(X) -> float:
    """Largest absolute value in X (0 for an empty array)."""
    if not X.size:
        return 0.0
    return float(max(np.max(X), -np.min(X)))

"""The checks behind CNNClassifier: image arrays (``_images``: shapes, channel
order, pixel scale) and hyperparameters (``_params``: augmentation settings,
positive-int tuples). The estimator itself is ``sklkeras.cnn.CNNClassifier``.
"""

from ._images import (
    SCALE_RATIO,
    refuse_likely_channels_first,
    resolve_image_shape,
    value_scale,
)
from ._params import (
    FLIP_MODES,
    as_tuple,
    check_augmentation,
)

__all__ = [
    "FLIP_MODES",
    "SCALE_RATIO",
    "as_tuple",
    "check_augmentation",
    "refuse_likely_channels_first",
    "resolve_image_shape",
    "value_scale",
]

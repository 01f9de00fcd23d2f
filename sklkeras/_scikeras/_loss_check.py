"""A Keras loss that cannot take the classification target, refused early.

Without this check the mismatch surfaces inside TensorFlow ("Dimensions must be
equal, but are 1 and 3") or inside Keras's loss code, naming neither the loss nor
the target. Only Keras's own losses are checked; a custom loss is the user's to fit.
"""

from __future__ import annotations

from ._imports import loss_name

# Losses that take one integer class code per sample.
INTEGER_LABEL_LOSSES = {"sparse_categorical_crossentropy"}
# Keras losses that take y of the output's width (one value per output unit).
WIDTH_LOSSES = {
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_hinge",
    "cosine_similarity",
    "hinge",
    "huber",
    "kl_divergence",
    "log_cosh",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "poisson",
    "squared_hinge",
}


def _keras_name(loss) -> str | None:
    if loss is None or isinstance(loss, (dict, list, tuple)):
        return None
    try:
        name = loss_name(loss)
    except (ValueError, TypeError):
        return None
    return name if name in WIDTH_LOSSES | INTEGER_LABEL_LOSSES else None


def check_classification_loss(loss, *, target_type, n_classes, units, one_hot):
    """Raise a ``ValueError`` naming ``loss`` and the target when they do not fit.

    ``one_hot``: y reaches the network one-hot (``categorical_crossentropy``).
    """
    name = _keras_name(loss)
    if name is None:
        return
    shown = loss if isinstance(loss, str) else name
    if target_type == "multiclass" and not one_hot and name in WIDTH_LOSSES:
        raise ValueError(
            f"loss={shown!r} expects y of the output's width ({units} values per "
            f"sample), but y has {n_classes} classes (multiclass), one label per "
            "sample: use loss='sparse_categorical_crossentropy' (or leave loss "
            "unset), or loss='categorical_crossentropy', which one-hot encodes y."
        )
    binary_like = target_type in ("binary", "multilabel-indicator")
    if binary_like and name in INTEGER_LABEL_LOSSES:
        what = (
            "2 classes (binary)"
            if target_type == "binary"
            else f"{n_classes} labels (multilabel-indicator)"
        )
        raise ValueError(
            f"loss={shown!r} expects one integer class per sample and a softmax "
            f"unit per class, but y has {what} and the output has {units} "
            "sigmoid unit(s): use loss='binary_crossentropy' (or leave loss unset)."
        )


__all__ = ["check_classification_loss"]

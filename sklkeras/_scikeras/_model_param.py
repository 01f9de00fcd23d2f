"""The ``model`` parameter of the wrappers, checked as scikeras 0.13 checks it.

scikeras code matches on its messages ("must implement ``_keras_build_fn``",
"cannot implement ``_keras_build_fn``", "``model`` must be"), so they are kept,
inside messages that say what to pass instead.
"""

from __future__ import annotations

import keras

# scikeras's words first: its code and tests match on them.
BUILD_FN_MESSAGE = (
    "``build_fn`` will be renamed to ``model``: build_fn is scikeras's old name of "
    "model=; pass model= instead."
)


class BuildFnWarning(DeprecationWarning, UserWarning):
    """``build_fn=``, scikeras's old name of ``model=``: a ``DeprecationWarning``,
    and the ``UserWarning`` scikeras emits (code may filter either)."""


def model_param(estimator):
    """``estimator.model`` (or ``build_fn``, or the subclass's ``_keras_build_fn``),
    checked as scikeras checks it, in its words."""
    model = estimator.build_fn if estimator.model is None else estimator.model
    name = "build_fn" if estimator.model is None else "model"
    if model is None:
        if not hasattr(estimator, "_keras_build_fn"):
            raise ValueError(
                f"{type(estimator).__name__} got no model: pass model= (a function "
                "returning a keras.Model, or a keras.Model), or, if not using "
                "the ``model`` param, you must implement ``_keras_build_fn`` in "
                "a subclass."
            )
        return estimator._keras_build_fn
    if isinstance(model, keras.Model):
        return model
    if not callable(model):
        raise TypeError(
            "``model`` must be a callable, a Keras Model instance or None; "
            f"{name}= is a {type(model).__name__}."
        )
    if hasattr(estimator, "_keras_build_fn"):
        raise ValueError(
            f"{type(estimator).__name__} implements ``_keras_build_fn``, so it "
            "cannot take a model function too: this class cannot implement "
            f"``_keras_build_fn`` if using the ``model`` parameter ({name}=)."
        )
    return model


__all__ = ["BUILD_FN_MESSAGE", "BuildFnWarning", "model_param"]

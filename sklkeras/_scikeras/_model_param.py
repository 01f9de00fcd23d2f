"""The ``model`` parameter of the wrappers, checked as scikeras 0.13 checks it,
and the copy of a ``keras.Model`` passed as ``model=``.

scikeras code matches on its messages ("must implement ``_keras_build_fn``",
"cannot implement ``_keras_build_fn``", "``model`` must be"), so they are kept,
inside messages that say what to pass instead.
"""

from __future__ import annotations

import keras

from ._compile import kept_compile

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


def copy_passed_model(estimator, model):
    """A fresh copy of the ``keras.Model`` passed as ``model=``, holding its
    weights and its compile settings: a pretrained model stays pretrained, the
    caller's model is never trained in place, and every fit starts from the same
    weights (defect 6 in docs/design.md)."""
    routed = {
        k: v
        for k, v in estimator._model_params().items()
        if not any(k.startswith(p + "__") for p in ("fit", "predict"))
        and not k.startswith(("optimizer__", "loss__", "metrics__"))
        and not k.startswith(("compile__", "callbacks__", "partial_fit__"))
    }
    if routed:
        raise ValueError(
            f"{type(estimator).__name__} got keyword(s) {sorted(routed)}, which "
            "are passed to a model-building function; model= is a keras.Model "
            "instance, which takes none."
        )
    copy = keras.models.clone_model(model)
    if model.built:
        copy.set_weights(model.get_weights())
    kept = kept_compile(model)
    if kept is not None:
        opt = kept["optimizer"]
        kept["optimizer"] = opt.__class__.from_config(opt.get_config())
        copy.compile(**kept)
    return copy


__all__ = ["BUILD_FN_MESSAGE", "BuildFnWarning", "copy_passed_model", "model_param"]

"""scikit-learn's fitted attributes of the MLPs, read from (and written to) the network.

``coefs_[i]`` / ``intercepts_[i]`` are the kernel ``(fan_in, fan_out)`` and bias
``(fan_out,)`` of the i-th ``Dense`` layer, in the network's dtype, as in
scikit-learn. Reading them copies the live weights (read-only arrays). Assigning
``coefs_`` / ``intercepts_`` or one of their items, as scikit-learn's own tests do
before ``partial_fit``, sets the network's weights: they are checked against the
layer shapes and written into the network before it is next used (``predict``, a
continued fit, pickling, ``save``); a fit that starts afresh draws new weights
instead, as scikit-learn's does.
"""

from __future__ import annotations

import numpy as np

_PENDING = {"coefs_": "_pending_coefs", "intercepts_": "_pending_intercepts"}


class WeightList(list):
    """A list of layer weights whose item assignment writes to its estimator."""

    def __init__(self, values, owner, name):
        super().__init__(values)
        self._owner = owner
        self._name = name

    def __setitem__(self, index, value):
        super().__setitem__(index, value)
        setattr(self._owner, _PENDING[self._name], self)

    def __reduce__(self):  # pickles (and deep-copies) as a plain list
        return (list, (list(self),))


def dense_layers(model) -> list:
    import keras

    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def read_weights(est, name: str):
    """``coefs_`` or ``intercepts_``: pending values, or copies of the live ones."""
    pending = est.__dict__.get(_PENDING[name])
    if pending is not None:
        return pending
    model = est.__dict__.get("model_")
    if model is None:
        raise AttributeError(
            f"{type(est).__name__!r} object has no attribute {name!r} (not fitted)"
        )
    arrays = []
    for layer in dense_layers(model):
        variable = layer.kernel if name == "coefs_" else layer.bias
        value = np.array(variable.numpy(), copy=True)
        value.flags.writeable = False  # edit by assigning, not in place
        arrays.append(value)
    return WeightList(arrays, est, name)


def write_weights(est, name: str, value) -> None:
    est.__dict__[_PENDING[name]] = value


def has_pending(est) -> bool:
    return any(est.__dict__.get(attr) is not None for attr in _PENDING.values())


def drop_pending(est) -> None:
    for attr in _PENDING.values():
        est.__dict__.pop(attr, None)


def apply_pending(est, model) -> None:
    """Write assigned ``coefs_`` / ``intercepts_`` into ``model``, checking shapes."""
    if not has_pending(est):
        return
    layers = dense_layers(model)
    for name, kind in (("coefs_", "kernel"), ("intercepts_", "bias")):
        values = est.__dict__.get(_PENDING[name])
        if values is None:
            continue
        if len(values) != len(layers):
            raise ValueError(
                f"{name} has {len(values)} entries but the network has {len(layers)} "
                "layers (hidden layers and the output layer)."
            )
        for i, (layer, value) in enumerate(zip(layers, values, strict=True)):
            variable = getattr(layer, kind)
            array = np.asarray(value, dtype=variable.dtype)
            if array.shape != tuple(variable.shape):
                raise ValueError(
                    f"{name}[{i}] has shape {array.shape}; layer {i} of the network "
                    f"needs {tuple(variable.shape)}."
                )
            variable.assign(array)
    drop_pending(est)


def check_finite_weights(model) -> None:
    """scikit-learn's check at the end of every fit, with its message."""
    if not all(np.isfinite(w).all() for w in model.get_weights()):
        raise ValueError(
            "Solver produced non-finite parameter weights. The input data may contain "
            "large values and need to be preprocessed."
        )


def set_fitted_attributes(est) -> None:
    """``n_layers_``, ``n_outputs_``, ``out_activation_``, ``loss_`` after a fit."""
    layers = dense_layers(est.model_)
    est.n_layers_ = len(layers) + 1
    est.n_outputs_ = int(layers[-1].units)
    est.out_activation_ = est._out_activation()
    if est.loss_curve_:
        est.loss_ = est.loss_curve_[-1]


def sklearn_targets(est, Y):
    """scikit-learn's binarized targets (as its private ``_loss_grad_lbfgs`` takes
    them) in this network's encoding."""
    Y = np.asarray(Y)
    if getattr(est, "_target_type_", None) == "multiclass" and not est._one_hot_loss():
        return Y.argmax(axis=1).astype(np.int32)
    return Y.reshape(len(Y), -1).astype(est._float_dtype())

"""A NumPy forward pass for few rows through chains of Dense layers.

scikit-learn's MLP answers one row in ~0.1 ms with NumPy; a compiled Keras call
costs several times that in dispatch alone. Networks that are a plain chain of
Keras's own ``Dense`` / ``Activation`` / ``Dropout`` layers (MLPClassifier and
MLPRegressor build them, and many ``KerasClassifier`` models are them) are
computed here from their fitted weights, in the network's own float dtype.

Every row is its own vector-matrix product (``x[:, None, :] @ W``: one BLAS gemv
per row), so a row's output is the same bits whatever rows come with it, as on
the compiled path; it agrees with the compiled path within float32 round-off.

Thread safety: ``_CHAINS`` (model -> its layers, or False) is a weak-keyed cache
written under ``_LOCK``; a race can only compute the same entry twice. The weights
are read on every call (TensorFlow: one compiled read of all of them; JAX: its
immutable arrays, copied when they change), so training, ``set_weights`` and
assigned ``coefs_`` are always seen.
"""

from __future__ import annotations

import threading
import weakref

import keras
import numpy as np
import scipy.special

# Rows up to which prediction takes this path (the compiled path runs at least
# one 64-row chunk, and per-row products grow linearly).
MAX_NUMPY_ROWS = 64

_CHAINS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_READERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _relu(h):
    return np.maximum(h, 0, out=h)


def _softmax(h):
    h -= h.max(axis=-1, keepdims=True)
    np.exp(h, out=h)
    h /= h.sum(axis=-1, keepdims=True)
    return h


# Keras's activation functions (by identity) -> their NumPy counterparts.
_ACTIVATIONS = {
    keras.activations.linear: lambda h: h,
    keras.activations.relu: _relu,
    keras.activations.tanh: lambda h: np.tanh(h, out=h),
    keras.activations.sigmoid: lambda h: scipy.special.expit(h, out=h),
    keras.activations.softmax: _softmax,
    keras.activations.exponential: lambda h: np.exp(h, out=h),
}
_FLOATS = ("float32", "float64")


def _layer_ok(layer) -> bool:
    kind = type(layer)
    if kind in (keras.layers.InputLayer, keras.layers.Dropout):
        return True  # Dropout is the identity at prediction
    if kind is keras.layers.Activation:
        return layer.activation in _ACTIVATIONS
    if kind is not keras.layers.Dense:
        return False
    return (
        layer.activation in _ACTIVATIONS
        and getattr(layer, "quantization_mode", None) is None
        and not getattr(layer, "lora_enabled", False)
        and layer.compute_dtype == layer.variable_dtype
        and layer.compute_dtype in _FLOATS
    )


def _find_chain(model):
    """The layers of a plain Input -> layer -> ... -> output chain of Keras's own
    Sequential / Functional classes, or None."""
    if type(model) not in (keras.Sequential, keras.Model) and not (
        type(model).__name__ == "Functional"
        and type(model).__module__.startswith("keras.")
    ):
        return None
    inputs, outputs = getattr(model, "inputs", None), getattr(model, "outputs", None)
    if not inputs or not outputs or len(inputs) != 1 or len(outputs) != 1:
        return None
    if inputs[0].shape[0] is not None or len(inputs[0].shape) != 2:
        return None  # a fixed batch size, or rows that are not flat vectors
    layers = [
        layer for layer in model.layers if type(layer) is not keras.layers.InputLayer
    ]
    if not layers or not all(_layer_ok(layer) for layer in layers):
        return None
    previous = inputs[0]
    try:
        for layer in layers:
            if len(layer._inbound_nodes) != 1 or layer.input is not previous:
                return None
            previous = layer.output
    except (AttributeError, ValueError):
        return None
    if previous is not outputs[0]:
        return None
    dtypes = {
        layer.compute_dtype
        for layer in layers
        if type(layer) is not keras.layers.Dropout
    }
    return tuple(layers) if len(dtypes) == 1 else None


def dense_chain(model):
    """The Dense / Activation / Dropout layers a NumPy pass computes, or None."""
    try:
        chain = _CHAINS.get(model)
    except TypeError:  # not weak-referenceable
        return None
    if chain is None:
        chain = _find_chain(model) or False
        with _LOCK:
            _CHAINS[model] = chain
    # Cheap to recheck on every call: a layer's activation can be reassigned.
    if chain and not all(_layer_ok(layer) for layer in chain):
        return None
    return chain or None


def _weight_variables(chain):
    out = []
    for layer in chain:
        if type(layer) is keras.layers.Dense:
            out.append(layer.kernel)
            if layer.use_bias:
                out.append(layer.bias)
    return out


def _read_weights(model, chain) -> list:
    """The chain's kernels and biases as NumPy arrays, current values."""
    variables = _weight_variables(chain)
    if keras.backend.backend() == "tensorflow":
        # One compiled read of all of them: an eager read costs ~0.1 ms each.
        reader = _READERS.get(model)
        if reader is None:
            import tensorflow as tf

            ref = weakref.ref(model)
            reader = tf.function(
                lambda: [v.value for v in _weight_variables(dense_chain(ref()))],
                autograph=False,
            ).get_concrete_function()
            with _LOCK:
                _READERS[model] = reader
        return [t.numpy() for t in reader()]
    if keras.backend.backend() == "jax":
        arrays = [v.value for v in variables]
        cached = _READERS.get(model)
        if (
            cached is None
            or len(cached[0]) != len(arrays)
            or any(a is not b for a, b in zip(cached[0], arrays, strict=True))
        ):  # JAX arrays are immutable: new weights are new arrays
            cached = (arrays, [np.array(a) for a in arrays])
            with _LOCK:
                _READERS[model] = cached
        return cached[1]
    return [keras.ops.convert_to_numpy(v) for v in variables]


def numpy_forward(model, X):
    """The network's output for ``X`` by NumPy, or None where this path does not
    apply (not a Dense chain, or more than ``MAX_NUMPY_ROWS`` rows)."""
    if X.shape[0] > MAX_NUMPY_ROWS or X.ndim != 2:
        return None
    chain = dense_chain(model)
    if chain is None:
        return None
    weights = iter(_read_weights(model, chain))
    if hasattr(X, "toarray"):
        X = X.toarray()
    dtype = np.dtype(chain[0].compute_dtype)
    h = np.asarray(X, dtype=dtype)[:, None, :]  # (n, 1, features): a gemv per row
    with np.errstate(over="ignore", under="ignore"):
        for layer in chain:
            kind = type(layer)
            if kind is keras.layers.Dense:
                h = h @ next(weights)
                if layer.use_bias:
                    h += next(weights)
            if kind is not keras.layers.Dropout:
                h = _ACTIVATIONS[layer.activation](h)
    return h[:, 0, :]

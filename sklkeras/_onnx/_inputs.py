"""ONNX nodes that bring a converter's input to what ``predict`` feeds the network.

``predict`` validates and reshapes X before the network sees it; these nodes do
the same inside the graph: a cast to the network's dtype, flat rows reshaped to
images (CNNClassifier), token ids padded or truncated at the front to ``maxlen``
and ids unseen at fit mapped to the out-of-vocabulary id (SequenceClassifier).
Used by ``_converters``; imports nothing from skl2onnx.
"""

from __future__ import annotations

import numpy as np
from onnx import TensorProto

from ..cnn import CNNClassifier
from ..sequence import (
    OOV_ID,
    SequenceClassifier,
)
from ._network import ConversionError

ONNX_DTYPES = {
    "float32": TensorProto.FLOAT,
    "float64": TensorProto.DOUBLE,
    "int32": TensorProto.INT32,
    "int64": TensorProto.INT64,
}
_INTEGER_TYPES = ("Int64TensorType", "Int32TensorType", "UInt8TensorType")


def constant(scope, container, name, values, dtype):
    out = scope.get_unique_variable_name(name)
    values = np.asarray(values, dtype=dtype)
    onnx_type = ONNX_DTYPES[str(values.dtype)]
    container.add_initializer(out, onnx_type, list(values.shape), values.ravel())
    return out


def node(scope, container, op_type, inputs, **attrs):
    out = scope.get_unique_variable_name(op_type.lower())
    container.add_node(
        op_type, inputs, [out], name=scope.get_unique_operator_name(op_type), **attrs
    )
    return out


def cast(scope, container, x, dtype: str):
    return node(scope, container, "Cast", [x], to=ONNX_DTYPES[dtype])


def _reshape_rows(scope, container, x, row_shape):
    """Reshape to (N, *row_shape) with N read from x, so that a row of the wrong
    size fails in onnxruntime instead of being cut into different rows."""
    n = node(scope, container, "Shape", [x], start=0, end=1)
    rest = constant(scope, container, "row_shape", list(row_shape), np.int64)
    shape = node(scope, container, "Concat", [n, rest], axis=0)
    return node(scope, container, "Reshape", [x, shape])


def _network_dtype(est) -> str:
    return str(np.dtype(est.model_.inputs[0].dtype))


def _input_rank(operator):
    shape = operator.inputs[0].type.shape
    return None if shape is None else len(shape)


def prepare_input(scope, operator, container, est) -> str:
    x = operator.inputs[0].full_name
    if isinstance(est, CNNClassifier):
        if _input_rank(operator) == 2 and est.image_shape is None:
            raise ConversionError(
                "CNNClassifier was given flat rows but has no image_shape; it would "
                "refuse them in predict too."
            )
        x = cast(scope, container, x, "float32")
        x = _reshape_rows(scope, container, x, est.input_shape_)
        return _cast_to_network(scope, container, x, est, "float32")
    if isinstance(est, SequenceClassifier):
        if est.input_type_ == "tokens":
            return _prepare_tokens(scope, operator, container, est)
        x = cast(scope, container, x, "float32")
        x = _reshape_rows(scope, container, x, est.input_shape_)
        return _cast_to_network(scope, container, x, est, "float32")
    return cast(scope, container, x, _network_dtype(est))


def _cast_to_network(scope, container, x, est, current: str):
    target = _network_dtype(est)
    return x if target == current else cast(scope, container, x, target)


def _prepare_tokens(scope, operator, container, est) -> str:
    """Token ids as ``SequenceClassifier._check_tokens`` leaves them."""
    type_name = type(operator.inputs[0].type).__name__
    if type_name not in _INTEGER_TYPES:
        raise ConversionError(
            "SequenceClassifier reads token ids; the ONNX graph needs them as an "
            f"integer input, got {type_name}. Pass integer X_sample (or "
            "initial_types with Int64TensorType)."
        )
    x = cast(scope, container, operator.inputs[0].full_name, "int64")
    (length,) = est.input_shape_
    if est.maxlen is not None:
        # keras.utils.pad_sequences, padding and truncating "pre": zeros in front,
        # then the last maxlen ids of each row.
        pads = constant(scope, container, "pads", [0, length, 0, 0], np.int64)
        x = node(scope, container, "Pad", [x, pads])
        starts = constant(scope, container, "starts", [-length], np.int64)
        ends = constant(scope, container, "ends", [np.iinfo(np.int64).max], np.int64)
        axes = constant(scope, container, "axes", [1], np.int64)
        x = node(scope, container, "Slice", [x, starts, ends, axes])
    else:
        x = _reshape_rows(scope, container, x, (length,))
    vocabulary = constant(
        scope, container, "vocabulary_size", est.vocabulary_size_, np.int64
    )
    oov = constant(scope, container, "oov_id", OOV_ID, np.int64)
    unseen = node(scope, container, "GreaterOrEqual", [x, vocabulary])
    x = node(scope, container, "Where", [unseen, oov, x])
    # predict refuses negative ids; a graph cannot raise, so they become an id past
    # the embedding, which onnxruntime's Gather refuses at run time.
    zero = constant(scope, container, "zero", 0, np.int64)
    negative = node(scope, container, "Less", [x, zero])
    x = node(scope, container, "Where", [negative, vocabulary, x])
    return cast(scope, container, x, _network_dtype(est))


__all__ = ["cast", "constant", "node", "prepare_input"]

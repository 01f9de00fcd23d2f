"""skl2onnx parsers, shape calculators and converters for sklkeras's estimators.

Registered with ``skl2onnx.update_registered_converter`` (see ``register``), they
let skl2onnx turn a Pipeline ending in an sklkeras estimator into one ONNX graph:

- the input is brought to what the estimator's ``predict`` feeds its network: a
  cast to the network's dtype; flat rows reshaped to images (CNNClassifier); token
  ids padded or truncated at the front to ``maxlen``, ids unseen at fit mapped to
  the out-of-vocabulary id (SequenceClassifier);
- the network itself, exported by Keras (``_network``);
- its output decoded as ``predict`` / ``predict_proba`` decode it, into
  scikit-learn's converter outputs: a label tensor and a probability tensor for
  classifiers (with skl2onnx's ``zipmap`` and ``nocl`` options; ZipMap itself
  is skl2onnx's), a ``variable`` tensor of shape (N, n_outputs) for regressors.

This module imports skl2onnx at its top; ``sklkeras._onnx._export`` imports it lazily.
"""

from __future__ import annotations

import numbers

import numpy as np
from onnx import TensorProto
from skl2onnx import update_registered_converter
from skl2onnx._parse import _apply_zipmap, _get_sklearn_operator_name
from skl2onnx.common.data_types import (
    FloatTensorType,
    Int64TensorType,
    StringTensorType,
)
from skl2onnx.common.utils_classifier import get_label_classes

from ..cnn import CNNClassifier
from ..mlp import (
    MLPClassifier,
    MLPRegressor,
)
from ..sequence import SequenceClassifier
from ..text import TextVectorizer
from ..wrappers import (
    KerasClassifier,
    KerasRegressor,
)
from . import _network
from ._inputs import (
    cast,
    constant,
    node,
    prepare_input,
)
from ._network import ConversionError

# Reshape/Shape with start and end need opset 15.
MIN_OPSET = 15

_CLASSIFIER_OPTIONS = {
    "zipmap": [True, False, "columns"],
    "nocl": [False, True],
}


# ---------------------------------------------------------------- label types
def label_kind(classes) -> str:
    """The ONNX type of the labels, "int64" or "string", as skl2onnx has them."""
    classes = np.asarray(classes)
    values = classes.tolist()
    if classes.dtype == np.bool_ or np.issubdtype(classes.dtype, np.integer):
        return "int64"
    if np.issubdtype(classes.dtype, np.floating) and np.all(np.mod(classes, 1) == 0):
        return "int64"
    if all(isinstance(v, str) for v in values):
        return "string"
    if all(isinstance(v, numbers.Integral) for v in values):
        return "int64"
    raise ConversionError(
        f"class labels {values!r} cannot be ONNX labels: skl2onnx's labels are "
        "int64 or strings (float labels must be whole numbers)."
    )


def _classes_initializer(scope, container, classes):
    name = scope.get_unique_variable_name("classes")
    if label_kind(classes) == "string":
        values = [str(c).encode("utf-8") for c in np.asarray(classes).tolist()]
        container.add_initializer(name, TensorProto.STRING, [len(values)], values)
    else:
        values = np.asarray(classes).astype(np.int64)
        container.add_initializer(name, TensorProto.INT64, [len(values)], values)
    return name


def _target_type(est) -> str:
    return getattr(est, "_target_type_", "multiclass")


# -------------------------------------------------------------------- parsers
def _parse_classifier(scope, model, inputs, custom_parsers=None):
    """A label and a float probability tensor, then ZipMap as skl2onnx adds it.

    The probabilities are float32 whatever the input type: they are the network's
    float32 output, and skl2onnx's ZipMap takes float tensors only. Multilabel
    targets give an indicator matrix and no ZipMap.
    """
    multilabel = _target_type(model) == "multilabel-indicator"
    if not multilabel:
        label_kind(get_label_classes(scope, model))  # refuse unusable labels now
    operator = scope.declare_local_operator(
        _get_sklearn_operator_name(type(model)), model
    )
    operator.inputs = inputs
    operator.outputs.append(scope.declare_local_variable("label", Int64TensorType()))
    operator.outputs.append(
        scope.declare_local_variable("probabilities", FloatTensorType())
    )
    zipmap = scope.get_options(model, dict(zipmap=True))["zipmap"]
    if multilabel or zipmap is False:
        return operator.outputs
    return _apply_zipmap(zipmap, scope, model, FloatTensorType(), operator.outputs)


def _parse_refused(scope, model, inputs, custom_parsers=None):
    raise ConversionError(refusal(model))


def refusal(step) -> str:
    """Why a step sklkeras knows cannot be converted, or ''."""
    if isinstance(step, TextVectorizer):
        return (
            "TextVectorizer cannot be converted to ONNX: it wraps Keras's "
            "TextVectorization, whose string standardization and splitting have no "
            "ONNX operators. Export the model from token ids instead (convert the "
            "estimator after the TextVectorizer, with X_sample = "
            "vectorizer.transform(texts[:1])) and vectorize texts before calling "
            "the graph."
        )
    return ""


# ------------------------------------------------------------ shape calculators
def _first_dim(operator):
    return operator.inputs[0].get_first_dimension()


def _classifier_shapes(operator):
    est = operator.raw_operator
    n, n_classes = _first_dim(operator), len(est.classes_)
    if _target_type(est) == "multilabel-indicator":
        operator.outputs[0].set_type(Int64TensorType([n, n_classes]))
    else:
        classes = get_label_classes(operator.scope_inst, est)
        kind = label_kind(classes)
        cls = StringTensorType if kind == "string" else Int64TensorType
        operator.outputs[0].set_type(cls([n]))
    operator.outputs[1].set_type(FloatTensorType([n, n_classes]))


def _regressor_shapes(operator):
    est = operator.raw_operator
    operator.outputs[0].set_type(
        FloatTensorType([_first_dim(operator), est.n_outputs_])
    )


# ------------------------------------------------------------------ converters
def _network_output(scope, operator, container) -> str:
    """Nodes from the operator's input to the network's raw output; its name."""
    est = operator.raw_operator
    opset = container.target_opset
    if opset is None or opset < MIN_OPSET:
        raise ConversionError(
            f"sklkeras's ONNX converters need target_opset >= {MIN_OPSET}; got {opset}."
        )
    problems = _network.unsupported_layers(est.model_)
    if problems:
        raise ConversionError(
            f"{type(est).__name__} cannot be converted to ONNX: "
            + "; ".join(problems)
            + "."
        )
    if getattr(est, "stateful", False):
        raise ConversionError(
            "SequenceClassifier(stateful=True) cannot be converted to ONNX: its "
            "predictions depend on the order of the rows and the batch size."
        )
    x = prepare_input(scope, operator, container, est)
    try:
        proto = _network.export_network(est.model_, opset)
    except Exception as exc:  # tf2onnx raises many types; say which network failed
        raise ConversionError(
            f"Keras's ONNX export failed for the network of {type(est).__name__}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    raw = scope.get_unique_variable_name("network_output")
    prefix = scope.get_unique_variable_name(f"{type(est).__name__.lower()}_network")
    _network.splice(proto, container, prefix + "/", x, raw)
    # A float64 network (MLP trained on float64 X, as scikit-learn does) answers in
    # float64; the graph's outputs are float32, as skl2onnx's ZipMap requires.
    if str(np.dtype(est.model_.outputs[0].dtype)) != "float32":
        raw = cast(scope, container, raw, "float32")
    return raw


def _convert_classifier(scope, operator, container):
    est = operator.raw_operator
    raw = _network_output(scope, operator, container)
    label_name, proba_name = (v.full_name for v in operator.outputs[:2])
    target = _target_type(est)
    if target == "binary":
        # predict_proba: [1 - p, p]; predict: the second class when p > 0.5.
        one = constant(scope, container, "one", [1.0], np.float32)
        negative = node(scope, container, "Sub", [one, raw])
        container.add_node(
            "Concat",
            [negative, raw],
            [proba_name],
            axis=1,
            name=scope.get_unique_operator_name("Concat"),
        )
        half = constant(scope, container, "half", [0.5], np.float32)
        positive = node(scope, container, "Greater", [raw, half])
        flat = constant(scope, container, "flat", [-1], np.int64)
        index = node(scope, container, "Reshape", [positive, flat])
        index = cast(scope, container, index, "int64")
    elif target == "multiclass":
        axes = constant(scope, container, "axes", [1], np.int64)
        total = node(scope, container, "ReduceSum", [raw, axes], keepdims=1)
        container.add_node(
            "Div",
            [raw, total],
            [proba_name],
            name=scope.get_unique_operator_name("Div"),
        )
        # The arg max of the network's output: renormalising never reorders it.
        index = node(scope, container, "ArgMax", [raw], axis=1, keepdims=0)
    else:  # multilabel-indicator: an indicator matrix, p > 0.5
        container.add_node(
            "Identity",
            [raw],
            [proba_name],
            name=scope.get_unique_operator_name("Identity"),
        )
        half = constant(scope, container, "half", [0.5], np.float32)
        positive = node(scope, container, "Greater", [raw, half])
        container.add_node(
            "Cast",
            [positive],
            [label_name],
            to=TensorProto.INT64,
            name=scope.get_unique_operator_name("Cast"),
        )
        return
    classes = _classes_initializer(scope, container, get_label_classes(scope, est))
    container.add_node(
        "Gather",
        [classes, index],
        [label_name],
        axis=0,
        name=scope.get_unique_operator_name("Gather"),
    )


def _convert_regressor(scope, operator, container):
    raw = _network_output(scope, operator, container)
    container.add_node(
        "Identity",
        [raw],
        [operator.outputs[0].full_name],
        name=scope.get_unique_operator_name("Identity"),
    )


def _refused_shapes(operator):
    raise ConversionError(refusal(operator.raw_operator))


def _refused_converter(scope, operator, container):
    raise ConversionError(refusal(operator.raw_operator))


_REGISTERED = False
CLASSIFIERS = (MLPClassifier, CNNClassifier, SequenceClassifier, KerasClassifier)
REGRESSORS = (MLPRegressor, KerasRegressor)


def register() -> None:
    """Register sklkeras's converters with skl2onnx (once per process)."""
    global _REGISTERED
    if _REGISTERED:
        return
    for cls in CLASSIFIERS:
        update_registered_converter(
            cls,
            f"Sklkeras{cls.__name__}",
            _classifier_shapes,
            _convert_classifier,
            parser=_parse_classifier,
            options=_CLASSIFIER_OPTIONS,
        )
    for cls in REGRESSORS:
        update_registered_converter(
            cls, f"Sklkeras{cls.__name__}", _regressor_shapes, _convert_regressor
        )
    update_registered_converter(
        TextVectorizer,
        "SklkerasTextVectorizer",
        _refused_shapes,
        _refused_converter,
        parser=_parse_refused,
    )
    _REGISTERED = True


__all__ = ["ConversionError", "register", "refusal"]

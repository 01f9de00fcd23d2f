"""A fitted Keras network as ONNX nodes inside another ONNX graph.

The network is exported with Keras's own ONNX export (``model.export(...,
format="onnx")``, through tf2onnx on the TensorFlow backend), brought to the opset
of the graph it joins, and its nodes and initialisers are copied in under a prefix
of their own, so that two networks (or a network and scikit-learn's converters)
never share a name. skl2onnx, onnx and tf2onnx are imported here only, and this
module only by the ONNX converters, so ``import sklkeras`` never loads them.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import tempfile
import warnings

import keras
import numpy as np
import onnx
from onnx import compose, version_converter


class ConversionError(ValueError):
    """An sklkeras estimator (or step) that ONNX cannot reproduce, and why."""


# The highest opset tf2onnx 1.17 writes; newer targets are reached with onnx's
# version converter (opsets 19-22 only widened the types some operators take).
_EXPORT_OPSET_MAX = 18


def unsupported_layers(model) -> list[str]:
    """Names and reasons of the layers an ONNX graph cannot reproduce."""
    found = []
    for layer in _all_layers(model):
        if isinstance(layer, keras.layers.Lambda):
            found.append(
                f"layer {layer.name!r} is a Lambda layer: its Python function is "
                "opaque to the exporter, which would trace it once and keep "
                "whatever it did then; write it as a Keras layer subclass"
            )
        elif getattr(layer, "stateful", False):
            found.append(
                f"layer {layer.name!r} is stateful: it carries its state from one "
                "batch to the next, which a stateless ONNX graph cannot do"
            )
    return found


def _all_layers(model):
    stack = list(getattr(model, "layers", []))
    while stack:
        layer = stack.pop()
        yield layer
        stack.extend(getattr(layer, "layers", []) or [])
        inner = getattr(layer, "layer", None)  # Bidirectional, TimeDistributed
        if isinstance(inner, keras.layers.Layer):
            stack.append(inner)
        for attr in ("forward_layer", "backward_layer"):
            sub = getattr(layer, attr, None)
            if isinstance(sub, keras.layers.Layer):
                stack.append(sub)


def export_network(model, opset: int) -> onnx.ModelProto:
    """The network's inference pass as an ONNX model at ``opset``."""
    export_opset = min(opset, _EXPORT_OPSET_MAX)
    inference = _inference_model(model)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "network.onnx")
        with _quiet(), _tensors_as_constants(model):
            inference.export(
                path, format="onnx", verbose=False, opset_version=export_opset
            )
        proto = onnx.load(path)
    _prune(proto.graph)
    unknown = sorted(
        {
            f"{node.domain or 'ai.onnx'}.{node.op_type}"
            for node in proto.graph.node
            if not onnx.defs.has(node.op_type, node.domain)
        }
    )
    if unknown:
        raise ValueError(
            f"the exported graph holds operations ONNX does not define: {unknown} "
            "(TensorFlow operations tf2onnx could not convert)"
        )
    if export_opset != opset:
        proto = version_converter.convert_version(proto, opset)
    return proto


def _inference_model(model):
    """The network called with ``training=False``, as a model of its own.

    Keras's export calls the model without a ``training`` argument, and layers
    whose ``call`` defaults to ``training=True`` (the random augmentation layers)
    would then be exported in their training behaviour.
    """
    spec = model.inputs[0]
    inputs = keras.Input(shape=spec.shape[1:], dtype=spec.dtype, name=spec.name)
    inference = keras.Model(inputs, model(inputs, training=False))
    inference(
        np.zeros((1, *spec.shape[1:]), dtype=spec.dtype)
    )  # Keras's export needs a called model
    return inference


@contextlib.contextmanager
def _tensors_as_constants(model):
    """Layers' eager tensors (Normalization's mean and variance) as NumPy arrays.

    A traced function captures an eager tensor as an extra input, and tf2onnx
    exports it as one, without its value; a NumPy array becomes a constant.
    """
    swapped = []
    for layer in _all_layers(model):
        for name, value in list(vars(layer).items()):
            if type(value).__name__ == "EagerTensor":
                swapped.append((layer, name, value))
                object.__setattr__(layer, name, value.numpy())
    try:
        yield
    finally:
        for layer, name, value in swapped:
            object.__setattr__(layer, name, value)


def _prune(graph) -> None:
    """Drop the nodes the output does not depend on (in place).

    Keras's augmentation layers draw their random transformation even at
    inference, where it goes unused; tf2onnx keeps those TensorFlow ops as they
    are, and no ONNX runtime could load them.
    """
    needed = {output.name for output in graph.output}
    kept = []
    for node in reversed(graph.node):
        if not needed.intersection(node.output):
            continue
        kept.append(node)
        needed.update(node.input)
        for attribute in node.attribute:  # If/Loop bodies read outer names
            for sub in [attribute.g, *attribute.graphs]:
                for inner in sub.node:
                    needed.update(inner.input)
    del graph.node[:]
    graph.node.extend(reversed(kept))
    used = [t for t in graph.initializer if t.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(used)


@contextlib.contextmanager
def _quiet():
    """Silence tf2onnx's logging and Keras's export chatter for one export."""
    loggers = [logging.getLogger(name) for name in ("tf2onnx", "tensorflow")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        with (
            warnings.catch_warnings(),
            contextlib.redirect_stdout(io.StringIO()),
        ):
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def splice(proto: onnx.ModelProto, container, prefix: str, input_name, output_name):
    """Copy the network's nodes into ``container``, reading ``input_name`` and
    writing ``output_name``; every other name gets ``prefix``."""
    if len(proto.graph.input) != 1 or len(proto.graph.output) != 1:
        raise ValueError(
            "ONNX export supports networks with one input and one output; this one "
            f"has {len(proto.graph.input)} and {len(proto.graph.output)} (tensors "
            "the traced function captured become extra inputs)."
        )
    proto = compose.add_prefix(proto, prefix)
    graph = proto.graph
    net_in, net_out = graph.input[0].name, graph.output[0].name
    container.add_node("Identity", [input_name], [net_in], name=prefix + "input")
    for tensor in graph.initializer:
        container.initializers.append(tensor)
    domains = {opset.domain: opset.version for opset in proto.opset_import}
    for node in graph.node:
        for extra in _fill_omitted_inputs(node, prefix):
            container.nodes.append(extra)
        container.nodes.append(node)
        domain = node.domain or ""
        container.node_domain_version_pair_sets.add((domain, domains.get(domain, 1)))
    container.add_node("Identity", [net_out], [output_name], name=prefix + "output")


_RECURRENT_OPS = ("LSTM", "GRU", "RNN")


def _fill_omitted_inputs(node, prefix: str) -> list:
    """Nodes that compute the omitted optional inputs of ``node`` (edited in place).

    ONNX writes an omitted optional input as "", which skl2onnx's topological sort
    takes for a missing tensor. Trailing ones are dropped; the only inner one
    tf2onnx writes is a recurrent layer's ``sequence_lens`` (followed by the
    initial state), which here becomes the full length of every sequence: the
    meaning of an omitted one.
    """
    while node.input and node.input[-1] == "":
        del node.input[-1]
    if "" not in node.input:
        return []
    if node.op_type not in _RECURRENT_OPS or list(node.input).index("") != 4:
        raise ValueError(
            f"the exported graph has a {node.op_type} node with an omitted optional "
            "input, which skl2onnx cannot place in its graph"
        )
    if "" in list(node.input)[5:]:
        raise ValueError(f"the exported {node.op_type} node omits several inputs")
    layout = next((a.i for a in node.attribute if a.name == "layout"), 0)
    base = f"{prefix}{node.name}/sequence_lens"
    make = onnx.helper.make_node
    const = onnx.helper.make_tensor
    nodes = [
        make("Shape", [node.input[0]], [f"{base}/shape"], name=f"{base}/Shape"),
        make(
            "Constant",
            [],
            [f"{base}/time_axis"],
            name=f"{base}/TimeAxis",
            value=const("v", onnx.TensorProto.INT64, [1], [1 if layout else 0]),
        ),
        make(
            "Constant",
            [],
            [f"{base}/batch_axis"],
            name=f"{base}/BatchAxis",
            value=const("v", onnx.TensorProto.INT64, [1], [0 if layout else 1]),
        ),
        make(
            "Gather",
            [f"{base}/shape", f"{base}/time_axis"],
            [f"{base}/steps64"],
            name=f"{base}/Steps",
        ),
        make(
            "Gather",
            [f"{base}/shape", f"{base}/batch_axis"],
            [f"{base}/batch"],
            name=f"{base}/Batch",
        ),
        make(
            "Cast",
            [f"{base}/steps64"],
            [f"{base}/steps"],
            name=f"{base}/Cast",
            to=onnx.TensorProto.INT32,
        ),
        make(
            "Expand", [f"{base}/steps", f"{base}/batch"], [base], name=f"{base}/Expand"
        ),
    ]
    node.input[4] = base
    return nodes

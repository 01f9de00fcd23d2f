"""ONNX export of fitted estimators and of whole pipelines ending in one.

``to_onnx`` checks every step before converting, so that a step ONNX cannot
reproduce is refused with its place in the pipeline and the reason, then calls
skl2onnx with sklkeras's converters registered and, by default, runs the graph
once with onnxruntime on ``X_sample`` to compare its answers with ``predict``.
skl2onnx, onnx and onnxruntime (the ``onnx`` extra) are imported only when these
functions are called.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import is_classifier, is_regressor
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder
from sklearn.utils.validation import check_is_fitted

from .._estimator import BaseKerasEstimator

_EXTRA = 'pip install "sklkeras[onnx]"'


def _converters():
    try:
        from . import _converters as converters
    except ImportError as exc:
        raise ImportError(
            f"ONNX export needs skl2onnx, tf2onnx, onnx and onnxruntime ({_EXTRA}): "
            f"{exc}"
        ) from None
    return converters


def register_converters() -> None:
    """Register sklkeras's estimators with skl2onnx's converter registry.

    After this call ``skl2onnx.to_onnx`` and ``skl2onnx.convert_sklearn`` convert
    any sklkeras estimator, alone or as the last step of a Pipeline of
    scikit-learn's convertible steps, into one ONNX graph.
    :func:`sklkeras.to_onnx` calls it for you; calling it again does nothing.

    The graph does what ``predict`` does: it casts the input to the network's
    dtype, reshapes flat rows to images (``CNNClassifier`` with ``image_shape``),
    pads or truncates token ids at the front to ``maxlen`` and maps ids unseen at
    fit to the out-of-vocabulary id (``SequenceClassifier``), runs the network
    (exported by Keras's own ONNX export), and decodes its output as
    skl2onnx's converters of scikit-learn's models do: classifiers give a label
    tensor and a float32 probability tensor (with skl2onnx's ``zipmap``
    and ``nocl`` options), regressors a float32 ``variable`` tensor of shape
    ``(n_samples, n_outputs)``. Multilabel classifiers give an indicator matrix
    and no ZipMap.

    Examples
    --------
    >>> import skl2onnx
    >>> from sklearn.datasets import load_iris
    >>> from sklkeras import MLPClassifier, register_converters
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MLPClassifier(hidden_layer_sizes=(8,), epochs=5, random_state=0).fit(X, y)
    >>> register_converters()
    >>> onx = skl2onnx.to_onnx(clf, X[:1].astype("float32"),
    ...                        options={type(clf): {"zipmap": False}})
    >>> [output.name for output in onx.graph.output]
    ['label', 'probabilities']
    """
    _converters().register()


def to_onnx(estimator, X_sample, *, zipmap=False, target_opset=None, check=True):
    """A fitted estimator or pipeline as one ONNX graph, for onnxruntime.

    Converts an sklkeras estimator, or any scikit-learn object that skl2onnx
    converts and that holds sklkeras estimators (typically a ``Pipeline`` of
    scalers, encoders and a ``ColumnTransformer`` ending in one), with
    skl2onnx and sklkeras's converters (see :func:`register_converters`). Every
    step is checked first: one that ONNX cannot reproduce (a
    ``FunctionTransformer`` with a Python function, a
    :class:`~sklkeras.text.TextVectorizer`, a network with a ``Lambda`` or a
    stateful layer, a ``OneHotEncoder`` whose ``handle_unknown`` skl2onnx does
    not reproduce, a step skl2onnx has no converter for) is refused with a
    ``ValueError`` naming the step and the reason.

    Parameters
    ----------
    estimator : fitted estimator or Pipeline
        What to convert.
    X_sample : array-like or pandas DataFrame
        A few rows of input (one is enough): their dtype and shape decide the
        graph's input, as in ``skl2onnx.to_onnx`` (a DataFrame gives one input per
        column, named after it). Float64 rows give a double input, so that
        scikit-learn's steps compute in double as they do in ``predict``.
    zipmap : bool or "columns", default=False
        skl2onnx's ``zipmap`` option for classifiers: False returns the label
        tensor and a probability tensor ``(n_samples, n_classes)``; True a list of
        ``{label: probability}`` dicts (skl2onnx's own default); "columns" one
        output per class.
    target_opset : int or None, default=None
        ONNX opset of the graph (at least 15); None takes skl2onnx's latest
        tested one.
    check : bool, default=True
        Run the graph once on ``X_sample`` with onnxruntime and raise a
        ``ValueError`` if its probabilities (or predicted values) differ from
        ``predict_proba`` (``predict``) by more than 1e-4.

    Returns
    -------
    onnx_model : onnx.ModelProto
        The graph; ``onnx_model.SerializeToString()`` is what
        ``onnxruntime.InferenceSession`` loads, ``onnx.save`` writes it to a file.

    Examples
    --------
    >>> import numpy as np
    >>> import onnxruntime
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklkeras import MLPClassifier, to_onnx
    >>> X, y = load_iris(return_X_y=True)
    >>> pipe = make_pipeline(StandardScaler(), MLPClassifier(
    ...     hidden_layer_sizes=(8,), epochs=5, random_state=0)).fit(X, y)
    >>> onx = to_onnx(pipe, X[:1])
    >>> session = onnxruntime.InferenceSession(onx.SerializeToString())
    >>> labels, proba = session.run(None, {"X": X})
    >>> bool((labels == pipe.predict(X)).all())
    True
    >>> bool(np.abs(proba - pipe.predict_proba(X)).max() < 1e-5)
    True
    """
    if zipmap not in (True, False, "columns"):
        raise ValueError(f'zipmap must be True, False or "columns"; got {zipmap!r}.')
    check_is_fitted(estimator)
    converters = _converters()
    converters.register()
    problems = list(_refusals(estimator, converters))
    if problems:
        raise ValueError(
            "Cannot convert to ONNX: "
            + "; ".join(
                f"step {path} ({type(step).__name__}): {why}"
                for path, step, why in problems
            )
        )
    import skl2onnx

    options = {id(estimator): {"zipmap": zipmap}} if is_classifier(estimator) else None
    try:
        onx = skl2onnx.to_onnx(
            estimator, X_sample, target_opset=target_opset, options=options
        )
    except converters.ConversionError as exc:
        raise ValueError(f"Cannot convert to ONNX: {exc}") from None
    if check:
        _check_answers(estimator, onx, X_sample)
    return onx


def _steps(obj, path):
    """(path, step) of every step inside a fitted scikit-learn container."""
    if isinstance(obj, Pipeline):
        children = [(name, step) for name, step in obj.steps]
    elif isinstance(obj, ColumnTransformer):
        children = [(name, trans) for name, trans, _ in obj.transformers_]
    elif isinstance(obj, FeatureUnion):
        children = list(obj.transformer_list)
    elif hasattr(obj, "best_estimator_"):
        children = [("best_estimator_", obj.best_estimator_)]
    else:
        return
    for name, child in children:
        if isinstance(child, str):  # "drop", "passthrough"
            continue
        child_path = f"{path} > {name!r}" if path else repr(name)
        yield child_path, child
        yield from _steps(child, child_path)


def _refusals(estimator, converters):
    from skl2onnx._supported_operators import sklearn_operator_name_map

    from ._network import unsupported_layers

    for path, step in [("(the estimator)", estimator), *_steps(estimator, "")]:
        reason = converters.refusal(step)
        if (
            not reason
            and isinstance(step, FunctionTransformer)
            and step.func is not None
        ):
            reason = (
                f"it applies the Python function {getattr(step.func, '__name__', step.func)!r}, "
                "which skl2onnx cannot translate into ONNX operators; compute that "
                "column before the pipeline, or write the step as a transformer "
                "with its own skl2onnx converter"
            )
        elif not reason and isinstance(step, BaseKerasEstimator):
            layers = unsupported_layers(step.model_)
            if getattr(step, "stateful", False):
                layers.append(
                    "stateful=True makes its predictions depend on the order and "
                    "batching of the rows"
                )
            reason = "; ".join(layers)
        elif (
            not reason
            and isinstance(step, OneHotEncoder)
            and step.handle_unknown in ("infrequent_if_exist", "warn")
        ):
            reason = (
                f"handle_unknown={step.handle_unknown!r}: skl2onnx's graph raises "
                "on a category unseen at fit, where scikit-learn encodes it (in the "
                "infrequent column, or as zeros); refit with handle_unknown='ignore' "
                "(unseen categories as zeros, infrequent ones still pooled)"
            )
        elif not reason and type(step) not in sklearn_operator_name_map:
            reason = (
                "skl2onnx has no converter for "
                f"{type(step).__module__}.{type(step).__name__} (register one with "
                "skl2onnx.update_registered_converter)"
            )
        if reason:
            yield path, step, reason


def _check_answers(estimator, onx, X_sample):
    import onnxruntime

    session = onnxruntime.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    outputs = session.run(None, _feeds(session, X_sample))
    if is_classifier(estimator) and hasattr(estimator, "predict_proba"):
        expected = np.asarray(estimator.predict_proba(X_sample))
        got = _probabilities(outputs[1:], expected.shape)
    elif is_regressor(estimator) or is_classifier(estimator):
        expected = np.asarray(estimator.predict(X_sample), dtype=np.float64)
        got = np.asarray(outputs[0], dtype=np.float64).reshape(expected.shape)
    else:
        return
    scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    diff = float(np.abs(got - expected).max(initial=0.0))
    if not diff <= 1e-4 * scale:
        raise ValueError(
            f"The ONNX graph's answers on X_sample differ from the estimator's by "
            f"up to {diff:.3g}: the network's export is not faithful (a custom "
            "layer tf2onnx translates differently?). The graph was not returned."
        )


def _probabilities(outputs, shape):
    if len(outputs) == 1 and isinstance(outputs[0], np.ndarray):
        return outputs[0].astype(np.float64)
    if len(outputs) == 1:  # ZipMap: one {label: probability} dict per row
        return np.array([list(row.values()) for row in outputs[0]], dtype=np.float64)
    return np.hstack(
        [np.asarray(o, dtype=np.float64).reshape(shape[0], -1) for o in outputs]
    )


def _feeds(session, X):
    """onnxruntime's input dict for X: one array, or one column per input."""
    inputs = session.get_inputs()
    if hasattr(X, "columns") and len(inputs) > 1:
        return {
            i.name: _as_input(np.asarray(X[i.name]).reshape(-1, 1), i.type)
            for i in inputs
        }
    return {inputs[0].name: _as_input(np.asarray(X), inputs[0].type)}


_ORT_TYPES = {
    "tensor(float)": np.float32,
    "tensor(double)": np.float64,
    "tensor(int64)": np.int64,
    "tensor(int32)": np.int32,
    "tensor(uint8)": np.uint8,
    "tensor(bool)": np.bool_,
    "tensor(string)": object,
}


def _as_input(values, onnx_type):
    dtype = _ORT_TYPES.get(onnx_type)
    return values if dtype is None else values.astype(dtype)


__all__ = ["register_converters", "to_onnx"]

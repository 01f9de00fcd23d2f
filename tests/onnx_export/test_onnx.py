"""ONNX export: onnxruntime answers as the pipeline's predict / predict_proba do.

Labels must be equal, probabilities (and regression values) within 1e-5, for every
estimator and target kind; steps ONNX cannot reproduce are refused by name.
"""

import ast
import pathlib

import keras
import numpy as np
import pytest
from sklearn.compose import make_column_transformer
from sklearn.datasets import load_iris, make_regression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

import sklkeras
from sklkeras import (
    CNNClassifier,
    KerasClassifier,
    KerasRegressor,
    MLPClassifier,
    MLPRegressor,
    SequenceClassifier,
    register_converters,
    to_onnx,
)
from sklkeras.datasets import load_bank_marketing, load_digits_images
from sklkeras.text import TextVectorizer

skl2onnx = pytest.importorskip("skl2onnx")
ort = pytest.importorskip("onnxruntime")

MLP = dict(hidden_layer_sizes=(8,), epochs=3, random_state=0)


def session(onx):
    return ort.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )


def run(onx, X):
    sess = session(onx)
    return sess.run(None, {sess.get_inputs()[0].name: X})


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def _iris_names(iris):
    X, y = iris
    return X, np.array(["setosa", "versicolor", "virginica"])[y]


def _tokens():
    rng = np.random.RandomState(0)
    X = rng.randint(1, 20, size=(120, 10))
    y = (X == 3).any(axis=1).astype(int)
    test = X[:40].copy()
    test[:5, :4] = 0  # padding, masked by the recurrent layer
    test[5:10, 2] = 37  # ids unseen at fit: out of vocabulary
    return X, y, test


def _softmax_model(n_features_in_, n_classes_, units=8):
    inputs = keras.Input((n_features_in_,))
    hidden = keras.layers.Dense(units, activation="relu")(inputs)
    outputs = keras.layers.Dense(n_classes_, activation="softmax")(hidden)
    return keras.Model(inputs, outputs)


def _linear_model(n_features_in_, n_outputs_):
    inputs = keras.Input((n_features_in_,))
    hidden = keras.layers.Dense(4, activation="tanh")(inputs)
    return keras.Model(inputs, keras.layers.Dense(n_outputs_)(hidden))


def _case(name, iris):
    """(fitted model, test rows) of one case."""
    X, y = iris
    if name == "mlp binary":
        return make_pipeline(StandardScaler(), MLPClassifier(**MLP)).fit(X, y == 1), X
    if name == "mlp multiclass strings":
        Xn, names = _iris_names(iris)
        return make_pipeline(StandardScaler(), MLPClassifier(**MLP)).fit(Xn, names), Xn
    if name == "mlp multilabel":
        Y = np.c_[y == 0, y == 1, X[:, 0] > 5.8].astype(int)
        return MLPClassifier(**MLP).fit(X, Y), X
    if name == "mlp regression":
        Xr, yr = make_regression(120, 5, noise=1.0, random_state=0)
        return make_pipeline(StandardScaler(), MLPRegressor(**MLP)).fit(
            Xr, yr / 100
        ), Xr
    if name == "mlp multi-output regression":
        Xr, yr = make_regression(120, 5, n_targets=3, random_state=0)
        return MLPRegressor(**MLP).fit(Xr, yr / 100), Xr
    if name in ("cnn uint8 images", "cnn flat rows"):
        Xi, yi = load_digits_images(return_X_y=True)
        Xi = np.rint(Xi[:200] * 255).astype(np.uint8)
        params = dict(filters=(4,), dense_units=(8,), epochs=2, random_state=0)
        if name == "cnn uint8 images":
            return CNNClassifier(**params).fit(Xi, yi[:200]), Xi[:60]
        flat = Xi.reshape(len(Xi), -1).astype(np.float64)
        cnn = CNNClassifier(
            **params,
            image_shape=(8, -1),
            standardize=True,
            batch_normalization=True,
            augmentation={"rotation": 0.05, "flip": "horizontal"},
        )
        return make_pipeline(FunctionTransformer(None), cnn).fit(flat, yi[:200]), flat[
            :60
        ]
    if name == "sequence tokens gru maxlen":
        Xt, yt, test = _tokens()
        seq = SequenceClassifier(
            layer="gru", units=(4,), maxlen=8, epochs=2, random_state=0
        )
        return seq.fit(Xt, yt), test
    if name == "sequence tokens conv1d":
        Xt, yt, test = _tokens()
        seq = SequenceClassifier(layer="conv1d", units=(4,), epochs=2, random_state=0)
        return seq.fit(Xt, yt % 2), test
    if name == "sequence numeric lstm":
        rng = np.random.RandomState(0)
        Xs = rng.randn(80, 6, 2).astype(np.float32)
        seq = SequenceClassifier(layer="lstm", units=(4,), epochs=2, random_state=0)
        return seq.fit(Xs, Xs[:, 0, 0] > 0), Xs
    if name == "keras classifier":
        kc = KerasClassifier(_softmax_model, epochs=3, random_state=0)
        return make_pipeline(StandardScaler(), kc).fit(X, y), X
    if name == "keras regressor":
        kr = KerasRegressor(_linear_model, epochs=3, random_state=0)
        return kr.fit(X, np.c_[X[:, 0], X[:, 1]]), X
    raise KeyError(name)


CASES = [
    "mlp binary",
    "mlp multiclass strings",
    "mlp multilabel",
    "mlp regression",
    "mlp multi-output regression",
    "cnn uint8 images",
    "cnn flat rows",
    "sequence tokens gru maxlen",
    "sequence tokens conv1d",
    "sequence numeric lstm",
    "keras classifier",
    "keras regressor",
]


@pytest.mark.parametrize("name", CASES)
def test_onnxruntime_answers_as_predict(name, iris):
    model, X = _case(name, iris)
    onx = to_onnx(model, X[:1])
    outputs = run(onx, X)
    expected = model.predict(X)
    if hasattr(model, "predict_proba"):
        labels, proba = outputs
        assert labels.shape == expected.shape
        assert (labels == expected).all()
        np.testing.assert_allclose(proba, model.predict_proba(X), rtol=0, atol=1e-5)
        assert proba.dtype == np.float32
    else:
        (values,) = outputs
        assert values.shape == (
            len(X),
            model[-1].n_outputs_ if hasattr(model, "steps") else model.n_outputs_,
        )
        np.testing.assert_allclose(
            values.reshape(expected.shape), expected, rtol=1e-5, atol=1e-5
        )


def test_skl2onnx_converts_after_registration(iris):
    """skl2onnx's own entry point, its default ZipMap and its options."""
    X, names = _iris_names(iris)
    pipe = make_pipeline(StandardScaler(), MLPClassifier(**MLP)).fit(X, names)
    register_converters()
    register_converters()  # twice is harmless
    onx = skl2onnx.to_onnx(pipe, X[:1])
    labels, dicts = run(onx, X)
    assert (labels == pipe.predict(X)).all()
    proba = np.array([[row[c] for c in pipe.classes_] for row in dicts])
    np.testing.assert_allclose(proba, pipe.predict_proba(X), atol=1e-5)

    columns = skl2onnx.to_onnx(
        pipe, X[:1].astype(np.float32), options={id(pipe): {"zipmap": "columns"}}
    )
    labels, *per_class = run(columns, X.astype(np.float32))
    assert [o.name for o in columns.graph.output][1:] == [
        f"s{c}" for c in pipe.classes_
    ]
    np.testing.assert_allclose(
        np.c_[tuple(per_class)], pipe.predict_proba(X), atol=1e-5
    )

    nocl = skl2onnx.to_onnx(
        pipe, X[:1], options={id(pipe): {"zipmap": False, "nocl": True}}
    )
    codes, _ = run(nocl, X)
    assert (pipe.classes_[codes] == pipe.predict(X)).all()


def test_zipmap_option_of_to_onnx(iris):
    X, y = iris
    clf = MLPClassifier(**MLP).fit(X, y)
    labels, dicts = run(to_onnx(clf, X[:1], zipmap=True), X)
    assert (labels == clf.predict(X)).all() and sorted(dicts[0]) == [0, 1, 2]
    with pytest.raises(ValueError, match="zipmap must be"):
        to_onnx(clf, X[:1], zipmap="dict")


def test_dataframe_column_transformer():
    """The bank task's shape: text and numeric columns, one graph input each."""
    X, y = load_bank_marketing(return_X_y=True)
    X, y = X.iloc[:600], y[:600]
    text = X.select_dtypes(exclude="number").columns

    def pipeline(handle_unknown):
        encoder = OneHotEncoder(
            handle_unknown=handle_unknown, min_frequency=10, sparse_output=False
        )
        pre = make_column_transformer(
            (encoder, list(text)),
            (StandardScaler(), list(X.columns.difference(text))),
        )
        return make_pipeline(pre, MLPClassifier(**MLP)).fit(X, y)

    # scikit-learn puts unseen categories in the infrequent column, skl2onnx's
    # graph would raise on them: refused at conversion, not in production.
    with pytest.raises(ValueError, match="'onehotencoder'.*infrequent_if_exist"):
        to_onnx(pipeline("infrequent_if_exist"), X[:1])
    pipe = pipeline("ignore")
    onx = to_onnx(pipe, X[:1])
    X = X.copy()
    X.iloc[:5, list(X.columns).index("job")] = "astronaut"  # unseen at fit
    sess = session(onx)
    assert [i.name for i in sess.get_inputs()] == list(X.columns)
    feeds = {
        col: X[[col]].to_numpy().astype(np.int64 if col not in text else object)
        for col in X.columns
    }
    labels, proba = sess.run(None, feeds)
    assert (labels == pipe.predict(X)).all()
    np.testing.assert_allclose(proba, pipe.predict_proba(X), atol=1e-5)


def test_searches_convert(iris):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), MLPClassifier(**MLP))
    search = GridSearchCV(pipe, {"mlpclassifier__alpha": [1e-3]}, cv=2).fit(X, y)
    for model in (search, search.best_estimator_):
        labels, _ = run(to_onnx(model, X[:1]), X)
        assert (labels == search.predict(X)).all()


def test_opset(iris):
    X, y = iris
    clf = MLPClassifier(**MLP).fit(X, y)
    onx = to_onnx(clf, X[:1], target_opset=18)  # tf2onnx's own opset, no conversion
    assert {o.domain: o.version for o in onx.opset_import}[""] == 18
    with pytest.raises(ValueError, match="target_opset >= 15"):
        to_onnx(clf, X[:1], target_opset=13)


def _lambda_model(n_features_in_, n_classes_):
    inputs = keras.Input((n_features_in_,))
    doubled = keras.layers.Lambda(lambda t: t * 2.0, name="double")(inputs)
    outputs = keras.layers.Dense(n_classes_, activation="softmax")(doubled)
    return keras.Model(inputs, outputs)


class _Custom:  # a step skl2onnx knows nothing about
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X


def test_unconvertible_steps_are_refused_by_name(iris):
    X, y = iris
    texts = ["a good film", "a bad film", "good", "so bad"] * 5
    text_pipe = make_pipeline(
        TextVectorizer(sequence_length=4),
        SequenceClassifier(layer="conv1d", units=(4,), epochs=1, random_state=0),
    ).fit(texts, [1, 0, 1, 0] * 5)
    with pytest.raises(
        ValueError, match=r"step 'textvectorizer' \(TextVectorizer\).*no ONNX"
    ):
        to_onnx(text_pipe, np.array(texts[:1]))
    register_converters()
    with pytest.raises(ValueError, match="TextVectorizer cannot be converted"):
        skl2onnx.to_onnx(text_pipe, np.array(texts[:1]))

    log = make_pipeline(FunctionTransformer(np.log1p), MLPClassifier(**MLP)).fit(X, y)
    with pytest.raises(ValueError, match=r"'functiontransformer'.*'log1p'"):
        to_onnx(log, X[:1])

    custom = make_pipeline(_Custom(), MLPClassifier(**MLP)).fit(X, y)
    with pytest.raises(ValueError, match=r"'_custom'.*no converter for .*_Custom"):
        to_onnx(custom, X[:1])

    lam = make_pipeline(StandardScaler(), KerasClassifier(_lambda_model, epochs=1)).fit(
        X, y
    )
    with pytest.raises(ValueError, match=r"'kerasclassifier'.*'double' is a Lambda"):
        to_onnx(lam, X[:1])
    with pytest.raises(ValueError, match="'double' is a Lambda"):
        skl2onnx.to_onnx(lam, X[:1])

    Xt, yt, _ = _tokens()
    stateful = SequenceClassifier(
        layer="gru", units=(2,), stateful=True, batch_size=20, epochs=1, random_state=0
    ).fit(Xt, yt)
    with pytest.raises(ValueError, match="stateful"):
        to_onnx(stateful, Xt[:1])
    with pytest.raises(ValueError, match="integer input"):
        to_onnx(
            SequenceClassifier(layer="conv1d", units=(2,), epochs=1).fit(Xt, yt),
            Xt[:1].astype(np.float32),
        )


def test_bad_token_ids_fail_in_onnxruntime():
    """predict refuses negative ids; the graph cannot raise, so onnxruntime does."""
    Xt, yt, _ = _tokens()
    seq = SequenceClassifier(layer="conv1d", units=(4,), epochs=1, random_state=0)
    onx = to_onnx(seq.fit(Xt, yt), Xt[:1])
    bad = Xt[:3].copy()
    bad[0, 0] = -2
    with pytest.raises(Exception, match="out of data bounds"):
        run(onx, bad)
    with pytest.raises(ValueError, match="Token ids must be >= 0"):
        seq.predict(bad)


def test_check_catches_a_graph_that_answers_differently(iris, monkeypatch):
    X, y = iris
    clf = MLPClassifier(**MLP).fit(X, y)
    monkeypatch.setattr(clf, "predict_proba", lambda X: np.full((len(X), 3), 1 / 3))
    with pytest.raises(ValueError, match="differ from the estimator's"):
        to_onnx(clf, X[:5])
    to_onnx(clf, X[:5], check=False)


def test_import_sklkeras_loads_no_onnx_or_skops():
    """The extras stay optional: no module ``import sklkeras`` loads at its top
    level imports them (they are imported inside the functions that need them)."""
    root = pathlib.Path(sklkeras.__file__).parent
    lazy = {"onnx", "skl2onnx", "onnxruntime", "tf2onnx", "skops"}
    seen, todo, found = set(), ["sklkeras"], []
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = root.joinpath(*name.split(".")[1:])
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        for stmt in ast.parse(path.read_text()).body:  # top level only
            if isinstance(stmt, ast.Import):
                targets = [alias.name for alias in stmt.names]
            elif isinstance(stmt, ast.ImportFrom) and stmt.level:
                package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
                base = ".".join([package, *filter(None, [stmt.module])])
                targets = [base] + [f"{base}.{a.name}" for a in stmt.names]
                todo += [t for t in targets if _is_module(root, t)]
                continue
            elif isinstance(stmt, ast.ImportFrom):
                targets = [stmt.module]
            else:
                continue
            found += [f"{name}: {t}" for t in targets if t.split(".")[0] in lazy]
    assert (
        "sklkeras._onnx._export" in seen
        and "sklkeras._onnx._export._converters" not in seen
    )
    assert not found


def _is_module(root, dotted):
    path = root.joinpath(*dotted.split(".")[1:])
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()

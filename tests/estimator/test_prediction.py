"""Prediction paths (``_estimator/_prediction.py``, ``_numpy_forward.py``) on the
default backend: the compiled loop over chunks against the chunk-by-chunk path it
replaced and ``Model.predict``, the NumPy pass for few rows through Dense chains,
subset invariance, stateful networks. The JAX side runs in ``jax_loop_job.py``.
"""

import warnings

import keras
import numpy as np
import pytest
import scipy.sparse as sp

from sklkeras import KerasClassifier, MLPClassifier, MLPRegressor
from sklkeras._estimator import _numpy_forward, _prediction

ROUND_OFF = {"float32": 1e-6, "float64": 1e-12}


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(1500, 6)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    return X, y


@pytest.fixture(scope="module")
def clf(data):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MLPClassifier((16, 8), max_iter=2, random_state=0).fit(X, y)


def test_loop_equals_chunk_by_chunk_and_model_predict(clf, data, monkeypatch):
    X, _ = data
    model = clf.model_
    old = _prediction._predict_by_chunks(model, X, _prediction.PREDICT_CHUNK)
    np.testing.assert_array_equal(_prediction.predict_in_memory(model, X), old)
    # Several calls of the loop, the last one short.
    monkeypatch.setattr(_prediction, "GROUP_CHUNKS", 3)
    np.testing.assert_array_equal(_prediction.predict_in_memory(model, X), old)
    ref = model.predict(X, batch_size=4096, verbose=0)
    np.testing.assert_allclose(old, ref, rtol=1e-6, atol=1e-6)


def test_rows_do_not_depend_on_the_rows_beside_them(clf, data):
    X, _ = data
    model = clf.model_
    full = _prediction.predict_in_memory(model, X)
    # Compiled path (over 64 rows): the same bits for any subset.
    np.testing.assert_array_equal(
        _prediction.predict_in_memory(model, X[101:1300]), full[101:1300]
    )
    # NumPy path (up to 64 rows): the same bits row by row or together.
    few = _prediction.predict_in_memory(model, X[:40])
    one_by_one = [_prediction.predict_in_memory(model, X[i : i + 1]) for i in range(40)]
    np.testing.assert_array_equal(np.concatenate(one_by_one), few)
    # The two paths agree within float32 round-off.
    np.testing.assert_allclose(few, full[:40], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(
        clf.predict_proba(X[:3]), clf.predict_proba(X)[:3], rtol=1e-6, atol=1e-6
    )


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "activation,est",
    [("relu", MLPClassifier), ("tanh", MLPRegressor), ("logistic", MLPRegressor)],
)
def test_numpy_pass_equals_compiled_pass(data, dtype, activation, est):
    X, y = data
    X = X.astype(dtype)
    target = y if est is MLPClassifier else X[:, 0] * 3.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = est((12, 5), activation=activation, max_iter=2, random_state=0)
        fitted.fit(X, target)
    model = fitted.model_
    assert _numpy_forward.dense_chain(model) is not None
    few = _numpy_forward.numpy_forward(model, X[:50])
    compiled = _prediction._predict_by_chunks(model, X[:50], 64)
    assert few.dtype == compiled.dtype == model.layers[-1].compute_dtype
    np.testing.assert_allclose(few, compiled, rtol=ROUND_OFF[dtype], atol=1e-6)


def test_numpy_pass_for_multiclass_sparse_and_dropout():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(300, 5)).astype(np.float32)
    y = rng.randint(0, 4, size=300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = MLPClassifier((9,), dropout=0.2, max_iter=2, random_state=0).fit(X, y)
    model = clf.model_
    assert _numpy_forward.dense_chain(model) is not None  # Dropout: the identity
    full = _prediction.predict_in_memory(model, X)
    few = _prediction.predict_in_memory(model, sp.csr_matrix(X[:30]))
    np.testing.assert_allclose(few, full[:30], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(few.sum(axis=1), 1.0, rtol=1e-6)
    sparse = _prediction.predict_in_memory(model, sp.csr_matrix(X))
    np.testing.assert_array_equal(sparse, full)


def test_new_weights_are_seen(clf, data):
    X, _ = data
    model = clf.model_
    before = _prediction.predict_in_memory(model, X[:5])
    weights = model.get_weights()
    try:
        model.set_weights([w * 0.5 for w in weights])
        after = _prediction.predict_in_memory(model, X[:5])
        assert np.abs(after - before).max() > 1e-4
        np.testing.assert_allclose(
            after, model.predict(X[:5], verbose=0), rtol=1e-6, atol=1e-6
        )
    finally:
        model.set_weights(weights)
    np.testing.assert_array_equal(_prediction.predict_in_memory(model, X[:5]), before)


def _dense(units, **kw):
    return keras.layers.Dense(units, **kw)


class MyDense(keras.layers.Dense):
    pass


def _functional(build):
    inputs = keras.Input((4,))
    return keras.Model(inputs, build(inputs))


@pytest.mark.parametrize(
    "make,expected",
    [
        (lambda: keras.Sequential([keras.Input((4,)), _dense(3, activation="relu")]), True),
        (lambda: _functional(lambda x: keras.layers.Activation("softmax")(_dense(3)(x))), True),
        (lambda: keras.Sequential([keras.Input((4,)), MyDense(3)]), False),
        (lambda: keras.Sequential([keras.Input((4,)), _dense(3, activation="gelu")]), False),
        (lambda: keras.Sequential([keras.Input((4,)), _dense(3, activation=lambda t: t)]), False),
        (lambda: keras.Sequential([keras.Input((4,)), keras.layers.BatchNormalization(), _dense(2)]), False),
        (lambda: keras.Sequential([keras.Input(batch_shape=(8, 4)), _dense(2)]), False),
        (lambda: _functional(lambda x: keras.layers.Add()([_dense(4)(x), x])), False),
        (lambda: keras.Sequential([keras.Input((4,)), _dense(2, dtype="mixed_float16")]), False),
    ],
    ids=["sequential", "functional", "subclass", "gelu", "lambda", "batchnorm",
         "fixed-batch", "residual", "mixed"],
)  # fmt: skip
def test_which_networks_take_the_numpy_pass(make, expected):
    model = make()
    assert (_numpy_forward.dense_chain(model) is not None) is expected
    X = np.random.RandomState(0).normal(size=(8, 4)).astype(np.float32)
    out = _prediction.predict_in_memory(model, X)
    ref = np.asarray(model(X, training=False))
    tol = 1e-2 if out.dtype == np.float16 else 1e-6
    np.testing.assert_allclose(out, ref, rtol=tol, atol=tol)


def test_stateful_network_keeps_its_chunk_by_chunk_semantics():
    inputs = keras.Input(batch_shape=(8, 5, 2))
    hidden = keras.layers.GRU(3, stateful=True)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
    X = np.random.RandomState(0).normal(size=(20, 5, 2)).astype(np.float32)
    out = _prediction.predict_in_memory(model, X)  # 3 chunks of 8, state carried
    _prediction.reset_states(model)
    padded = np.concatenate([X, np.zeros((4, 5, 2), np.float32)])
    ref = [np.asarray(model(padded[i : i + 8], training=False)) for i in (0, 8, 16)]
    np.testing.assert_allclose(out, np.concatenate(ref)[:20], rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(_prediction.predict_in_memory(model, X), out)


def test_keras_classifier_dense_model_predicts_the_same_on_both_paths(data):
    X, y = data

    def build(n_features_in_, n_outputs_, target_type_):
        return keras.Sequential(
            [
                keras.Input((n_features_in_,)),
                keras.layers.Dense(10, activation="tanh"),
                keras.layers.Dense(n_outputs_, activation="sigmoid"),
            ]
        )

    est = KerasClassifier(build, epochs=1, random_state=0).fit(X[:200], y[:200])
    np.testing.assert_allclose(
        est.predict_proba(X[:10]), est.predict_proba(X)[:10], rtol=1e-6, atol=1e-6
    )

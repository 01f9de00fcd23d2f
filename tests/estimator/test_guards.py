"""No silent wrong answers (issue 16): bad input, targets, training and outputs.

Each test names the item of the issue it guards. They use tiny networks and a few
epochs; what they check is the message or the behaviour a user now sees.
"""

import warnings

import keras
import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sklkeras import (
    CNNClassifier,
    KerasClassifier,
    KerasRegressor,
    MLPClassifier,
    MLPRegressor,
    SequenceClassifier,
)


def _dense_net(n_features_in_, n_outputs_, target_type_=None):
    inputs = keras.Input((n_features_in_,))
    activation = {"binary": "sigmoid", "multiclass": "softmax"}.get(target_type_)
    return keras.Model(
        inputs, keras.layers.Dense(n_outputs_, activation=activation)(inputs)
    )


def _regressor_net(n_features_in_, n_outputs_):
    inputs = keras.Input((n_features_in_,))
    return keras.Model(inputs, keras.layers.Dense(n_outputs_)(inputs))


def _every_estimator():
    """(estimator, X, y) for each estimator class: tiny data, one epoch."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 4))
    y = (X[:, 0] > 0).astype(int)
    images = rng.uniform(size=(40, 6, 6, 1))
    tokens = rng.randint(1, 9, size=(40, 5))
    fast = dict(epochs=1, random_state=0)
    return [
        (MLPClassifier(hidden_layer_sizes=(4,), **fast), X, y),
        (MLPRegressor(hidden_layer_sizes=(4,), **fast), X, X[:, 0]),
        (CNNClassifier(filters=(2,), dense_units=(4,), **fast), images, y),
        (SequenceClassifier(layer="gru", units=(2,), **fast), tokens, y),
        (KerasClassifier(_dense_net, **fast), X, y),
        (KerasRegressor(_regressor_net, **fast), X, X[:, 0]),
    ]


_IDS = ["mlpc", "mlpr", "cnn", "seq", "kerasc", "kerasr"]


# ------------------------------------------------------- item 6: sample_weight
@pytest.mark.parametrize("case", range(6), ids=_IDS)
def test_item6_negative_sample_weight_is_refused(case):
    est, X, y = _every_estimator()[case]
    weights = np.ones(len(X))
    weights[3] = -1.0
    with pytest.raises(ValueError, match="Negative values.*sample_weight"):
        est.fit(X, y, sample_weight=weights)
    assert not hasattr(est, "model_")  # refused before any network was built


# ----------------------------------------------- item 10: categorical columns
def test_item10_categorical_dataframe_columns_are_named():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame(
        {
            "age": [30.0, 41, 25, 60] * 5,
            "job": ["a", "b", "c", "a"] * 5,
            "marital": pd.Categorical(["x", "y", "x", "y"] * 5),
        }
    )
    y = np.array([0, 1] * 10)
    with pytest.raises(ValueError) as info:
        MLPClassifier(epochs=1).fit(X, y)
    message = str(info.value)
    assert "'job'" in message and "'marital'" in message and "'age'" not in message
    assert "OneHotEncoder" in message and "ColumnTransformer" in message
    # the same for string columns of a NumPy array, by index
    with pytest.raises(ValueError, match=r"column\(s\) \[1\].*OneHotEncoder"):
        MLPClassifier(epochs=1).fit(X[["age", "job"]].to_numpy(), y)
    # and at predict time, after a numeric fit
    clf = MLPClassifier(hidden_layer_sizes=(2,), epochs=1).fit(X[["age"]], y)
    with pytest.raises(ValueError, match="'age'.*OneHotEncoder"):
        clf.predict(X[["job"]].rename(columns={"job": "age"}))


# ------------------------------------------------- item 9: history_["accuracy"]
@pytest.mark.parametrize("case", [0, 2, 3, 4], ids=["mlpc", "cnn", "seq", "kerasc"])
def test_item9_every_classifier_records_accuracy(case):
    import matplotlib

    matplotlib.use("Agg")
    from sklkeras import plot_history

    est, X, y = _every_estimator()[case]
    est.fit(X, y)  # binary, no metrics given, no early stopping
    assert len(est.history_["accuracy"]) == est.n_iter_
    assert 0 <= est.history_["accuracy"][-1] <= 1
    ax = plot_history(est, ["loss", "accuracy"])
    assert [line.get_label() for line in ax.get_lines()] == ["loss", "accuracy"]


def test_item9_accuracy_variant_follows_the_target():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    labels = np.arange(60) % 3
    multi = MLPClassifier(hidden_layer_sizes=(4,), epochs=2, early_stopping=True)
    multi.set_params(n_iter_no_change=None).fit(X, labels)
    assert sorted(multi.history_) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert multi.validation_scores_ == multi.history_["val_accuracy"]
    # Multilabel: per-label (binary) accuracy, which Keras's "accuracy" string
    # would take for categorical accuracy of one-hot rows.
    Y = np.c_[labels == 0, labels == 1, labels != 1].astype(int)
    ml = MLPClassifier(hidden_layer_sizes=(4,), epochs=1, random_state=0).fit(X, Y)
    compiled = [type(m).__name__ for m in ml.model_._compile_metrics.metrics]
    assert compiled == ["BinaryAccuracy"] and "accuracy" in ml.history_
    # metrics=["accuracy"] given: recorded once, under that name
    own = MLPClassifier(hidden_layer_sizes=(4,), epochs=1, metrics=["accuracy"])
    assert sorted(own.fit(X, labels).history_) == ["accuracy", "loss"]


# --------------------------------------------------------- item 1: one-hot y
@pytest.fixture(scope="module")
def iris_one_hot():
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, keras.utils.to_categorical(y, 3), y  # float32 one-hot, as the notes


def test_item1_one_hot_with_categorical_crossentropy_is_multiclass(iris_one_hot):
    X, Y, labels = iris_one_hot
    clf = MLPClassifier(
        hidden_layer_sizes=(16,),
        epochs=40,
        learning_rate_init=0.02,
        loss="categorical_crossentropy",
        random_state=0,
    ).fit(X, Y)
    pred = clf.predict(X)
    assert pred.shape == (150, 3) and np.all(pred.sum(axis=1) == 1)  # one-hot back
    np.testing.assert_array_equal(pred.argmax(axis=1), clf.predict_proba(X).argmax(1))
    assert clf.score(X, Y) == pytest.approx(np.mean(pred.argmax(1) == labels))
    assert clf.score(X, Y) > 0.85
    assert list(clf.classes_) == [0, 1, 2] and "accuracy" in clf.history_
    with pytest.raises(ValueError, match=r"one class per sample.*rows \[0\]"):
        bad = Y.copy()
        bad[0] = 1
        clone_ = MLPClassifier(epochs=1, loss="categorical_crossentropy")
        clone_.fit(X, bad)


def test_item1_one_hot_without_a_loss_warns_and_stays_multilabel(iris_one_hot):
    X, Y, _ = iris_one_hot
    with pytest.warns(UserWarning, match="one-hot.*multilabel.*categorical_crossen"):
        clf = MLPClassifier(hidden_layer_sizes=(4,), epochs=1).fit(X, Y)
    assert clf._target_type_ == "multilabel-indicator"
    with warnings.catch_warnings():  # a real multilabel target: no warning
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)  # one epoch only
        MLPClassifier(hidden_layer_sizes=(4,), epochs=1).fit(
            X, np.c_[Y[:, :2], Y[:, :1]]
        )


@pytest.mark.parametrize("kind", ["cnn", "seq"])
def test_item1_one_hot_images_and_sequences(kind):
    rng = np.random.RandomState(0)
    labels = np.arange(60) % 3
    Y = np.eye(3)[labels]
    if kind == "cnn":
        X = rng.uniform(size=(60, 6, 6, 1))
        X[np.arange(60), labels, labels, 0] = 4.0  # a bright pixel tells the class
        est = CNNClassifier(filters=(4,), dense_units=(8,), epochs=15)
    else:
        X = rng.randint(4, 9, size=(60, 5))
        X[:, 2] = labels + 1  # one token tells the class
        est = SequenceClassifier(layer="conv1d", units=(8,), epochs=15)
    est.set_params(loss="categorical_crossentropy", random_state=0).fit(X, Y)
    pred = est.predict(X)
    assert pred.shape == (60, 3) and np.all(pred.sum(axis=1) == 1)
    assert est.score(X, Y) > 0.6


# ---------------------------------------------------------- item 5: divergence
def test_item5_nan_loss_stops_the_fit_with_an_error(tmp_path):
    from sklearn.exceptions import NotFittedError

    rng = np.random.RandomState(0)
    # float32, as the notes' arrays: a float64 X trains a float64 network, where
    # 1e30 stays finite (as in scikit-learn's MLP).
    X = (rng.normal(size=(100, 4)) * 1e30).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    clf = MLPClassifier(epochs=5, checkpoint_dir=tmp_path, random_state=0)
    with pytest.raises(ValueError, match=r"Training diverged: .* at epoch \d"):
        clf.fit(X, y)
    with pytest.raises(NotFittedError):  # no NaN answers from a broken network
        clf.predict_proba(X)
    # No checkpoint holds a NaN epoch.
    import sklkeras

    for path in tmp_path.glob("*.skk"):
        weights = sklkeras.load(path).model_.get_weights()
        assert all(np.isfinite(w).all() for w in weights)
    with pytest.raises(ValueError, match=r"max \|X\| = .*e\+30.*StandardScaler"):
        MLPRegressor(epochs=5, random_state=0).fit(X, X[:, 0])


@pytest.mark.parametrize("case", range(6), ids=_IDS)
def test_item5_predict_never_returns_nan(case):
    est, X, y = _every_estimator()[case]
    est.fit(X, y)
    weights = est.model_.get_weights()
    weights[-1] = np.full_like(weights[-1], np.nan)  # the output layer's bias
    est.model_.set_weights(weights)
    with pytest.raises(ValueError, match=r"NaN or infinite for 3 of 3 row\(s\)"):
        est.predict(X[:3])


# ------------------------------------------- item 8: models with a batch shape
def test_item8_fixed_batch_shape_predicts_in_its_batch_size():
    """The notes' stateful LSTM, Input(batch_shape=(8, 6, 3)): predict used to fail
    (prediction always ran 64-row chunks)."""

    def build(n_classes_):
        inputs = keras.Input(batch_shape=(8, 6, 3))
        hidden = keras.layers.LSTM(4, stateful=True)(inputs)
        return keras.Model(
            inputs, keras.layers.Dense(n_classes_, activation="softmax")(hidden)
        )

    rng = np.random.RandomState(0)
    X = rng.normal(size=(32, 6, 3))
    y = (X[:, :, 0].sum(axis=1) > 0).astype(int)
    clf = KerasClassifier(build, batch_size=8, epochs=2, random_state=0).fit(X, y)
    proba = clf.predict_proba(X[:5])  # padded to one batch of 8
    assert proba.shape == (5, 2)
    np.testing.assert_array_equal(proba, clf.predict_proba(X[:5]))  # fresh state
    # Row i's answer is that of the first batch of 8 fed from a fresh state.
    from sklkeras._engine._epochs import reset_states

    reset_states(clf.model_)
    first = np.asarray(clf.model_(X[:8].astype("float32"), training=False))
    np.testing.assert_allclose(clf.predict_proba(X[:8]), first, rtol=1e-6)


def test_fits_without_random_state_under_tf_op_determinism():
    # Another library (or a test suite) may turn on TensorFlow's op determinism,
    # where unseeded random ops raise; a fit without random_state then draws its
    # seed from NumPy's global generator. A process of its own: the setting is
    # process-wide.
    import subprocess
    import sys

    script = (
        "import numpy as np, keras, tensorflow as tf\n"
        "from sklkeras import MLPClassifier\n"
        "tf.config.experimental.enable_op_determinism()\n"
        "X = np.random.RandomState(0).normal(size=(40, 3)).astype('float32')\n"
        "y = (X[:, 0] > 0).astype(int)\n"
        "MLPClassifier((4,), epochs=2, dropout=0.2).fit(X, y).predict(X)\n"
        "print('fitted')\n"
    )
    env = {**__import__("os").environ, "KERAS_BACKEND": "tensorflow"}
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "fitted" in proc.stdout

"""No silent wrong answers (issue 16): bad input, targets, training and outputs.

Each test names the item of the issue it guards. They use tiny networks and a few
epochs; what they check is the message or the behaviour a user now sees.
"""

import keras
import numpy as np
import pytest

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

"""MLPClassifier / MLPRegressor: targets, training attributes, errors, persistence."""

import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris, make_regression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklkeras import MLPClassifier, MLPRegressor

FAST = dict(
    hidden_layer_sizes=(16,), epochs=20, learning_rate_init=0.05, random_state=0
)


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    return X, load_iris().target_names[y]  # string labels, as in the notes


@pytest.fixture(scope="module")
def iris_clf(iris):
    X, y = iris
    return MLPClassifier(**FAST, metrics=["accuracy"]).fit(X, y)


@pytest.fixture(scope="module")
def reg_data():
    X, y = make_regression(n_samples=120, n_features=5, n_targets=2, random_state=0)
    return X, y / y.std(axis=0)


# ------------------------------------------------------------------------ targets
def test_string_labels_multiclass(iris, iris_clf):
    X, y = iris
    assert list(iris_clf.classes_) == ["setosa", "versicolor", "virginica"]
    assert iris_clf.predict(X).dtype == y.dtype
    assert iris_clf.score(X, y) > 0.9
    proba = iris_clf.predict_proba(X)
    assert proba.shape == (150, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)


def test_training_attributes(iris_clf):
    assert iris_clf.n_iter_ == len(iris_clf.loss_curve_) <= 20
    assert iris_clf.loss_curve_[-1] < iris_clf.loss_curve_[0]
    assert "accuracy" in iris_clf.history_
    assert iris_clf.validation_scores_ is None
    assert iris_clf.n_features_in_ == 4


def test_binary_and_multilabel():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(80, 3))
    yb = np.where(X[:, 0] > 0, "yes", "no")
    clf = MLPClassifier(**FAST).fit(X, yb)
    assert clf.predict_proba(X).shape == (80, 2)
    assert clf.score(X, yb) > 0.85
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0, X[:, 2] > 0]).astype(int)
    ml = MLPClassifier(**FAST).fit(X, Y)
    assert ml.predict(X).shape == (80, 3)
    assert set(np.unique(ml.predict(X))) <= {0, 1}
    assert ml.score(X, Y) > 0.5  # subset accuracy


def test_categorical_crossentropy_loss_one_hot(iris):
    X, y = iris
    clf = MLPClassifier(**FAST, loss="categorical_crossentropy").fit(X, y)
    assert clf.score(X, y) > 0.9


def test_regressor_single_and_multi_output(reg_data):
    X, Y = reg_data
    multi = MLPRegressor(**FAST).fit(X, Y)
    assert multi.predict(X).shape == (120, 2)
    assert multi.n_outputs_ == 2
    single = MLPRegressor(**FAST).fit(X, Y[:, 0])
    assert single.predict(X).shape == (120,)
    assert single.score(X, Y[:, 0]) > 0.8


def test_early_stopping_regressor(reg_data):
    X, Y = reg_data
    reg = MLPRegressor(**{**FAST, "epochs": 200}, early_stopping=True).fit(X, Y[:, 0])
    assert reg.n_iter_ < 200
    assert len(reg.validation_scores_) == reg.n_iter_
    assert "val_loss" in reg.history_


def mean_pred(y_true, y_pred):
    """The notes' custom metric: the mean of the predictions."""
    import keras

    return keras.ops.mean(y_pred)


def test_custom_metric_function(iris):
    X, y = iris
    clf = MLPClassifier(**{**FAST, "epochs": 2}, metrics=[mean_pred]).fit(X, y)
    assert len(clf.history_["mean_pred"]) == 2
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict_proba(X), clf.predict_proba(X))


def test_optimizer_object_is_not_trained_in_place(iris):
    import keras

    X, y = iris
    opt = keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
    clf = MLPClassifier(**{**FAST, "learning_rate_init": None}, optimizer=opt)
    clf.fit(X, y)
    assert int(opt.iterations) == 0
    assert clf.model_.optimizer is not opt
    assert clf.model_.optimizer.nesterov


# ------------------------------------------------------------------- scikit-learn
def test_pipeline_grid_search_n_jobs(iris):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), MLPClassifier(**{**FAST, "epochs": 5}))
    grid = GridSearchCV(
        pipe,
        {
            "mlpclassifier__hidden_layer_sizes": [(8,), (16, 8)],
            "mlpclassifier__optimizer": ["adam", "sgd"],
        },
        cv=3,
        n_jobs=2,
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_score_ > 0.6
    assert grid.predict(X[:2]).shape == (2,)


def test_pickle_joblib_roundtrip(iris, iris_clf, tmp_path):
    X, _ = iris
    expected = iris_clf.predict_proba(X)
    again = pickle.loads(pickle.dumps(iris_clf))
    np.testing.assert_array_equal(again.predict_proba(X), expected)
    path = tmp_path / "clf.joblib"
    joblib.dump(iris_clf, path)
    np.testing.assert_array_equal(joblib.load(path).predict_proba(X), expected)
    assert again.history_ == iris_clf.history_


# ----------------------------------------------------------------------- bad input
@pytest.fixture(scope="module")
def small():
    rng = np.random.RandomState(0)
    return rng.normal(size=(30, 4)), np.array([0, 1, 2] * 10)


@pytest.mark.parametrize(
    "make_X, match",
    [
        (lambda X: np.where(X > 1, np.nan, X), "NaN"),
        (lambda X: np.where(X > 1, np.inf, X), "infinity"),
        (lambda X: X.reshape(30, 2, 2), "dim 3"),
        (lambda X: X[:0], "0 sample"),
        (lambda X: np.array([["a"] * 4] * 30), "string"),
    ],
    ids=["nan", "inf", "3d", "empty", "strings"],
)
def test_bad_X_at_fit(small, make_X, match):
    X, y = small
    with pytest.raises(ValueError, match=match):
        MLPClassifier(**FAST).fit(make_X(X), y[: len(make_X(X))])


def test_bad_y(small):
    X, y = small
    with pytest.raises(ValueError, match="at least 2 classes"):
        MLPClassifier(**FAST).fit(X, np.zeros(30))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        MLPClassifier(**FAST).fit(X, y[:20])
    with pytest.raises(ValueError, match="Unknown label type"):
        MLPClassifier(**FAST).fit(X, np.linspace(0, 1, 30))
    with pytest.raises(ValueError, match="numeric target"):
        MLPRegressor(**FAST).fit(X, np.array(["a"] * 30))


def test_non_numeric_dataframe_column(small):
    X, y = small
    df = pd.DataFrame(X, columns=list("abcd"))
    df["d"] = "text"
    with pytest.raises(ValueError):
        MLPClassifier(**FAST).fit(df, y)


def test_wrong_features_at_predict(small):
    X, y = small
    clf = MLPClassifier(**{**FAST, "epochs": 1}).fit(X, y)
    with pytest.raises(ValueError, match="expecting 4 features"):
        clf.predict(X[:, :3])
    with pytest.raises(ValueError, match="NaN"):
        clf.predict(np.full((2, 4), np.nan))


@pytest.mark.parametrize(
    "params, match",
    [
        ({"optimizer": "adamm"}, "optimizer"),
        ({"activation": "relux"}, "activation"),
        ({"epochs": 0}, "epochs"),
        ({"batch_size": -1}, "batch_size"),
        ({"dropout": 1.5}, "dropout"),
        ({"dropout": (0.1, 0.2, 0.3)}, "dropout"),
        ({"hidden_layer_sizes": (0,)}, "hidden_layer_sizes"),
        ({"kernel_initializer": "nope"}, "kernel_initializer"),
        ({"loss": "nope"}, "loss"),
        ({"metrics": ["nope"]}, "metrics"),
        ({"class_weight": "weird"}, "class_weight"),
        ({"validation_fraction": 1.0}, "validation_fraction"),
    ],
)
def test_bad_parameters_named_at_fit(small, params, match):
    X, y = small
    clf = MLPClassifier(**{**FAST, **params})  # constructing never raises
    with pytest.raises(ValueError, match=match):
        clf.fit(X, y)


def test_unfitted_predict():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        MLPClassifier().predict(np.zeros((1, 2)))


def test_loss_that_cannot_take_the_target_is_a_clear_error(iris):
    """A Keras loss that does not fit the target is refused before training, naming
    the loss and the target (it crashed in sklkeras's own code); a Keras loss
    name that fits is compiled as its Loss class."""
    X, y = iris
    with pytest.raises(ValueError, match=r"loss='binary_crossentropy'.*3 classes"):
        MLPClassifier(loss="binary_crossentropy", max_iter=1).fit(X, y)
    binary = (y == "setosa").astype(int)
    with pytest.raises(ValueError, match=r"sparse_categorical.*2 classes \(binary\)"):
        MLPClassifier(loss="sparse_categorical_crossentropy", max_iter=1).fit(X, binary)
    clf = MLPClassifier(loss="binary_crossentropy", max_iter=1, n_iter_no_change=1)
    with pytest.warns(Warning):
        clf.fit(X, binary)
    assert clf.model_.loss.name == "binary_crossentropy"

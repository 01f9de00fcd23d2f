"""KerasClassifier / KerasRegressor: bring-your-own models with the base-layer fixes."""

import pickle

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklkeras import KerasClassifier, KerasRegressor, MLPClassifier


def mean_pred(y_true, y_pred):
    """The notes' custom metric: the mean of the predictions."""
    return keras.ops.mean(y_pred)


def build(n_features_in_, n_classes_, units=32, branches=2):
    inp = keras.Input((n_features_in_,))
    merged = keras.layers.concatenate(
        [keras.layers.Dense(units, activation="relu")(inp) for _ in range(branches)]
    )
    return keras.Model(
        inp, keras.layers.Dense(n_classes_, activation="softmax")(merged)
    )


def build_regressor(n_features_in_, n_outputs_, units=16):
    inp = keras.Input((n_features_in_,))
    hidden = keras.layers.Dense(units, activation="relu")(inp)
    return keras.Model(inp, keras.layers.Dense(n_outputs_)(hidden))


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def test_issue_example_runs_as_written(iris):
    X, y = iris
    clf = KerasClassifier(
        build,
        units=32,
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy", mean_pred],
        epochs=20,
    )
    grid = GridSearchCV(
        make_pipeline(StandardScaler(), clf),
        {"kerasclassifier__units": [16, 64], "kerasclassifier__branches": [1, 2]},
        cv=3,
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    best = grid.best_estimator_[-1]
    assert {"loss", "accuracy", "mean_pred"} <= set(best.history_)
    assert best.get_params()["branches"] in (1, 2)


def test_builder_params_are_parameters():
    clf = KerasClassifier(build, units=8)
    params = clf.get_params()
    assert params["units"] == 8 and params["branches"] == 2  # given, and default
    clf.set_params(branches=3)
    assert clone(clf).get_params()["branches"] == 3
    with pytest.raises(ValueError, match="Invalid parameter"):
        clf.set_params(nonsense=1)


def test_model_object_untouched_and_each_fit_starts_from_its_weights(iris):
    X, y = iris
    inp = keras.Input((4,))
    user_model = keras.Model(inp, keras.layers.Dense(3, activation="softmax")(inp))
    before = [w.copy() for w in user_model.get_weights()]
    clf = KerasClassifier(user_model, epochs=5, learning_rate_init=0.05, random_state=0)
    first = clf.fit(X, y).predict_proba(X)
    model_1 = clf.model_
    second = clf.fit(X, y).predict_proba(X)
    assert clf.model_ is not model_1 and clf.model_ is not user_model
    for w0, w1 in zip(before, user_model.get_weights(), strict=True):
        np.testing.assert_array_equal(w0, w1)  # the user's object is never trained
    np.testing.assert_array_equal(first, second)  # both fits start afresh
    # A fresh copy of the passed weights each fit, also unseeded (not new ones).
    unseeded = KerasClassifier(user_model, epochs=1, optimizer="sgd")
    unseeded.fit(X, y, epochs=1, batch_size=150)  # one step from the passed weights
    step = unseeded.model_.get_weights()[0] - before[0]
    assert 0 < np.abs(step).max() < 0.1


def test_pretrained_model_recipe(iris):
    """scikeras's recipe: ``KerasRegressor(loaded_model).initialize(X, y)``, then
    predict with the pretrained weights; fitting trains a copy from them."""
    X, y = iris
    target = X[:, :1] * 2 + 1
    inp = keras.Input((4,))
    pretrained = keras.Model(inp, keras.layers.Dense(1)(inp))
    pretrained.compile(loss="mse", optimizer="adam")
    pretrained.fit(X, target, epochs=3, verbose=0)
    expected = pretrained.predict(X, verbose=0).ravel()
    before = [w.copy() for w in pretrained.get_weights()]
    reg = KerasRegressor(pretrained).initialize(X, target.ravel())
    np.testing.assert_allclose(reg.predict(X), expected, rtol=1e-5, atol=1e-5)
    reg.partial_fit(X, target.ravel())  # trains a copy, from the pretrained weights
    assert reg.model_ is not pretrained
    for w0, w1 in zip(before, pretrained.get_weights(), strict=True):
        np.testing.assert_array_equal(w0, w1)
    fitted = KerasRegressor(pretrained, epochs=1).fit(X, target.ravel())
    assert np.abs(fitted.predict(X) - expected).max() < 0.5  # not a fresh network


def test_output_mismatch_is_a_clear_error(iris):
    X, y = iris

    def one_unit(n_features_in_):
        inp = keras.Input((n_features_in_,))
        return keras.Model(inp, keras.layers.Dense(1, activation="sigmoid")(inp))

    with pytest.raises(ValueError, match=r"1 unit\(s\).*3 classes"):
        KerasClassifier(one_unit, epochs=1).fit(X, y)
    with pytest.raises(ValueError, match=r"2 target column"):
        KerasRegressor(build_regressor, epochs=1).set_params(model=one_unit).fit(
            X, np.c_[y, y]
        )


def test_binary_with_two_softmax_units(iris):
    X, y = iris
    yb = (y == 0).astype(int)
    clf = KerasClassifier(build, epochs=20, learning_rate_init=0.02, random_state=0)
    clf.fit(X, yb)
    assert clf.predict_proba(X).shape == (150, 2)
    assert clf.score(X, yb) > 0.9
    assert cross_val_score(clf, X, yb, cv=3, scoring="roc_auc").mean() > 0.9


def test_builder_missing_argument(iris):
    X, y = iris

    def needs_depth(n_features_in_, depth):
        raise AssertionError("not called")

    with pytest.raises(ValueError, match="'depth'"):
        KerasClassifier(needs_depth, epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="model="):
        KerasClassifier(epochs=1).fit(X, y)


@pytest.mark.parametrize("keyword", [{"model__depth": 8}, {"depth": 3}])
def test_keyword_the_builder_does_not_take_is_an_error(iris, keyword):
    """No silently swallowed keywords: plain or routed, a name the function lacks."""
    X, y = iris
    with pytest.raises(ValueError, match=r"\['depth'\].*does not take"):
        KerasClassifier(build, epochs=1, **keyword).fit(X, y)
    model = build(4, 3)
    with pytest.raises(ValueError, match="keras.Model instance"):
        KerasClassifier(model, epochs=1, **keyword).fit(X, y)


def test_builder_parameter_named_like_an_estimator_parameter(iris):
    """As in the classic wrapper: a function parameter named like an estimator
    parameter receives the estimator's value (it stays the estimator's)."""
    X, y = iris
    seen = {}

    def build_epochs(n_features_in_, n_classes_, epochs=3):
        seen["epochs"] = epochs
        return build(n_features_in_, n_classes_)

    clf = KerasClassifier(build_epochs, epochs=2)
    assert clf.get_params()["epochs"] == 2  # the estimator's, so clone keeps it
    clf.fit(X, y)
    assert seen["epochs"] == 2 and len(clf.history_["loss"]) == 2
    with pytest.raises(ValueError, match=r"asks for 'n_classes_'"):
        KerasRegressor(lambda n_features_in_, n_classes_: None, epochs=1).fit(X, y)


def test_builder_with_var_keywords_receives_everything(iris):
    X, y = iris
    seen = {}

    def flexible(n_features_in_, n_classes_, **kwargs):
        seen.update(kwargs)
        return build(n_features_in_, n_classes_, units=kwargs.get("units", 4))

    KerasClassifier(flexible, units=5, epochs=1).fit(X, y)
    assert seen["units"] == 5


def test_regressor_and_pickle(iris):
    X, y = iris
    target = X[:, 0] * 2 + 1
    reg = make_pipeline(
        StandardScaler(),
        KerasRegressor(
            build_regressor,
            units=32,
            epochs=300,
            batch_size=16,
            n_iter_no_change=None,
            learning_rate_init=0.01,
            random_state=0,
        ),
    ).fit(X, target)
    assert reg.score(X, target) > 0.8
    again = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(again.predict(X), reg.predict(X))
    assert again[-1].get_params()["units"] == 32


def test_compiled_model_loss_is_kept(iris):
    X, y = iris

    def compiled(n_features_in_, n_classes_):
        inp = keras.Input((n_features_in_,))
        model = keras.Model(
            inp, keras.layers.Dense(n_classes_, activation="softmax")(inp)
        )
        model.compile(loss="categorical_crossentropy")
        return model

    clf = KerasClassifier(compiled, epochs=2, random_state=0).fit(X, y)
    assert clf.model_.loss == "categorical_crossentropy"
    assert clf.predict_proba(X).shape == (150, 3)


def test_image_input_convnet():
    from sklkeras.datasets import load_digits_images

    X, y = load_digits_images(return_X_y=True)

    def convnet(input_shape_, n_classes_):
        inp = keras.Input(input_shape_)
        x = keras.layers.Conv2D(8, 3, activation="relu")(inp)
        x = keras.layers.GlobalAveragePooling2D()(x)
        return keras.Model(inp, keras.layers.Dense(n_classes_, activation="softmax")(x))

    clf = KerasClassifier(convnet, epochs=1, random_state=0).fit(X[:100], y[:100])
    assert clf.input_shape_ == (8, 8, 1)
    with pytest.raises(ValueError, match=r"\(7, 7, 1\)"):
        clf.predict(np.zeros((1, 7, 7, 1)))


def test_user_model_runs_an_epoch_per_compiled_call(iris):
    """Like the named estimators, so Model.fit (the JAX path) is not step-bound."""
    X, y = iris
    clf = KerasClassifier(build, epochs=1, batch_size=10).fit(X, y)
    assert clf.model_.steps_per_execution == 15  # 150 rows / 10
    named = MLPClassifier(epochs=1, batch_size=10).fit(X, y)
    assert named.model_.steps_per_execution == clf.model_.steps_per_execution

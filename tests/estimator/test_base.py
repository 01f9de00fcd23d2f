"""Regression tests for the scikeras defects listed in docs/design.md.

Each test names the defect it guards. Where it is cheap, the test also shows that
plain scikeras still has the defect, so the fix keeps a reason to exist.
"""

import logging
import pickle
import random

import keras
import numpy as np
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import StackingClassifier, VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.utils import get_tags

from sklkeras import MLPClassifier, MLPRegressor


def fast_clf(**kw):
    params = dict(
        hidden_layer_sizes=(16,), epochs=15, learning_rate_init=0.05, random_state=0
    )
    params.update(kw)
    return MLPClassifier(**params)


@pytest.fixture(scope="module")
def sorted_binary():
    """Label-sorted data: every unstratified fold would hold a single class."""
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(-1, 1, (60, 4)), rng.normal(1, 1, (60, 4))])
    y = np.array([0] * 60 + [1] * 60)
    return X, y


# ---------------------------------------------------------------- defect 1, 10
def test_defect1_estimator_types():
    import scikeras.wrappers

    assert not is_classifier(scikeras.wrappers.KerasClassifier())  # the defect
    assert is_classifier(MLPClassifier())
    assert is_regressor(MLPRegressor())
    assert get_tags(MLPClassifier()).estimator_type == "classifier"
    assert get_tags(MLPRegressor()).estimator_type == "regressor"
    assert get_tags(MLPClassifier()).classifier_tags.multi_label


def test_defect1_cv_int_stratifies(sorted_binary):
    X, y = sorted_binary
    scores = cross_val_score(fast_clf(), X, y, cv=3)
    # KFold on sorted labels trains on one class and scores ~0 on the other.
    assert scores.min() > 0.7


@pytest.mark.parametrize("scoring", ["roc_auc", "neg_log_loss"])
def test_defect1_probability_scorers(sorted_binary, scoring):
    X, y = sorted_binary
    scores = cross_val_score(fast_clf(), X, y, cv=2, scoring=scoring)
    assert np.all(np.isfinite(scores))


def test_defect1_meta_estimators(sorted_binary):
    X, y = sorted_binary
    vote = VotingClassifier(
        [("nn", fast_clf()), ("lr", LogisticRegression())], voting="soft"
    ).fit(X, y)
    assert vote.predict_proba(X).shape == (len(X), 2)
    calib = CalibratedClassifierCV(fast_clf(), cv=2).fit(X, y)
    assert calib.predict_proba(X).shape == (len(X), 2)
    stack = StackingClassifier(
        [("nn", fast_clf())], final_estimator=LogisticRegression(), cv=2
    ).fit(X, y)
    assert stack.score(X, y) > 0.7


# --------------------------------------------------------------------- defect 2
def test_defect2_seed_is_repeatable_and_leaves_no_global_state(sorted_binary):
    X, y = sorted_binary
    py_state = random.getstate()
    np_state = np.random.get_state()
    p1 = fast_clf(dropout=0.3).fit(X, y).predict_proba(X)
    p2 = fast_clf(dropout=0.3).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(p1, p2)
    from tensorflow.python.framework import config as tf_config

    assert not tf_config.is_op_determinism_enabled()
    assert random.getstate() == py_state
    np.testing.assert_array_equal(np.random.get_state()[1], np_state[1])
    # An unseeded fit afterwards still works ("Random ops require a seed" before).
    fast_clf(random_state=None, dropout=0.3).fit(X, y)
    # and unseeded fits differ from each other
    a = fast_clf(random_state=None, epochs=1).fit(X, y).predict_proba(X)
    b = fast_clf(random_state=None, epochs=1).fit(X, y).predict_proba(X)
    assert not np.array_equal(a, b)


# --------------------------------------------------------------------- defect 3
def test_defect3_no_global_pickling_patch():
    for cls in (keras.Model, keras.losses.Loss, keras.metrics.Metric):
        value = vars(cls).get("__reduce__")
        assert value is None or "scikeras" not in getattr(value, "__module__", "")
    # Keras's own pickling of a plain model still works.
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    clone_ = pickle.loads(pickle.dumps(model))
    x = np.ones((1, 3), dtype="float32")
    np.testing.assert_allclose(model(x), clone_(x))


# --------------------------------------------------------------------- defect 4
def test_defect4_sample_weight_not_mutated(sorted_binary):
    X, y = sorted_binary
    sw = np.ones(len(y))
    sw_before = sw.copy()
    fast_clf(class_weight={0: 1.0, 1: 3.0}).fit(X, y, sample_weight=sw)
    np.testing.assert_array_equal(sw, sw_before)
    sw32 = np.ones(len(y), dtype=np.float32)
    fast_clf(class_weight="balanced").fit(X, y, sample_weight=sw32)
    np.testing.assert_array_equal(sw32, np.ones(len(y), dtype=np.float32))


# --------------------------------------------------------------------- defect 5
def test_defect5_predict_proba_one_row_is_2d(sorted_binary):
    X, y = sorted_binary
    clf = fast_clf().fit(X, y)
    assert clf.predict_proba(X[:1]).shape == (1, 2)
    assert clf.predict(X[:1]).shape == (1,)
    y3 = np.arange(len(y)) % 3
    clf3 = fast_clf().fit(X, y3)
    assert clf3.predict_proba(X[:1]).shape == (1, 3)


# --------------------------------------------------------------------- defect 6
def test_defect6_each_fit_starts_fresh(sorted_binary):
    X, y = sorted_binary
    clf = fast_clf(epochs=3)
    first = clf.fit(X, y).predict_proba(X)
    model_1 = clf.model_
    second = clf.fit(X, y).predict_proba(X)
    assert clf.model_ is not model_1
    np.testing.assert_array_equal(first, second)  # not trained on top of fit 1
    assert clf.n_iter_ == 3


def test_warm_start_continues(sorted_binary):
    X, y = sorted_binary
    clf = fast_clf(epochs=3, warm_start=True, n_iter_no_change=None)
    clf.fit(X, y)
    model = clf.model_
    clf.fit(X, y)
    assert clf.model_ is model
    # n_iter_ counts the epochs of the last fit, as scikit-learn's does; the
    # curve keeps them all.
    assert clf.n_iter_ == 3 and len(clf.loss_curve_) == 6


# --------------------------------------------------------------------- defect 7
def test_defect7_feature_names():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame({"a": [0.0, 1, 2, 3] * 5, "b": [1.0, 0, 1, 0] * 5})
    y = np.array([0, 1] * 10)
    clf = fast_clf(epochs=2).fit(X, y)
    assert list(clf.feature_names_in_) == ["a", "b"]
    assert clf.n_features_in_ == 2
    with pytest.raises(ValueError, match="feature names"):
        clf.predict(X.rename(columns={"a": "z"}))


# --------------------------------------------------------------------- defect 8
def test_defect8_validation_split_is_shuffled_and_stratified(sorted_binary):
    X, y = sorted_binary
    clf = fast_clf(early_stopping=True, validation_fraction=0.25)
    clf._target_type_ = "binary"
    train_idx, val_idx = clf._validation_split(y, seed=3)
    # Keras would take the last 25% rows: all of class 1.
    assert set(np.unique(y[val_idx])) == {0, 1}
    assert abs(y[val_idx].mean() - 0.5) < 0.05
    assert len(val_idx) == 30 and len(set(train_idx) | set(val_idx)) == len(y)
    clf.fit(X, y)
    assert len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ > 0.7


# --------------------------------------------------------------------- defect 9
def test_defect9_no_retracing_warnings(sorted_binary, caplog):
    X, y = sorted_binary
    with caplog.at_level(logging.WARNING):
        for _ in range(7):  # TensorFlow warns from the 6th retrace on
            clf = fast_clf(epochs=1).fit(X, y)
            clf.predict(X[:5])  # compiled small-batch path
            clf.predict(np.vstack([X] * 40))  # many chunks
    assert not [r for r in caplog.records if "retracing" in r.getMessage()]


def test_defect9_quiet_by_default(sorted_binary, capsys):
    X, y = sorted_binary
    clf = fast_clf(early_stopping=True).fit(X, y)
    clf.predict(X)
    clf.predict(np.vstack([X] * 40))  # large input, many compiled chunks
    captured = capsys.readouterr()
    assert captured.out == ""


def test_clone_and_refit_reproduce(sorted_binary):
    X, y = sorted_binary
    clf = fast_clf().fit(X, y)
    again = clone(clf).fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), again.predict_proba(X))


# ------------------------------------------- ConvergenceWarning, every estimator
def _tiny_model(n_features_in_, n_outputs_):
    inputs = keras.Input((n_features_in_,))
    return keras.Model(
        inputs, keras.layers.Dense(n_outputs_, activation="sigmoid")(inputs)
    )


@pytest.mark.parametrize(
    "name", ["CNNClassifier", "SequenceClassifier", "KerasClassifier"]
)
def test_convergence_warning_for_every_estimator(sorted_binary, name):
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    import sklkeras

    X, y = sorted_binary
    settings = {
        "CNNClassifier": dict(
            filters=(4,), kernel_size=1, dense_units=(4,), image_shape=(1, -1, 1)
        ),
        "SequenceClassifier": dict(layer="gru", units=(4,)),
        # scikeras's API trains exactly `epochs` by default; the stopping rule is
        # sklkeras's extra there.
        "KerasClassifier": dict(model=_tiny_model, n_iter_no_change=10),
    }[name]
    cls = getattr(sklkeras, name)
    with pytest.warns(ConvergenceWarning, match=r"epoch limit \(epochs=2\)"):
        cls(**settings, epochs=2, random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        # A fixed number of epochs asked for: no convergence test, no warning.
        est = cls(**{**settings, "n_iter_no_change": None}, epochs=2, random_state=0)
        est.fit(X, y)
        est.partial_fit(X, y)

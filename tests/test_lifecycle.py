"""Learning-rate schedules and incremental training (partial_fit)."""

import math

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV

from sklkeras import MLPClassifier, MLPRegressor
from sklkeras.callbacks import ReduceOnPlateau, StepDecay, TimeDecay


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 4))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


def fit_rates(schedule, data, epochs=12, lr=0.1):
    X, y = data
    clf = MLPClassifier(
        hidden_layer_sizes=(8,),
        optimizer="sgd",
        learning_rate_init=lr,
        learning_rate_schedule=schedule,
        epochs=epochs,
        n_iter_no_change=None,
        random_state=0,
    ).fit(X, y)
    return np.array(clf.history_["learning_rate"])


def test_time_decay_matches_formula(data):
    rates = fit_rates(TimeDecay(decay=0.1), data)
    expected = [0.1 / (1 + 0.1 * e) for e in range(12)]
    np.testing.assert_allclose(rates, expected, rtol=1e-6)


def test_step_decay_matches_formula(data):
    rates = fit_rates(StepDecay(drop=0.5, epochs_drop=4), data)
    expected = [0.1 * 0.5 ** math.floor((1 + e) / 4) for e in range(12)]
    np.testing.assert_allclose(rates, expected, rtol=1e-6)


def test_callable_schedule(data):
    rates = fit_rates(lambda epoch: 0.05 if epoch < 5 else 0.01, data)
    np.testing.assert_allclose(rates, [0.05] * 5 + [0.01] * 7, rtol=1e-6)


def test_plateau_only_lowers(data):
    rates = fit_rates(ReduceOnPlateau(factor=0.5, patience=0), data, epochs=20)
    assert rates[0] == pytest.approx(0.1) and np.all(np.diff(rates) <= 1e-12)


def test_schedule_settings_are_searchable(data):
    X, y = data
    clf = MLPClassifier(
        hidden_layer_sizes=(4,), epochs=3, learning_rate_schedule=StepDecay()
    )
    assert "learning_rate_schedule__drop" in clf.get_params()
    grid = GridSearchCV(clf, {"learning_rate_schedule__drop": [0.5, 0.9]}, cv=2)
    grid.fit(X, y)
    assert grid.best_params_["learning_rate_schedule__drop"] in (0.5, 0.9)


def test_bad_schedule(data):
    X, y = data
    with pytest.raises(ValueError, match="learning_rate_schedule"):
        MLPClassifier(epochs=1, learning_rate_schedule="fast").fit(X, y)
    with pytest.raises(ValueError, match="drop"):
        MLPClassifier(epochs=1, learning_rate_schedule=StepDecay(drop=2.0)).fit(X, y)


def test_partial_fit_one_epoch_each(data):
    X, y = data
    clf = MLPClassifier(hidden_layer_sizes=(8,), random_state=0, early_stopping=True)
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[:60], y[:60], classes=[0, 1])
    model = clf.model_
    for _ in range(4):
        clf.partial_fit(X[60:], y[60:])
    assert clf.model_ is model and clf.n_iter_ == 5
    assert "val_loss" not in clf.history_  # no validation split in partial_fit
    with pytest.raises(ValueError, match="missing from classes"):
        MLPClassifier().partial_fit(X, y, classes=[0])
    with pytest.raises(ValueError, match="features"):
        clf.partial_fit(X[:, :3], y)


def test_partial_fit_first_batch_missing_a_class(data):
    X, y = data
    clf = MLPClassifier(hidden_layer_sizes=(8,), random_state=0)
    clf.partial_fit(X[y == 0], y[y == 0], classes=[0, 1])
    assert clf.predict_proba(X[:2]).shape == (2, 2)


def test_regressor_partial_fit(data):
    X, _ = data
    target = X @ [1.0, -1.0, 0.5, 0.0]
    reg = MLPRegressor(
        hidden_layer_sizes=(16,), learning_rate_init=0.01, random_state=0
    )
    for _ in range(30):
        reg.partial_fit(X, target)
    assert reg.n_iter_ == 30 and reg.score(X, target) > 0.5

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
    clf = MLPClassifier(hidden_layer_sizes=(8,), random_state=0)
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[:60], y[:60], classes=[0, 1])
    model = clf.model_
    for _ in range(4):
        clf.partial_fit(X[60:], y[60:])
    # n_iter_ is the epochs of the last call, as in scikit-learn; the curve has all
    assert clf.model_ is model and clf.n_iter_ == 1 and len(clf.loss_curve_) == 5
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
    assert len(reg.loss_curve_) == 30 and reg.score(X, target) > 0.5


# ------------------------------------------------------------------ save / load
def _fitted_estimators():
    import keras

    from sklkeras import (
        CNNClassifier,
        KerasClassifier,
        KerasRegressor,
        SequenceClassifier,
    )
    from sklkeras.datasets import load_digits_images

    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 4))
    y = np.where(X[:, 0] > 0, "pos", "neg")
    images, digits = load_digits_images(return_X_y=True)
    tokens = rng.randint(1, 30, size=(60, 8))

    def net(n_features_in_, n_outputs_, units=8):
        inputs = keras.Input((n_features_in_,))
        hidden = keras.layers.Dense(units, activation="relu")(inputs)
        return keras.Model(inputs, keras.layers.Dense(n_outputs_)(hidden))

    def clf_net(n_features_in_, n_classes_):
        inputs = keras.Input((n_features_in_,))
        return keras.Model(
            inputs, keras.layers.Dense(n_classes_, activation="softmax")(inputs)
        )

    common = dict(epochs=2, random_state=0)
    return [
        (MLPClassifier(hidden_layer_sizes=(8,), **common).fit(X, y), X),
        (MLPRegressor(hidden_layer_sizes=(8,), **common).fit(X, X[:, 0]), X),
        (
            CNNClassifier(filters=(4,), dense_units=(8,), **common).fit(
                images[:80], digits[:80]
            ),
            images[:10],
        ),
        (SequenceClassifier(layer="gru", units=(4,), **common).fit(tokens, y), tokens),
        (KerasClassifier(clf_net, **common).fit(X, y), X),
        (KerasRegressor(net, units=4, **common).fit(X, X[:, :2]), X),
    ]


def test_save_load_predicts_identically_for_every_class(tmp_path):
    import warnings

    import sklkeras

    for est, X in _fitted_estimators():
        path = tmp_path / f"{type(est).__name__}.skk"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # model functions aren't saved
            est.save(path)
        loaded = sklkeras.load(path)
        assert type(loaded) is type(est)
        np.testing.assert_array_equal(loaded.predict(X), est.predict(X))
        if hasattr(est, "predict_proba"):
            np.testing.assert_array_equal(loaded.predict_proba(X), est.predict_proba(X))
        assert loaded.history_ == est.history_
        assert not list(tmp_path.glob("*.part"))


def test_save_warns_about_unsaved_objects(tmp_path, data):
    X, y = data
    clf = MLPClassifier(epochs=1, learning_rate_schedule=lambda e: 0.01).fit(X, y)
    with pytest.warns(UserWarning, match="learning_rate_schedule"):
        clf.save(tmp_path / "m.skk")
    # schedule objects are plain settings and are kept
    import sklkeras

    clf = MLPClassifier(epochs=1, learning_rate_schedule=StepDecay(drop=0.3)).fit(X, y)
    clf.save(tmp_path / "s.skk")
    loaded = sklkeras.load(tmp_path / "s.skk")
    assert loaded.learning_rate_schedule.get_params() == {
        "drop": 0.3,
        "epochs_drop": 10,
    }


def test_load_refuses_other_files_and_unsafe_models(tmp_path, data):
    import keras

    import sklkeras
    from sklkeras import KerasClassifier

    bad = tmp_path / "bad.skk"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="not an sklkeras estimator file"):
        sklkeras.load(bad)

    X, y = data

    def with_lambda(n_features_in_, n_classes_):
        inputs = keras.Input((n_features_in_,))
        scaled = keras.layers.Lambda(lambda t: t * 2.0)(inputs)
        return keras.Model(
            inputs, keras.layers.Dense(n_classes_, activation="softmax")(scaled)
        )

    clf = KerasClassifier(with_lambda, epochs=1, random_state=0).fit(X, y)
    path = tmp_path / "lambda.skk"
    with pytest.warns(UserWarning):
        clf.save(path)
    with pytest.raises(ValueError, match="safe_mode=False"):
        sklkeras.load(path)
    trusted = sklkeras.load(path, safe_mode=False)
    np.testing.assert_array_equal(trusted.predict_proba(X), clf.predict_proba(X))


# --------------------------------------------------------------- learning curves
def test_plot_history_headless(tmp_path, data):
    import matplotlib

    matplotlib.use("Agg")
    from sklkeras import plot_history

    X, y = data
    clf = MLPClassifier(
        hidden_layer_sizes=(8,),
        epochs=5,
        early_stopping=True,
        metrics=["accuracy"],
        n_iter_no_change=None,
        random_state=0,
    ).fit(X, y)
    ax = plot_history(clf, ["loss", "accuracy"])
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["loss", "val_loss", "accuracy", "val_accuracy"]
    assert len(ax.get_lines()[0].get_xdata()) == 5
    ax.figure.savefig(tmp_path / "history.png")
    assert (tmp_path / "history.png").stat().st_size > 0
    with pytest.raises(ValueError, match="no \\['auc'\\]"):
        plot_history(clf, "auc")


def test_learning_and_validation_curve_displays(data):
    import matplotlib

    matplotlib.use("Agg")
    from sklearn.model_selection import LearningCurveDisplay, ValidationCurveDisplay

    X, y = data
    clf = MLPClassifier(hidden_layer_sizes=(8,), epochs=5, random_state=0)
    learning = LearningCurveDisplay.from_estimator(
        clf, X, y, train_sizes=[0.5, 1.0], cv=2
    )
    assert learning.test_scores.shape == (2, 2)
    validation = ValidationCurveDisplay.from_estimator(
        clf, X, y, param_name="epochs", param_range=[1, 5], cv=2
    )
    assert validation.test_scores.shape == (2, 2)


def test_verbose_prints_one_line_per_epoch(data, capfd):
    X, y = data
    MLPClassifier(
        hidden_layer_sizes=(4,), epochs=3, verbose=2, n_iter_no_change=None
    ).fit(X, y)
    out = capfd.readouterr().out  # scikit-learn's lines
    assert out.count("Iteration ") == 3 and "loss = " in out
    MLPClassifier(hidden_layer_sizes=(4,), epochs=3, verbose=0).fit(X, y)
    assert "Iteration" not in capfd.readouterr().out


# ------------------------------------------------------------ checkpoint, resume
def test_kill_and_resume_loses_no_epoch(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    script = os.path.join(os.path.dirname(__file__), "resume_job.py")
    ckpt = str(tmp_path / "ckpt")
    proc = subprocess.Popen(
        [sys.executable, script, ckpt], stdout=subprocess.PIPE, text=True
    )
    last_done = 0
    for line in proc.stdout:
        if line.startswith("done"):
            last_done = int(line.split()[1])
            if last_done >= 15:
                break
    os.kill(proc.pid, signal.SIGKILL)  # no chance to clean up
    proc.wait()
    assert 15 <= last_done < 60
    from sklkeras._persistence._estimator_files import read_progress

    (saved,) = [p for p in os.listdir(ckpt) if p.endswith(".skk")]
    progress = read_progress(os.path.join(ckpt, saved))  # readable after the kill
    assert progress["epochs_done"] >= last_done

    again = subprocess.run(
        [sys.executable, script, ckpt], capture_output=True, text=True, timeout=600
    )
    assert again.returncode == 0, again.stderr[-2000:]
    done = [
        int(line.split()[1])
        for line in again.stdout.splitlines()
        if line.startswith("done")
    ]
    resumed_from = done[0] - 1
    assert resumed_from >= last_done  # every epoch reported complete was kept
    assert done[-1] == 60 and done == list(range(resumed_from + 1, 61))
    assert "final 60 60" in again.stdout  # same epoch count as an uninterrupted run


def test_checkpoints_are_per_training_data(tmp_path, data):
    """Folds of a cross-validation never resume from each other's checkpoints."""
    from sklearn.model_selection import cross_validate

    X, y = data
    clf = MLPClassifier(
        hidden_layer_sizes=(8,), epochs=3, checkpoint_dir=tmp_path, random_state=0
    )
    result = cross_validate(clf, X, y, cv=3, return_estimator=True)
    assert len(list(tmp_path.glob("*.skk"))) == 3
    first, *others = [est.model_.get_weights()[0] for est in result["estimator"]]
    assert all(not np.allclose(first, w) for w in others)
    assert all(est.n_iter_ == 3 for est in result["estimator"])
    # Other targets on the same X: a new checkpoint, not the old model.
    clf.fit(X, 1 - y)
    assert len(list(tmp_path.glob("*.skk"))) == 4


def test_best_only_checkpoint_holds_the_best_epoch(tmp_path, data):
    import sklkeras
    from sklkeras._persistence._estimator_files import read_progress

    X, y = data
    clf = MLPClassifier(
        hidden_layer_sizes=(8,),
        epochs=8,
        learning_rate_init=0.05,
        n_iter_no_change=None,
        checkpoint_dir=tmp_path,
        checkpoint_best_only=True,
        random_state=0,
    ).fit(X, y)
    (path,) = list(tmp_path.glob("*.skk"))
    progress = read_progress(path)
    best_epoch = int(np.argmin(clf.history_["loss"])) + 1
    assert progress["epochs_done"] == best_epoch
    best = sklkeras.load(path)
    assert best.predict_proba(X).shape == (len(X), 2)
    assert best.n_iter_ == best_epoch and len(best.loss_curve_) == best_epoch
    assert best.best_loss_ == pytest.approx(min(clf.history_["loss"]), rel=1e-6)
    # Same configuration again: nothing left to train, the run is resumed.
    again = MLPClassifier(**clf.get_params()).fit(X, y)
    assert again.n_iter_ == 8
    assert again.history_["loss"][:best_epoch] == clf.history_["loss"][:best_epoch]


def test_changed_configuration_starts_over(tmp_path, data):
    X, y = data
    params = dict(
        hidden_layer_sizes=(8,),
        epochs=3,
        n_iter_no_change=None,
        checkpoint_dir=tmp_path,
    )
    MLPClassifier(**params).fit(X, y)
    MLPClassifier(**{**params, "hidden_layer_sizes": (4,)}).fit(X, y)
    assert len(list(tmp_path.glob("*.skk"))) == 2


def test_json_plus_weights_export(tmp_path, data):
    import sklkeras

    X, y = data
    clf = MLPClassifier(hidden_layer_sizes=(8,), epochs=2, random_state=0).fit(X, y)
    sklkeras.export_json_weights(clf, tmp_path / "arch.json", tmp_path / "m.weights.h5")
    model = sklkeras.import_json_weights(
        tmp_path / "arch.json", tmp_path / "m.weights.h5"
    )
    np.testing.assert_allclose(
        np.asarray(model(X.astype("float32"))), clf.predict_proba(X)[:, 1:], rtol=1e-6
    )
    with pytest.raises(ValueError, match="weights.h5"):
        sklkeras.export_json_weights(clf, tmp_path / "a.json", tmp_path / "w.h5")

"""scikit-learn's callbacks (``sklearn.callback``, 1.9) on sklkeras fits, and the
validation data ``fit`` takes (``X_val``, ``y_val``, ``sample_weight_val``)."""

import pickle
import re
import warnings

import keras
import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklkeras import KerasClassifier, MLPClassifier
from sklkeras import model_selection as skk_model_selection

callback = pytest.importorskip("sklearn.callback")
ScoringMonitor = callback.ScoringMonitor
ProgressBar = callback.ProgressBar


class StopAt:
    """Stops the fit at the end of epoch ``epoch`` (counted from 1)."""

    def __init__(self, epoch):
        self.epoch = epoch
        self.seen = []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, **kwargs):
        pass

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None, **kw):
        if context.task_name != "epoch":
            return False
        self.seen.append(fitted_estimator.n_iter_)
        return context.task_id + 1 == self.epoch


def _data(n=40, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, 3).astype("float32")
    return X, (X[:, 0] + 0.3 * X[:, 1] > 0).astype(int)


def _mlp(**kwargs):
    return MLPClassifier((4,), max_iter=3, random_state=0, **kwargs)


def _epoch_rows(monitor):
    rows = [r for r in monitor.get_logs().data if r["task_name"] == "epoch"]
    per_fit = {}
    for row in rows:
        per_fit.setdefault(row["parent_task_id_path"], []).append(row["task_id"])
    return rows, per_fit


@pytest.mark.parametrize("search_module", ["sklearn", "sklkeras"])
def test_scoring_monitor_in_pipeline_in_search_logs_every_epoch(search_module):
    X, y = _data()
    monitor = ScoringMonitor(scoring="accuracy")
    pipe = Pipeline([("scale", StandardScaler()), ("mlp", _mlp())])
    pipe.named_steps["mlp"].set_callbacks(monitor)
    search_cls = (
        GridSearchCV if search_module == "sklearn" else skk_model_selection.GridSearchCV
    )
    search = search_cls(pipe, {"mlp__alpha": [1e-4, 1e-2]}, cv=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)
    rows, per_fit = _epoch_rows(monitor)
    # 2 candidates x 2 folds + the refit, 3 epochs each, one row per epoch
    assert len(per_fit) == 5
    assert all(ids == [0, 1, 2] for ids in per_fit.values())
    assert all(0.0 <= r["accuracy"] <= 1.0 for r in rows)
    # the epochs hang under the search's tree (one run), under the MLP's fit
    assert {r["estimator_name"] for r in rows} == {"MLPClassifier"}
    assert monitor.get_logs().estimator_name == search_cls.__name__


def test_scoring_monitor_scores_the_epoch_weights():
    X, y = _data()
    monitor = ScoringMonitor(scoring="neg_log_loss")
    est = _mlp(learning_rate_init=0.05).set_callbacks(monitor)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, y)
    rows, per_fit = _epoch_rows(monitor)
    assert list(per_fit.values()) == [[0, 1, 2]]
    # the last epoch's score is the fitted estimator's
    final = sklearn.metrics.get_scorer("neg_log_loss")(est, X, y)
    assert rows[-1]["neg_log_loss"] == pytest.approx(final, rel=1e-5)
    assert len({r["neg_log_loss"] for r in rows}) == 3  # the weights moved


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_callback_stops_at_the_epoch_it_names(solver):
    X, y = _data()
    stop = StopAt(2)
    est = MLPClassifier((4,), max_iter=8, solver=solver, random_state=0)
    est.set_callbacks(stop)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)  # a rule stopped it
        est.fit(X, y)
    assert est.n_iter_ == 2
    assert stop.seen == [1, 2]
    if solver == "adam":
        assert len(est.loss_curve_) == 2


def test_callback_stops_a_wrapper_fit():
    X, y = _data()

    def build():
        return keras.Sequential(
            [keras.Input((3,)), keras.layers.Dense(2, activation="softmax")]
        )

    est = KerasClassifier(
        build, loss="sparse_categorical_crossentropy", epochs=6, random_state=0
    )
    est.set_callbacks(StopAt(3))
    est.fit(X, y)
    assert est.n_iter_ == 3 and len(est.history_["loss"]) == 3


def test_progressbar_shows_epochs_under_candidates(capsys):
    pytest.importorskip("rich")
    X, y = _data()
    pipe = Pipeline([("scale", StandardScaler()), ("mlp", _mlp())])
    search = GridSearchCV(pipe, {"mlp__alpha": [1e-4, 1e-2]}, cv=2)
    search.set_callbacks(ProgressBar(max_propagation_depth=None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)
    out = capsys.readouterr().out
    print(out)  # shown with -s: the report's capture
    assert re.search(r"GridSearchCV - fit", out)
    assert re.search(r"Pipeline - fit-final-estimator \| MLPClassifier - fit", out)
    assert re.search(r"100%", out)
    assert not re.search(r"\b[0-9]{1,2}%", out)


def test_callbacks_survive_clone_and_pickle():
    X, y = _data()
    monitor = ScoringMonitor(scoring="accuracy")
    est = _mlp().set_callbacks(monitor)
    assert clone(est)._skl_callbacks[0] is monitor
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, y)
    restored = pickle.loads(pickle.dumps(est))
    assert isinstance(restored._skl_callbacks[0], ScoringMonitor)
    np.testing.assert_allclose(restored.predict_proba(X), est.predict_proba(X))
    assert not hasattr(restored, "_callback_fit_ctx")
    assert "_fit_data" not in restored.__dict__
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clone(restored).fit(X, y)  # the restored callback still records


def _separable(n, seed):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, 2).astype("float32")
    return X, (X[:, 0] > 0).astype(int)


def _early(**kwargs):
    return MLPClassifier(
        (8,),
        max_iter=15,
        early_stopping=True,
        n_iter_no_change=2,
        learning_rate_init=0.05,
        random_state=0,
        **kwargs,
    )


def _stop_epoch(est):
    """scikit-learn's rule: n_iter_no_change + 1 epochs without improvement."""
    return int(np.argmax(est.validation_scores_)) + 1 + est.n_iter_no_change + 1


def test_x_val_is_what_early_stopping_monitors():
    X, y = _separable(80, 0)
    X_val, y_val = _separable(30, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        same = _early().fit(X, y, X_val=X_val, y_val=y_val)
        flipped = _early().fit(X, y, X_val=X_val, y_val=1 - y_val)
    # restored best weights: the best validation score is the score on X_val
    assert same.best_validation_score_ == pytest.approx(same.score(X_val, y_val))
    assert flipped.best_validation_score_ == pytest.approx(
        flipped.score(X_val, 1 - y_val)
    )
    assert len(same.validation_scores_) == same.n_iter_
    # the fit stops n_iter_no_change + 1 epochs after the best score on X_val:
    # validation labels that training makes worse stop it early
    assert same.n_iter_ == _stop_epoch(same)
    assert flipped.n_iter_ == _stop_epoch(flipped) == 4 < same.n_iter_


def test_x_val_routed_through_cross_validate():
    X, y = _separable(80, 0)
    X_val, y_val = _separable(30, 1)
    with sklearn.config_context(enable_metadata_routing=True):
        est = _early().set_fit_request(X_val=True, y_val=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            out = cross_validate(
                est,
                X,
                y,
                cv=2,
                params={"X_val": X_val, "y_val": 1 - y_val},
                return_estimator=True,
            )
    for fitted in out["estimator"]:
        assert fitted.n_iter_ == _stop_epoch(fitted) == 4
        assert fitted.best_validation_score_ == pytest.approx(
            fitted.score(X_val, 1 - y_val)
        )


def test_x_val_in_pipeline_with_transform_input():
    X, y = _separable(80, 0)
    X_val, y_val = _separable(30, 1)
    with sklearn.config_context(enable_metadata_routing=True):
        mlp = _early().set_fit_request(X_val=True, y_val=True)
        pipe = Pipeline(
            [("scale", StandardScaler()), ("mlp", mlp)], transform_input=["X_val"]
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            pipe.fit(X * 10 + 3, y, X_val=X_val * 10 + 3, y_val=y_val)
    scaled = pipe[0].transform(X_val * 10 + 3)
    assert pipe[-1].best_validation_score_ == pytest.approx(
        pipe[-1].score(scaled, y_val)
    )


def test_x_val_refusals():
    X, y = _separable(40, 0)
    with pytest.raises(ValueError, match="y_val was not provided"):
        _early().fit(X, y, X_val=X)
    with pytest.raises(ValueError, match="X_val was not provided"):
        _early().fit(X, y, y_val=y)
    with pytest.raises(ValueError, match="early_stopping is False"):
        _mlp().fit(X, y, X_val=X, y_val=y)
    with pytest.raises(ValueError, match="validation_fraction=0.2"):
        _early(validation_fraction=0.2).fit(X, y, X_val=X, y_val=y)

    def build():
        return keras.Sequential(
            [keras.Input((2,)), keras.layers.Dense(2, activation="softmax")]
        )

    wrapper = KerasClassifier(build, loss="sparse_categorical_crossentropy", epochs=1)
    with pytest.raises(ValueError, match="validation_split=0.2"):
        wrapper.fit(X, y, X_val=X, y_val=y, validation_split=0.2)
    with pytest.raises(ValueError, match="validation_split=0.3"):
        clone(wrapper).set_params(validation_split=0.3).fit(X, y, X_val=X, y_val=y)


def test_wrapper_monitors_x_val_without_early_stopping():
    X, y = _separable(40, 0)
    X_val, y_val = _separable(10, 1)

    def build():
        return keras.Sequential(
            [keras.Input((2,)), keras.layers.Dense(2, activation="softmax")]
        )

    est = KerasClassifier(
        build, loss="sparse_categorical_crossentropy", epochs=2, random_state=0
    )
    est.fit(X, y, X_val=X_val, y_val=y_val, sample_weight_val=np.ones(10))
    assert len(est.history_["val_loss"]) == 2
    final = est.model_.evaluate(X_val, y_val, verbose=0)
    final = final[0] if isinstance(final, list) else final
    assert est.history_["val_loss"][-1] == pytest.approx(final, rel=1e-4)
    # fit__ parameters still reach Keras's fit as before
    est.set_params(fit__shuffle=False).fit(X, y)
    assert "val_loss" not in est.history_

"""sklkeras.model_selection: scikit-learn's results, with fused training on JAX.

The fused path needs the JAX backend, fixed when Keras is imported, so those fits
run in a subprocess with KERAS_BACKEND=jax (``fused_job.py``); on this process's
backend (TensorFlow) dense networks are fused with stacked weights (``_fused_tf.py``).
"""

import importlib.util

import numpy as np
import pytest
from sklearn import model_selection as skms
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklkeras import MLPClassifier, MLPRegressor
from sklkeras import model_selection as ms
from sklkeras._engine import FUSING
from sklkeras.model_selection._prefit import fusable

needs_jax = pytest.mark.skipif(
    importlib.util.find_spec("jax") is None, reason="needs jax"
)
# jax_result runs beside the suite from its start (conftest.py).
JOBS = (
    {"jax_result": ("model_selection/fused_job.py", "jax")}
    if importlib.util.find_spec("jax")
    else {}
)


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(90, 4)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    return X, y


def test_other_estimators_get_scikit_learns_results(data):
    X, y = data
    est = LogisticRegression()
    assert not fusable(est, None)
    ours = ms.cross_validate(est, X, y, cv=3, return_train_score=True)
    theirs = skms.cross_validate(est, X, y, cv=3, return_train_score=True)
    assert sorted(ours) == sorted(theirs)
    np.testing.assert_array_equal(ours["test_score"], theirs["test_score"])
    search = ms.GridSearchCV(est, {"C": [0.1, 1.0]}, cv=3).fit(X, y)
    ref = skms.GridSearchCV(est, {"C": [0.1, 1.0]}, cv=3).fit(X, y)
    assert search.best_params_ == ref.best_params_
    np.testing.assert_array_equal(
        search.cv_results_["mean_test_score"], ref.cv_results_["mean_test_score"]
    )


@pytest.fixture
def tf_groups(monkeypatch):
    """Sizes of the groups the TensorFlow fused trainer receives."""
    sizes = []
    trainer = FUSING["tensorflow"]
    original = trainer.train

    def recording(requests, key=None):
        sizes.append(len(requests))
        return original(requests, key)

    monkeypatch.setattr(trainer, "train", recording)
    return sizes


def _gap(a, b):
    weights = [np.max(np.abs(u - v)) for u, v in zip(a.coefs_, b.coefs_, strict=True)]
    curve = np.max(np.abs(np.subtract(a.loss_curve_, b.loss_curve_)))
    return float(max(weights + [curve]))


def test_tensorflow_fuses_dense_networks(data, tf_groups):
    # Stacked weights: every fold equals its standalone fit (float rounding),
    # with sample weights and the stopping rule; scores as scikit-learn's.
    X, y = data
    sw = np.random.RandomState(1).uniform(0.5, 2.0, len(y))
    est = MLPClassifier(
        (6, 4), epochs=30, batch_size=8, random_state=0, n_iter_no_change=2, tol=1e-2
    )
    cv = skms.StratifiedKFold(3, shuffle=True, random_state=0)
    splits = list(cv.split(X, y))
    fused = ms.cross_validate(
        est, X, y, cv=cv, params={"sample_weight": sw}, return_estimator=True
    )
    assert tf_groups == [3]
    for model, (train, test) in zip(fused["estimator"], splits, strict=True):
        alone = clone(est).fit(X[train], y[train], sample_weight=sw[train])
        assert _gap(model, alone) < 1e-5
        assert model.n_iter_ == alone.n_iter_
        assert sorted(model.history_) == sorted(alone.history_)
        assert model.score(X[test], y[test]) == alone.score(X[test], y[test])
    pred = ms.cross_val_predict(est, X, y, cv=3, method="predict_proba")
    assert pred.shape == (len(y), 2)


def test_tensorflow_grid_over_learning_rates_is_one_group(data, tf_groups):
    # Each stacked network has its own learning rate (and L2 penalty): the whole
    # grid, 4 candidates x 2 folds, trains as one group.
    X, y = data
    est = make_pipeline(StandardScaler(), MLPClassifier((4,), epochs=3, random_state=0))
    grid = {
        "mlpclassifier__learning_rate_init": [1e-3, 1e-2],
        "mlpclassifier__alpha": [1e-4, 1.0],
    }
    search = ms.GridSearchCV(est, grid, cv=2).fit(X, y)
    ref = skms.GridSearchCV(est, grid, cv=2).fit(X, y)
    assert tf_groups == [8]
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], ref.cv_results_["mean_test_score"]
    )


def test_tensorflow_rates_per_network_give_each_fit_its_own_loss(data, tf_groups):
    # A continuous score: each fold of each rate, SGD with momentum and Adam,
    # equals the sequential fit within float rounding.
    X, _ = data
    y = X @ np.array([1.0, -2.0, 0.5, 0.0], np.float32)
    for solver in ("sgd", "adam"):
        tf_groups.clear()
        est = MLPRegressor((4,), solver=solver, epochs=4, random_state=0)
        grid = {"learning_rate_init": [1e-3, 3e-2, 0.1]}
        kwargs = {"cv": 2, "scoring": "neg_mean_squared_error"}
        search = ms.GridSearchCV(est, grid, **kwargs).fit(X, y)
        ref = skms.GridSearchCV(est, grid, **kwargs).fit(X, y)
        assert tf_groups == [6]
        for split in ("split0_test_score", "split1_test_score"):
            np.testing.assert_allclose(
                search.cv_results_[split], ref.cv_results_[split], rtol=1e-5
            )
        assert len(set(search.cv_results_["split0_test_score"])) == 3


def test_tensorflow_networks_it_cannot_stack_train_alone(data, tf_groups):
    X, y = data
    est = MLPClassifier((4,), epochs=2, dropout=0.2, random_state=0)
    scores = ms.cross_val_score(est, X, y, cv=3)
    assert tf_groups == []
    np.testing.assert_allclose(scores, skms.cross_val_score(est, X, y, cv=3))


def test_fit_params_other_than_sample_weight_are_not_fused():
    est = make_pipeline(StandardScaler(), MLPClassifier())
    assert not fusable(est, {"standardscaler__sample_weight": None})


# ---------------------------------------------------------------- JAX backend
@pytest.fixture(scope="module")
def jax_result(run_job):
    return run_job("model_selection/fused_job.py", "jax", timeout=900)


@needs_jax
def test_runs_on_jax(jax_result):
    assert jax_result["backend"] == "jax"


@needs_jax
@pytest.mark.parametrize("case", ["plain", "weighted", "stopping", "early"])
def test_fused_fits_equal_standalone_fits(jax_result, case):
    # All five folds trained as one group, each equal to its standalone fit with
    # the same seed: weights, loss curve, n_iter_, history keys, scores.
    assert jax_result[f"{case}_groups"][0] == 5
    assert jax_result[f"{case}_gap"] < 1e-5
    for fused, alone in jax_result[f"{case}_n_iter"]:
        assert fused == alone
    assert all(jax_result[f"{case}_history_keys"])
    fused_scores, alone_scores = jax_result[f"{case}_scores"]
    np.testing.assert_allclose(fused_scores, alone_scores)


@needs_jax
def test_stopped_networks_stop_at_their_own_epochs(jax_result):
    iters = [fused for fused, _ in jax_result["stopping_n_iter"]]
    assert max(iters) < 60 and len(set(iters)) > 1
    assert jax_result["early_val_gap"] < 1e-5


@needs_jax
def test_pipelines_and_predictions_match_scikit_learn(jax_result):
    ours, theirs = jax_result["pipeline_scores"]
    np.testing.assert_allclose(ours, theirs, atol=1e-6)
    assert jax_result["predict_equal"]


@needs_jax
def test_grid_search_trains_one_group_and_ranks_as_scikit_learn(jax_result):
    # 8 candidates (learning rate x alpha x epochs) x 3 folds in one program.
    assert jax_result["grid_groups"] == [24]
    assert jax_result["grid_score_gap"] < 0.02
    assert jax_result["grid_best"][0]
    assert jax_result["grid_keys"] and jax_result["grid_refit"]


@needs_jax
def test_failed_fits_score_as_in_scikit_learn(jax_result):
    # Candidate 1 is invalid, candidate 2 diverges: NaN as scikit-learn's, with
    # its FitFailedWarning; the fits beside them are unaffected.
    failures = jax_result["failures"]
    ours, theirs = failures[:5], failures[5:]
    assert ours == theirs
    assert all(split[1] for split in ours) and not any(split[0] for split in ours)
    assert any(split[2] for split in ours)
    assert jax_result["failure_warned"]


@needs_jax
def test_randomized_search_draws_scikit_learns_candidates(jax_result):
    assert jax_result["randomized_same_params"]


@needs_jax
def test_cnn_folds_are_fused(jax_result):
    assert jax_result["cnn_groups"] == [3]
    assert jax_result["cnn_gap"] < 1e-5


@needs_jax
def test_book_pima_model_ten_fold_mean_matches(jax_result):
    fused, sequential = jax_result["pima"]
    assert abs(fused - sequential) < 0.01


@needs_jax
def test_workers_and_dask_give_the_same_scores(jax_result):
    np.testing.assert_allclose(
        jax_result["n_jobs_scores"], jax_result["plain_scores"][0]
    )
    np.testing.assert_allclose(jax_result["dask_scores"], jax_result["plain_scores"][0])

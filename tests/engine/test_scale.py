"""Many fits at once: grid searches on a Dask cluster, successive halving on epochs."""

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import GridSearchCV, HalvingRandomSearchCV
from sklearn.preprocessing import StandardScaler

from sklkeras import CNNClassifier, MLPClassifier
from sklkeras.datasets import load_digits_images


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def _search(estimator, grid, X, y, n_jobs):
    return GridSearchCV(estimator, grid, cv=3, n_jobs=n_jobs).fit(X, y)


def test_grid_search_on_local_dask_cluster_matches_n_jobs_1(dask_client, iris):
    import joblib

    X, y = iris
    estimator = MLPClassifier(epochs=5, learning_rate_init=0.02, random_state=0)
    grid = {"hidden_layer_sizes": [(4,), (16,)], "alpha": [1e-4, 1.0]}
    local = _search(estimator, grid, X, y, n_jobs=1)
    with joblib.parallel_backend("dask"):
        remote = _search(estimator, grid, X, y, n_jobs=-1)
    assert remote.best_params_ == local.best_params_
    np.testing.assert_allclose(
        remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )
    # The fits ran in the worker processes, not here.
    workers = dask_client.scheduler_info()["workers"]
    assert len(workers) == 2


def test_cnn_grid_on_dask(dask_client):
    import joblib

    X, y = load_digits_images(return_X_y=True)
    X, y = X[:150], y[:150]
    estimator = CNNClassifier(filters=(4,), dense_units=(8,), epochs=2, random_state=0)
    grid = {"dropout": [0.0, 0.5]}
    local = _search(estimator, grid, X, y, n_jobs=1)
    with joblib.parallel_backend("dask"):
        remote = _search(estimator, grid, X, y, n_jobs=-1)
    np.testing.assert_allclose(
        remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )


def test_successive_halving_on_epochs(iris):
    X, y = iris
    search = HalvingRandomSearchCV(
        MLPClassifier(learning_rate_init=0.02, n_iter_no_change=None, random_state=0),
        {"hidden_layer_sizes": [(4,), (8,), (16,), (32,)], "alpha": [1e-4, 1e-2, 1.0]},
        resource="epochs",
        min_resources=4,
        max_resources=16,
        factor=2,
        n_candidates=4,
        cv=3,
        random_state=0,
    ).fit(X, y)
    assert list(search.n_resources_) == [4, 8, 16]
    assert search.best_estimator_.n_iter_ == 16
    assert search.best_score_ > 0.7


# tf.distribute strategies are TensorFlow's: run on that backend whatever ours is.
# mirrored runs beside the suite from its start (conftest.py).
JOBS = {"mirrored": ("engine/mirrored_job.py", "tensorflow")}


@pytest.fixture(scope="module")
def mirrored(run_job):
    return run_job("engine/mirrored_job.py", "tensorflow")


def test_mirrored_strategy_two_replicas(mirrored):
    result = mirrored
    assert result["replicas"] == 2
    assert result["variable_type"] == "MirroredVariable"
    assert len(result["devices"]) == 2  # one copy of each weight per replica
    assert abs(result["mirrored_score"] - result["single_score"]) < 0.07
    assert result["mirrored_score"] > 0.85


def test_distribution_needs_tensorflow_backend(iris, monkeypatch):
    import keras

    X, y = iris
    monkeypatch.setattr(keras.backend, "backend", lambda: "jax")

    class Strategy:
        def scope(self):
            raise AssertionError("not entered")

    with pytest.raises(ValueError, match="TensorFlow backend"):
        MLPClassifier(epochs=1, distribution=Strategy()).fit(X, y)

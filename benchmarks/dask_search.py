"""Fits per minute of a grid search on a Dask LocalCluster with 1 and 2 workers.

    python benchmarks/dask_search.py            # needs pip install ".[dask]"

The same 24 fits (8 candidates x 3 folds, Pima, MLPClassifier) run with
n_jobs=1 in this process, then through joblib's Dask backend on a LocalCluster of
1 and of 2 worker processes (one thread each). Worker start-up is not timed: a
cluster is meant to be reused by many searches.
"""

import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import joblib  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from sklkeras import MLPClassifier  # noqa: E402
from sklkeras.datasets import load_pima_diabetes  # noqa: E402

GRID = {
    "mlpclassifier__hidden_layer_sizes": [(12, 8), (32,)],
    "mlpclassifier__alpha": [1e-4, 1.0],
    "mlpclassifier__batch_size": [32, 64],
}


def search(n_jobs):
    pipe = make_pipeline(StandardScaler(), MLPClassifier(epochs=50, random_state=0))
    return GridSearchCV(pipe, GRID, cv=3, n_jobs=n_jobs)


def main():
    X, y = load_pima_diabetes(return_X_y=True)
    n_fits = 3 * 8
    start = time.perf_counter()
    search(1).fit(X, y)
    rows = [("n_jobs=1 (this process)", time.perf_counter() - start)]
    for workers in (1, 2):
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            ) as cluster,
            Client(cluster),
        ):
            with joblib.parallel_backend("dask"):
                search(-1).fit(X[:50], y[:50])  # warm the workers (imports)
                start = time.perf_counter()
                search(-1).fit(X, y)
                rows.append((f"Dask, {workers} worker(s)", time.perf_counter() - start))
    for name, seconds in rows:
        print(f"{name:<26} {seconds:6.1f} s   {60 * n_fits / seconds:6.1f} fits/min")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Memory growth per fit: RSS after many small fits in one process.

A long search in one worker process (GridSearchCV, a Dask worker) fits hundreds
of networks; the process's resident memory must not grow with the count. This
script fits a small MLPClassifier (and predicts) ``--fits`` times, records RSS
after each fit, and prints the growth per fit after ``--warmup`` fits (a
least-squares slope, in MB per fit), next to plain Keras ``Model.fit`` on the same
data for comparison (``--estimator keras``).

    python benchmarks/memory.py --fits 150
    python benchmarks/memory.py --fits 150 --estimator cnn

Results are on the performance page of the docs (MLP 0.34 MB per fit).
"""

from __future__ import annotations

import argparse
import gc
import os
import time
import warnings

import numpy as np


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def make_fit(kind: str):
    rng = np.random.RandomState(0)
    if kind == "keras":
        import keras

        X = rng.normal(size=(200, 8)).astype("float32")
        y = (X[:, 0] > 0).astype("float32")

        def fit():
            model = keras.Sequential(
                [
                    keras.Input((8,)),
                    keras.layers.Dense(12, activation="relu"),
                    keras.layers.Dense(1, activation="sigmoid"),
                ]
            )
            model.compile("adam", "binary_crossentropy")
            model.fit(X, y, epochs=3, batch_size=20, verbose=0)
            model.predict(X[:10], verbose=0)

        return fit
    from sklkeras import CNNClassifier, MLPClassifier

    if kind == "cnn":
        X = rng.uniform(size=(100, 8, 8, 1))
        y = np.arange(100) % 3

        def fit():
            est = CNNClassifier(filters=(4,), dense_units=(8,), epochs=3)
            est.fit(X, y).predict_proba(X[:10])

        return fit
    X = rng.normal(size=(200, 8))
    y = (X[:, 0] > 0).astype(int)

    def fit():
        est = MLPClassifier(hidden_layer_sizes=(12,), epochs=3, batch_size=20)
        est.fit(X, y).predict_proba(X[:10])

    return fit


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fits", type=int, default=150)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--estimator", choices=["mlp", "cnn", "keras"], default="mlp")
    args = parser.parse_args(argv)
    # Three epochs do not converge; the benchmark measures memory, not the fit.
    warnings.simplefilter("ignore")
    fit = make_fit(args.estimator)
    rss = []
    start = time.perf_counter()
    for i in range(args.fits):
        fit()
        gc.collect()
        rss.append(rss_mb())
        if (i + 1) % 25 == 0:
            print(f"fit {i + 1}: RSS {rss[-1]:.1f} MB", flush=True)
    after = np.array(rss[args.warmup :])
    slope = np.polyfit(np.arange(len(after)), after, 1)[0]
    print(
        f"{args.estimator}: {args.fits} fits in {time.perf_counter() - start:.0f} s; "
        f"RSS {rss[0]:.1f} MB after the first, {rss[args.warmup - 1]:.1f} MB after "
        f"warm-up ({args.warmup}), {rss[-1]:.1f} MB at the end; growth after "
        f"warm-up {slope:.3f} MB per fit"
    )
    return slope


if __name__ == "__main__":
    main()

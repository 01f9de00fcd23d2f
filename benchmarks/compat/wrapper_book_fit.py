"""KerasClassifier on the Pima book fit, and Keras-style iris, before/after issue 14.

Times one fit of the book's network (768 x 8, Dense 12-8-1, adam, 150 epochs,
batch 10) through ``sklkeras.KerasClassifier`` (median of ``--repeat``), and scores
iris with a Keras-style ``epochs=30`` and the wrapper's default batch size. Run it
with the sklkeras to measure first on the path:

    PYTHONPATH=. python benchmarks/compat/wrapper_book_fit.py
    PYTHONPATH=/path/to/older/checkout python benchmarks/compat/wrapper_book_fit.py

The same code runs on both APIs: the older wrapper passes the metadata by name and
stops on a stalled loss unless ``n_iter_no_change=None``; both are given here.
"""

from __future__ import annotations

import argparse
import inspect
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

import sklkeras  # noqa: E402
from sklkeras import KerasClassifier  # noqa: E402
from sklkeras.datasets import load_pima_diabetes  # noqa: E402


def book(n_features_in_):
    return keras.Sequential(
        [
            keras.Input((n_features_in_,)),
            keras.layers.Dense(12, activation="relu"),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


def iris_model(n_features_in_, n_classes_):
    return keras.Sequential(
        [
            keras.Input((n_features_in_,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(n_classes_, activation="softmax"),
        ]
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    X, y = load_pima_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    times = []
    for seed in range(args.repeat):
        clf = KerasClassifier(
            book,
            optimizer="adam",
            epochs=150,
            batch_size=10,
            n_iter_no_change=None,
            random_state=seed,
        )
        start = time.perf_counter()
        clf.fit(X, y)
        times.append(time.perf_counter() - start)
    print(f"sklkeras from {os.path.dirname(inspect.getfile(sklkeras))}")
    print(f"Pima book fit: median {statistics.median(times):.2f} s of {times}")
    Xi, yi = load_iris(return_X_y=True)
    Xi = StandardScaler().fit_transform(Xi)
    scores = []
    for seed in range(5):
        clf = KerasClassifier(
            iris_model,
            optimizer="adam",
            epochs=30,
            n_iter_no_change=None,
            random_state=seed,
        )
        scores.append(clf.fit(Xi, yi).score(Xi, yi))
    print(
        f"iris, epochs=30, default batch_size: mean training accuracy "
        f"{np.mean(scores):.3f} over 5 seeds"
    )


if __name__ == "__main__":
    main()

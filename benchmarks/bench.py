"""Performance benchmark: sklkeras against raw Keras, scikeras and scikit-learn.

Every peer trains the same network on the same data in one run; each timing is the
median of ``--repeat`` runs, and the table prints sklkeras's time divided by each
peer's (below 1.0: sklkeras is faster).

Workloads
---------
W1  Pima book setup: 768 x 8, Dense 12-8-1, 150 epochs, batch 10: one fit, and a
    10-fold cross-validation (accuracy and time).
W2  predict / predict_proba latency for 1 and 100 rows on a fitted W1 model.
W3  image training throughput (samples/s) and peak memory (max RSS), each in a
    fresh process: the digits CNN (1,797 x 8 x 8, 20 epochs) and the book's simple
    CNN on a synthetic 60,000 x 28 x 28 uint8 MNIST-shaped array (1 epoch), through
    CNNClassifier and through the same network in raw Keras.
W4  cross_val_score(n_jobs=2) against n_jobs=1 on W1 (speed-up).
W5  one-row latency of the bank pipeline exported to ONNX, through onnxruntime,
    against the same pipeline with scikit-learn's MLP (``serving.py``).
W6-W8 fused cross-validation and search through ``sklkeras.model_selection``
    (``fused.py``): the Pima book pipeline's 10-fold CV against scikit-learn's MLP,
    a 12-candidate x 5-fold grid search against scikit-learn's GridSearchCV over
    the same estimator (150 epochs, W7, and 30 epochs, W7s), and the digits CNN's
    5-fold CV against sequential folds.
    Run them on both backends: ``KERAS_BACKEND=jax python benchmarks/bench.py
    --only W1 W6 W7 W8 --cv-peers``.
W9-W10 prediction of an MLP (64, 32) on 20 features (``prediction.py``): 200,000
    rows, and one row, against Keras predict, a direct model call, scikit-learn's
    MLP and onnxruntime; each row's ratio is over the best peer of the same run.

    python benchmarks/bench.py                 # everything, writes bench.json
    python benchmarks/bench.py --quick         # 15 epochs, 1 repeat: a smoke run
    python benchmarks/bench.py --only W1 W2 --json out.json
    python benchmarks/bench.py --only W5          # needs pip install ".[onnx]"
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_score  # noqa: E402
from sklearn.neural_network import MLPClassifier as SkMLP  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from sklkeras import MLPClassifier  # noqa: E402
from sklkeras.datasets import load_pima_diabetes  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fused  # noqa: E402
import prediction  # noqa: E402
from serving import w5, w5_summary  # noqa: E402


def median_time(fn, repeat):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def book_keras_model():
    model = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(12, activation="relu"),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def peers(epochs):
    """name -> factory of an unfitted estimator (or raw-Keras stand-in)."""
    from scikeras.wrappers import KerasClassifier as ScikerasClassifier

    from sklkeras._utils._compat import undo_scikeras_monkeypatch

    undo_scikeras_monkeypatch()  # importing scikeras.wrappers re-applies it

    return {
        "sklkeras": lambda: MLPClassifier(
            hidden_layer_sizes=(12, 8),
            epochs=epochs,
            batch_size=10,
            alpha=0.0,
            n_iter_no_change=None,
            random_state=0,
        ),
        "scikeras": lambda: ScikerasClassifier(
            model=book_keras_model,
            epochs=epochs,
            batch_size=10,
            verbose=0,
            # scikeras's random_state switches TensorFlow op determinism on for the
            # whole process, after which unseeded Keras code raises: left unseeded.
        ),
        "sklearn": lambda: SkMLP(
            hidden_layer_sizes=(12, 8),
            max_iter=epochs,
            batch_size=10,
            alpha=0.0,
            n_iter_no_change=epochs,
            tol=0.0,
            random_state=0,
        ),
    }


class RawKeras:
    """What a user writes by hand: build, compile, fit on NumPy arrays."""

    def __init__(self, epochs):
        self.epochs = epochs

    def fit(self, X, y):
        self.model = book_keras_model()
        self.model.fit(X, y, epochs=self.epochs, batch_size=10, verbose=0)
        return self


def w1(X, y, epochs, repeat, with_cv, log):
    rows = []
    factories = peers(epochs)
    fit_times = {}
    for name, make in factories.items():
        log(f"W1 fit: {name}")
        t, _ = median_time(lambda make=make: make().fit(X, y), repeat)
        fit_times[name] = t
    log("W1 fit: raw keras")
    fit_times["raw keras"], _ = median_time(lambda: RawKeras(epochs).fit(X, y), repeat)
    for name, t in fit_times.items():
        rows.append(
            {"workload": "W1 fit", "impl": name, "seconds": t, "repeat": repeat}
        )
    if with_cv:
        cv = StratifiedKFold(10, shuffle=True, random_state=7)
        for name in with_cv:
            log(f"W1 10-fold CV: {name}")
            start = time.perf_counter()
            scores = cross_val_score(factories[name](), X, y, cv=cv)
            rows.append(
                {
                    "workload": "W1 cv10",
                    "impl": name,
                    "seconds": time.perf_counter() - start,
                    "accuracy": float(scores.mean()),
                    "repeat": 1,
                }
            )
    return rows


def w2(X, y, epochs, log):
    rows = []
    factories = peers(epochs)
    fitted = {
        "sklkeras": factories["sklkeras"]().fit(X, y),
        "sklearn": factories["sklearn"]().fit(X, y),
    }
    for n_rows in (1, 100):
        batch = X[:n_rows]
        for name, est in fitted.items():
            for method in ("predict", "predict_proba"):
                fn = getattr(est, method)
                fn(batch)  # warm-up
                times = []
                for _ in range(200):
                    start = time.perf_counter()
                    fn(batch)
                    times.append(time.perf_counter() - start)
                rows.append(
                    {
                        "workload": f"W2 {method} {n_rows} row(s)",
                        "impl": name,
                        "seconds": statistics.median(times),
                        "repeat": 200,
                    }
                )
    log("W2 done")
    return rows


W3_SETUPS = {
    # name: (data shape, CNN parameters, epochs, batch size)
    "digits CNN": ((1797, 8, 8, 1), dict(filters=(32, 64), dense_units=(128,)), 20, 32),
    "MNIST-shaped simple CNN": (
        (60000, 28, 28, 1),
        dict(filters=(32,), kernel_size=5, block_dropout=0.2, dense_units=(128,)),
        1,
        200,
    ),
}


def _raw_keras_cnn(input_shape, params):
    """The network CNNClassifier builds for ``params``, written by hand."""
    layers = [keras.Input(input_shape)]
    for i, f in enumerate(params["filters"]):
        ks = params.get("kernel_size", 3)
        layers.append(
            keras.layers.Conv2D(
                f, ks if np.ndim(ks) == 0 else ks[i], padding="same", activation="relu"
            )
        )
        layers.append(keras.layers.MaxPooling2D(2))
        if params.get("block_dropout"):
            layers.append(keras.layers.Dropout(params["block_dropout"]))
    layers.append(keras.layers.Flatten())
    for units in params["dense_units"]:
        layers.append(keras.layers.Dense(units, activation="relu"))
    layers.append(keras.layers.Dense(10, activation="softmax"))
    model = keras.Sequential(layers)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def w3_child(impl: str, setup: str) -> dict:
    """One W3 measurement, run in its own process so peak memory is its own."""
    import resource

    from sklkeras import CNNClassifier

    shape, params, epochs, batch_size = W3_SETUPS[setup]
    rng = np.random.RandomState(0)
    if setup.startswith("digits"):
        from sklkeras.datasets import load_digits_images

        X, y = load_digits_images(return_X_y=True)
    else:
        X = rng.randint(0, 256, shape, dtype=np.uint8)  # pixels as MNIST ships them
        y = rng.randint(0, 10, shape[0])
    start = time.perf_counter()
    if impl == "sklkeras":
        CNNClassifier(
            **params,
            epochs=epochs,
            batch_size=batch_size,
            n_iter_no_change=None,
            random_state=0,
        ).fit(X, y)
    else:  # what the book does: scale to float32 [0, 1], then Model.fit
        Xf = X.astype("float32") / 255.0 if X.dtype == np.uint8 else X
        _raw_keras_cnn(X.shape[1:], params).fit(
            Xf, y, epochs=epochs, batch_size=batch_size, verbose=0
        )
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "workload": f"W3 {setup}",
        "impl": impl,
        "seconds": seconds,
        "samples_per_s": len(X) * epochs / seconds,
        "peak_mb": peak_mb,
        "repeat": 1,
    }


def w3(log):
    import subprocess

    rows = []
    for setup in W3_SETUPS:
        for impl in ("sklkeras", "raw keras"):
            log(f"W3 {setup}: {impl}")
            proc = subprocess.run(
                [sys.executable, __file__, "--w3-child", impl, setup],
                capture_output=True,
                text=True,
                check=True,
            )
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return rows


def w4(X, y, epochs, log):
    rows = []
    cv = StratifiedKFold(10, shuffle=True, random_state=7)
    make = peers(epochs)["sklkeras"]
    # The second n_jobs=2 run reuses joblib's worker processes (TensorFlow already
    # imported there), as every search after the first does.
    for n_jobs, label in ((1, "n_jobs=1"), (2, "n_jobs=2 cold"), (2, "n_jobs=2 warm")):
        log(f"W4 cross_val_score {label}")
        start = time.perf_counter()
        cross_val_score(make(), X, y, cv=cv, n_jobs=n_jobs)
        rows.append(
            {
                "workload": "W4 cv10",
                "impl": f"sklkeras {label}",
                "seconds": time.perf_counter() - start,
                "repeat": 1,
            }
        )
    return rows


def report(rows) -> str:
    lines = [f"{'workload':<30} {'impl':<20} {'median s':>10} {'sklkeras/peer':>14}"]
    by_workload = {}
    for row in rows:
        by_workload.setdefault(row["workload"], []).append(row)
    for workload, group in by_workload.items():
        ours = next((r for r in group if r["impl"] == "sklkeras"), None)
        for row in group:
            ratio = ""
            if ours is not None and row is not ours:
                ratio = f"{ours['seconds'] / row['seconds']:.2f}"
            extra = f"  acc {row['accuracy']:.3f}" if "accuracy" in row else ""
            if "samples_per_s" in row:
                extra = f"  {row['samples_per_s']:,.0f} samples/s, peak {row['peak_mb']:,.0f} MB"
            secs = row["seconds"]
            shown = f"{secs * 1000:.2f} ms" if secs < 0.1 else f"{secs:.2f}"
            lines.append(
                f"{workload:<30} {row['impl']:<20} {shown:>10} {ratio:>14}{extra}"
            )
    for workload, group in by_workload.items():
        if not workload.startswith("W3") or len(group) != 2:
            continue
        ours, raw = group
        lines.append(
            f"{workload}: throughput sklkeras / raw keras "
            f"{ours['samples_per_s'] / raw['samples_per_s']:.2f}x, "
            f"peak memory {ours['peak_mb'] / raw['peak_mb']:.2f}x"
        )
    w4_rows = by_workload.get("W4 cv10")
    if w4_rows and len(w4_rows) == 3:
        one, cold, warm = (r["seconds"] for r in w4_rows)
        lines.append(
            f"W4 speed-up of n_jobs=2 over n_jobs=1: {one / cold:.2f}x cold "
            f"(worker start-up included), {one / warm:.2f}x warm"
        )
    for summary in (w5_summary(rows), fused.summary(rows), prediction.summary(rows)):
        if summary:
            lines.append(summary)
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="15 epochs, 1 repeat")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--only",
        nargs="*",
        default="W1 W2 W3 W4 W5 W6 W7 W7s W8 W9 W10".split(),
    )
    parser.add_argument(
        "--cv-peers",
        nargs="*",
        default=["sklkeras", "sklearn", "scikeras"],
        help="peers whose 10-fold CV is timed in W1 (scikeras takes minutes)",
    )
    parser.add_argument("--json", default="bench.json", help="where to write rows")
    parser.add_argument("--w3-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.w3_child:
        print(json.dumps(w3_child(*args.w3_child)))
        return 0
    epochs = 15 if args.quick else 150
    repeat = 1 if args.quick else args.repeat

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    X_raw, y = load_pima_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X_raw).astype(np.float32)
    rows = []
    if "W1" in args.only:
        rows += w1(X, y, epochs, repeat, args.cv_peers, log)
    if "W2" in args.only:
        rows += w2(X, y, epochs, log)
    if "W3" in args.only:
        rows += w3(log)
    if "W4" in args.only:
        rows += w4(X, y, epochs, log)
    if "W5" in args.only:
        rows += w5(log, requests=200 if args.quick else 2000)
    if "W6" in args.only:
        rows += fused.w6(X_raw, y, peers(epochs), log)
    if "W7" in args.only:
        rows += fused.w7(X_raw, y, peers(epochs), log)
    if "W7s" in args.only:
        rows += fused.w7s(X_raw, y, peers(30), log)
    if "W8" in args.only:
        rows += fused.w8(log, epochs=2 if args.quick else 20)
    if "W9" in args.only or "W10" in args.only:
        rows += prediction.w9_w10(log, repeat, requests=200 if args.quick else 2000)
    meta = {
        "keras_backend": keras.backend.backend(),
        "keras": keras.__version__,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "epochs": epochs,
    }
    print(
        f"backend {meta['keras_backend']}, keras {meta['keras']}, {meta['cpus']} CPUs"
    )
    print(report(rows))
    with open(args.json, "w", encoding="utf-8") as fh:
        json.dump({"meta": meta, "rows": rows}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

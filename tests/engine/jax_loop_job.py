"""Fits on the JAX backend through the jitted epoch loop and through Model.fit, for
test_jax_loop (run as a script with KERAS_BACKEND=jax; prints one JSON line)."""

import json
import os
import subprocess
import sys
import tempfile
import warnings
from unittest import mock

import keras
import numpy as np
from sklearn.base import clone

from sklkeras import MLPClassifier, MLPRegressor
from sklkeras._engine import _dispatch, _jax_loop


def fit(est, X, y, sample_weight=None, *, fallback=False):
    patch = mock.patch.object(_dispatch, "can_use_jax_loop", return_value=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if fallback:
            with patch:
                return est.fit(X, y, sample_weight=sample_weight)
        return est.fit(X, y, sample_weight=sample_weight)


def gap(a, b):
    weights = [np.max(np.abs(u - v)) for u, v in zip(a.coefs_, b.coefs_, strict=True)]
    curve = np.max(np.abs(np.subtract(a.loss_curve_, b.loss_curve_)))
    return float(max(weights + [curve]))


def prediction_gaps(model, X):
    """The jitted loop over chunks against chunk-by-chunk jitted calls and
    Model.predict; the NumPy pass (up to 64 rows) against both and row by row."""
    import jax

    from sklkeras._estimator import _prediction

    full = _prediction.predict_in_memory(model, X)  # 33 chunks: a loop of 64
    step = jax.jit(lambda t, n, x: model.stateless_call(t, n, x, training=False)[0])
    values = [
        [v.value for v in vs]
        for vs in (model.trainable_variables, model.non_trainable_variables)
    ]
    padded = np.concatenate([X, np.zeros((-len(X) % 64, X.shape[1]), X.dtype)])
    chunks = [step(*values, padded[i : i + 64]) for i in range(0, len(padded), 64)]
    few = _prediction.predict_in_memory(model, X[:30])
    rows = [_prediction.predict_in_memory(model, X[i : i + 1]) for i in range(30)]
    weights = model.get_weights()
    model.set_weights([w * 0.5 for w in weights])
    halved = _prediction.predict_in_memory(model, X[:30])
    model.set_weights(weights)
    return {
        "loop_vs_chunks": float(np.abs(full - np.concatenate(chunks)[: len(X)]).max()),
        "loop_vs_predict": float(np.abs(full - model.predict(X, verbose=0)).max()),
        "loop_subset": bool(
            np.array_equal(
                _prediction.predict_in_memory(model, X[77:1500]), full[77:1500]
            )
        ),
        "numpy_vs_loop": float(np.abs(few - full[:30]).max()),
        "numpy_rows": bool(np.array_equal(np.concatenate(rows), few)),
        "new_weights_seen": float(np.abs(halved - few).max()),
        "old_weights_back": bool(
            np.array_equal(_prediction.predict_in_memory(model, X[:30]), few)
        ),
    }


def cache_reuse(folder):
    """Compiled files written by a fit in this process, and by the same fit in a
    new process sharing the folder (SKLKERAS_JAX_CACHE_DIR)."""
    written = len(os.listdir(folder))
    script = (
        "import numpy as np; from sklkeras import MLPClassifier; "
        "X = np.random.RandomState(0).normal(size=(103, 5)).astype('float32'); "
        "MLPClassifier((8,), epochs=2, batch_size=10, random_state=0)"
        ".fit(X, (X[:, 0] > 0).astype(int)).predict(X)"
    )
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    return [written, len(os.listdir(folder))]


if __name__ == "__main__":
    # The opt-in persistent cache, on for this job (read at the first compile).
    cache_dir = tempfile.mkdtemp()
    os.environ["SKLKERAS_JAX_CACHE_DIR"] = cache_dir
    warm_up = MLPClassifier((8,), epochs=2, batch_size=10, random_state=0)
    X0 = np.random.RandomState(0).normal(size=(103, 5)).astype("float32")
    warm_up.fit(X0, (X0[:, 0] > 0).astype(int)).predict(X0)
    cache_files = cache_reuse(cache_dir)
    rng = np.random.RandomState(0)
    X = rng.normal(size=(103, 5)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    y_reg = X @ rng.normal(size=5)
    sw = rng.uniform(0.5, 2.0, size=103)
    common = {"batch_size": 10, "random_state": 0, "n_iter_no_change": None}
    cases = {
        "classifier": (MLPClassifier((8,), epochs=12, shuffle=False, **common), y),
        "weighted": (MLPClassifier((8, 4), epochs=8, shuffle=False, **common), y),
        "dropout": (
            MLPClassifier((8,), epochs=6, shuffle=False, dropout=0.3, **common),
            y,
        ),
        "invscaling": (
            MLPRegressor(
                (8,),
                epochs=8,
                shuffle=False,
                solver="sgd",
                learning_rate="invscaling",
                **common,
            ),
            y_reg,
        ),
    }
    out = {"backend": keras.backend.backend()}
    # Fitting and predicting on JAX leave TensorFlow unimported (~2.4 s).
    first = fit(clone(cases["classifier"][0]), X, y)
    first.predict(X)
    out["tensorflow_imported"] = "tensorflow" in sys.modules
    for name, (est, target) in cases.items():
        weights = sw if name == "weighted" else None
        loop = fit(clone(est), X, target, weights)
        ref = fit(est, X, target, weights, fallback=True)
        out[f"{name}_gap"] = gap(loop, ref)
        out[f"{name}_n_iter"] = [loop.n_iter_, ref.n_iter_]
    # Seeded shuffles: the same seed gives the same fit, another seed another one.
    a = fit(MLPClassifier((8,), epochs=5, **common), X, y)
    b = fit(MLPClassifier((8,), epochs=5, **common), X, y)
    c = fit(MLPClassifier((8,), epochs=5, **{**common, "random_state": 1}), X, y)
    out["same_seed_gap"] = gap(a, b)
    out["other_seed_gap"] = gap(a, c)
    # The stopping rule ends the loop as it ends Model.fit.
    stop = {"epochs": 50, "shuffle": False, "tol": 10.0, "n_iter_no_change": 2}
    stopped = fit(MLPClassifier((8,), batch_size=10, random_state=0, **stop), X, y)
    stopped_ref = fit(
        MLPClassifier((8,), batch_size=10, random_state=0, **stop), X, y, fallback=True
    )
    out["stopped_n_iter"] = [stopped.n_iter_, stopped_ref.n_iter_]
    # warm_start continues on the same model (its compiled epoch reused).
    warm = MLPClassifier((8,), epochs=3, warm_start=True, **common)
    fit(warm, X, y)
    fit(warm, X, y)
    out["warm_curve"] = len(warm.loss_curve_)
    # Validation data (early_stopping) still goes through Model.fit.
    early = fit(MLPClassifier((8,), epochs=5, early_stopping=True, batch_size=10), X, y)
    out["early_scores"] = len(early.validation_scores_)
    out["accuracy"] = float(a.score(X, y))
    out.update(prediction_gaps(a.model_, np.tile(X, (20, 1))))
    # Which models the loop takes: one input and output, compiled for jit.
    net = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1)])
    net.compile(loss="mse")
    out["qualifies"] = _jax_loop.can_use_jax_loop(net, None, False)
    out["with_validation"] = _jax_loop.can_use_jax_loop(net, [X, y], False)
    net.compile(loss="mse", jit_compile=False)
    out["without_jit"] = _jax_loop.can_use_jax_loop(net, None, False)
    out["cache_files"] = cache_files
    print(json.dumps(out))

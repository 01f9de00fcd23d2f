"""W9 and W10 of bench.py: prediction of an MLP (64, 32) on 20 features.

W9  bulk: ``predict_proba`` of 200,000 rows (the median of ``repeat`` runs).
W10 one row: ``predict_proba(X[:1])`` (the median of ``requests`` calls).

Peers, all on the same fitted weights except scikit-learn's own MLP (same shape,
fitted on the same rows): Keras ``Model.predict(batch_size=4096)`` and a direct
``model(X, training=False)`` on sklkeras's network, scikit-learn's
``MLPClassifier.predict_proba``, and the network exported with
``sklkeras.to_onnx`` through onnxruntime (skipped where export fails, e.g. tf2onnx
missing). Every row's ratio is its time over the best peer's in the same run;
the targets are W9 <= 1.0x the faster of Keras predict and scikit-learn, W10
<= 1.0x scikit-learn.

    python benchmarks/bench.py --only W9 W10
    KERAS_BACKEND=jax python benchmarks/bench.py --only W9 W10
"""

from __future__ import annotations

import statistics
import time
import warnings

import numpy as np
from serving import _median

WORKLOADS = ("W9 bulk predict_proba 200k", "W10 predict_proba 1 row")


def _data(n=200_000, d=20, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, d)).astype(np.float32)
    y = (X[:, :3].sum(axis=1) + 0.5 * rng.normal(size=n) > 0).astype(int)
    return X, y


def _fitted(X, y):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier as SkMLP

    from sklkeras import MLPClassifier

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = MLPClassifier((64, 32), max_iter=2, random_state=0).fit(X, y)
        theirs = SkMLP((64, 32), max_iter=2, random_state=0).fit(X, y)
    return ours, theirs


def _onnx_call(ours, X, log):
    try:
        import onnxruntime

        import sklkeras

        onx = sklkeras.to_onnx(ours, X[:1])
    except Exception as exc:  # noqa: BLE001 - a peer we report as missing
        log(f"W9/W10: no onnxruntime peer ({type(exc).__name__}: {exc})"[:200])
        return None
    session = onnxruntime.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    name = session.get_inputs()[0].name
    outputs = [o.name for o in session.get_outputs()]
    proba = outputs[-1:]  # the probabilities
    got = session.run(proba, {name: X[:100]})[0]
    assert np.abs(np.asarray(got) - ours.predict_proba(X[:100])).max() < 1e-5
    return lambda rows: session.run(proba, {name: rows})


def _calls(ours, theirs, onnx):
    model = ours.model_
    calls = {
        "sklkeras": ours.predict_proba,
        "keras predict": lambda rows: model.predict(rows, batch_size=4096, verbose=0),
        "keras direct call": lambda rows: np.asarray(model(rows, training=False)),
        "sklearn": theirs.predict_proba,
    }
    if onnx is not None:
        calls["onnxruntime"] = onnx
    return calls


def w9_w10(log, repeat=3, requests=2000):
    X, y = _data()
    log("W9/W10: fitting")
    ours, theirs = _fitted(X[:20_000], y[:20_000])
    calls = _calls(ours, theirs, _onnx_call(ours, X, log))
    ref = ours.model_.predict(X, batch_size=4096, verbose=0)
    assert np.abs(ours.predict_proba(X)[:, 1] - ref[:, 0]).max() < 1e-5
    rows = []
    for name, call in calls.items():
        log(f"W9: {name}")
        call(X)  # warm-up (tracing, compilation)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            call(X)
            times.append(time.perf_counter() - start)
        rows.append(_row(WORKLOADS[0], name, statistics.median(times), repeat))
    one = X[:1]
    for name, call in calls.items():
        log(f"W10: {name}")
        n = requests // 10 if name == "keras predict" else requests
        rows.append(_row(WORKLOADS[1], name, _median(lambda c=call: c(one), n), n))
    return rows


def _row(workload, impl, seconds, repeat):
    return {"workload": workload, "impl": impl, "seconds": seconds, "repeat": repeat}


def summary(rows) -> str | None:
    """Every row's time over the best peer's (not sklkeras) in the same run."""
    lines = []
    for workload in WORKLOADS:
        group = {r["impl"]: r["seconds"] for r in rows if r["workload"] == workload}
        peers = {k: v for k, v in group.items() if k != "sklkeras"}
        if "sklkeras" not in group or not peers:
            continue
        best = min(peers, key=peers.get)
        ratios = ", ".join(f"{k} {v / peers[best]:.2f}x" for k, v in group.items())
        target = (
            min(v for k, v in peers.items() if k in ("keras predict", "sklearn"))
            if workload == WORKLOADS[0]
            else peers.get("sklearn", peers[best])
        )
        lines.append(
            f"{workload}: over the best peer ({best}): {ratios}; sklkeras over its "
            f"target peer: {group['sklkeras'] / target:.2f}x (target <= 1.0x)"
        )
    return "\n".join(lines) or None

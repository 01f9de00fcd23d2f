"""W5 of bench.py: one-row latency of the bank pipeline exported to ONNX.

The bank-marketing pipeline (one-hot encoding and scaling in a ColumnTransformer,
then MLPClassifier(32,)) answers one request four ways: the exported graph through
onnxruntime on ready inputs ("sklkeras", the serving path this row is about), the
same graph with the request record turned into inputs on each call, the sklkeras
pipeline's ``predict_proba``, and the same pipeline with scikit-learn's
``MLPClassifier`` ("sklearn"). The pipelines get a ready one-row DataFrame. Each
figure is the median of ``requests`` calls; the target is a graph at <= 0.5x
scikit-learn's time.

    python benchmarks/bench.py --only W5
"""

from __future__ import annotations

import statistics
import time
import warnings

import numpy as np


def _bank_pipeline(estimator):
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    encoder = make_column_transformer(
        (
            OneHotEncoder(
                handle_unknown="ignore", min_frequency=10, sparse_output=False
            ),
            make_column_selector(dtype_exclude="number"),
        ),
        (StandardScaler(), make_column_selector(dtype_include="number")),
    )
    return make_pipeline(encoder, estimator)


def _median(call, requests):
    call()  # warm-up
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def w5(log, requests=2000, epochs=3):
    import onnxruntime
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier as SkMLP

    import sklkeras
    from sklkeras.datasets import load_bank_marketing
    from sklkeras.tasks import add_contact_date

    X, y = load_bank_marketing(return_X_y=True)
    X = add_contact_date(X)
    log("W5: fitting the bank pipelines")
    ours = _bank_pipeline(
        sklkeras.MLPClassifier(
            hidden_layer_sizes=(32,), epochs=epochs, batch_size=64, random_state=7
        )
    ).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs = _bank_pipeline(
            SkMLP(hidden_layer_sizes=(32,), max_iter=epochs, random_state=7)
        ).fit(X, y)
    log("W5: exporting")
    start = time.perf_counter()
    onx = sklkeras.to_onnx(ours, X[:1])
    export_seconds = time.perf_counter() - start
    session = onnxruntime.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    dtypes = {"tensor(string)": object, "tensor(int64)": np.int64}
    inputs = [(i.name, dtypes[i.type]) for i in session.get_inputs()]

    def record_feeds(record):
        return {name: np.array([[record[name]]], dtype=dt) for name, dt in inputs}

    row = X.iloc[:1]
    record = row.iloc[0].to_dict()
    feeds = record_feeds(record)
    labels, proba = session.run(None, feeds)
    assert labels[0] == ours.predict(row)[0]
    assert np.abs(proba - ours.predict_proba(row)).max() < 1e-5
    calls = {
        "sklkeras": lambda: session.run(None, feeds),
        "onnxruntime from record": lambda: session.run(None, record_feeds(record)),
        "sklkeras predict_proba": lambda: ours.predict_proba(row),
        "sklearn": lambda: theirs.predict_proba(row),
    }
    rows = []
    for name, call in calls.items():
        log(f"W5: {name}")
        rows.append(
            {
                "workload": "W5 bank one-row",
                "impl": name,
                "seconds": _median(call, requests),
                "repeat": requests,
                "export_seconds": export_seconds,
            }
        )
    return rows


def w5_summary(rows) -> str | None:
    by_impl = {
        r["impl"]: r["seconds"] for r in rows if r["workload"] == "W5 bank one-row"
    }
    if "sklkeras" not in by_impl or "sklearn" not in by_impl:
        return None
    ratio = by_impl["sklkeras"] / by_impl["sklearn"]
    export = next(
        r["export_seconds"] for r in rows if r["workload"] == "W5 bank one-row"
    )
    return (
        f"W5 exported graph through onnxruntime / scikit-learn MLP pipeline: "
        f"{ratio:.3g}x (target <= 0.5x); export took {export:.1f} s"
    )

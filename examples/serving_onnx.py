"""
Serving a fitted pipeline with ONNX Runtime
===========================================

From notebook to production with the bank-marketing task (T4): the whole fitted
pipeline, one-hot encoding, scaling and the network, becomes one ONNX graph that
onnxruntime serves without scikit-learn, Keras or TensorFlow; and the pipeline is
saved for later without pickle, in a file that cannot run code when opened.

The graph answers as the pipeline does (the same labels, probabilities within
1e-7 here) and answers one request much faster than the pipeline itself: the
``W5`` row of ``benchmarks/bench.py`` measures it against scikit-learn's own
``MLPClassifier`` in the same pipeline.

Run it with::

    python examples/serving_onnx.py [--quick]

The full settings train 10 epochs and time 2,000 requests per model; ``--quick``
(the setting this gallery was built with) trains 3 epochs and times 200.
"""

import os
import statistics
import tempfile
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
import onnx
import onnxruntime
from _common import parse_args
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

import sklkeras
from sklkeras import MLPClassifier
from sklkeras.datasets import load_bank_marketing
from sklkeras.tasks import add_contact_date

args = parse_args(__doc__)
epochs, requests = (3, 200) if args.quick else (10, 2000)

# %%
# The task runner's pipeline, and why it does not export as it is
# -----------------------------------------------------------------
# The bank task adds a ``contact_date`` column ("may-15") with a
# ``FunctionTransformer``, then one-hot encodes the text columns and scales the
# numeric ones. A FunctionTransformer runs a Python function, which no ONNX graph
# can hold: :func:`sklkeras.to_onnx` checks every step first and refuses it by
# name, before any conversion work.

X, y = load_bank_marketing(return_X_y=True)  # DataFrame; target "yes" / "no"
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=7
)


def encoder():
    return make_column_transformer(
        (
            OneHotEncoder(
                handle_unknown="ignore", min_frequency=10, sparse_output=False
            ),
            make_column_selector(dtype_exclude="number"),
        ),
        (StandardScaler(), make_column_selector(dtype_include="number")),
    )


def network():
    return MLPClassifier(
        hidden_layer_sizes=(32,),
        dropout=0.2,
        epochs=epochs,
        batch_size=64,
        random_state=7,
    )


runner_pipeline = make_pipeline(
    FunctionTransformer(add_contact_date), encoder(), network()
).fit(X_train, y_train)
try:
    sklkeras.to_onnx(runner_pipeline, X_train[:1])
except ValueError as exc:
    print(exc)

# %%
# A pipeline that exports whole
# -----------------------------
# The date column is feature engineering on the request itself, so it moves in
# front of the pipeline: the requests carry ``contact_date`` as one more column,
# and everything the model learned (the encoders' categories, the scaler's
# statistics, the network) stays in the pipeline, and so in the graph. The
# encoder says ``handle_unknown="ignore"`` (the task runner's says
# ``"infrequent_if_exist"``): skl2onnx's graph cannot send a category unseen at
# fit to the infrequent column, so ``to_onnx`` refuses that setting; with
# "ignore", a date never seen in training is all zeros, in scikit-learn and in
# the graph alike.

X_train, X_test = add_contact_date(X_train), add_contact_date(X_test)
pipe = make_pipeline(encoder(), network()).fit(X_train, y_train)
print(f"test ROC AUC {roc_auc_score(y_test, pipe.predict_proba(X_test)[:, 1]):.3f}")

# %%
# Export
# ------
# ``to_onnx`` takes one row to learn the input types: a DataFrame gives one graph
# input per column, named after it (text columns as strings, integer ones as
# int64). It runs the graph once on that row and compares its answer with
# ``predict_proba`` before returning it.

workdir = tempfile.mkdtemp()
start = time.perf_counter()
onx = sklkeras.to_onnx(pipe, X_train[:1])
export_seconds = time.perf_counter() - start
onnx_path = os.path.join(workdir, "bank.onnx")
onnx.save(onx, onnx_path)
print(
    f"exported in {export_seconds:.1f} s: {os.path.getsize(onnx_path) / 1024:.0f} KiB, "
    f"{len(onx.graph.input)} inputs, outputs {[o.name for o in onx.graph.output]}"
)

# %%
# Serve
# -----
# The serving side needs onnxruntime and NumPy only: no scikit-learn, Keras or
# TensorFlow. Each input is a column of shape (n_rows, 1) in the input's type;
# a request arrives as a record, a dict of column values.

session = onnxruntime.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
DTYPES = {"tensor(string)": object, "tensor(int64)": np.int64}
INPUTS = [(i.name, DTYPES[i.type]) for i in session.get_inputs()]


def feeds(frame):
    """A DataFrame of requests as the graph's inputs."""
    return {
        name: frame[name].to_numpy().astype(dtype)[:, None] for name, dtype in INPUTS
    }


def record_feeds(record):
    """One request (a dict) as the graph's inputs."""
    return {name: np.array([[record[name]]], dtype=dtype) for name, dtype in INPUTS}


labels, proba = session.run(None, feeds(X_test))
same = (labels == pipe.predict(X_test)).mean()
gap = np.abs(proba - pipe.predict_proba(X_test)).max()
print(f"labels equal to predict: {same:.1%}; largest probability difference {gap:.1e}")

# %%
# Latency of one request
# ----------------------
# One row at a time, as a web service sees them: the graph through onnxruntime
# (on ready inputs, and with the record turned into inputs), the sklkeras
# pipeline's ``predict_proba``, and the same pipeline with scikit-learn's
# ``MLPClassifier`` (its NumPy forward pass, the fastest Python peer). The
# pipelines get a ready one-row DataFrame, which is most of their time: the
# ColumnTransformer selects and converts columns on every call. Each figure is
# the median of the requests' times on this machine.

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    sk_pipe = make_pipeline(
        encoder(),
        SkMLPClassifier(hidden_layer_sizes=(32,), max_iter=epochs, random_state=7),
    ).fit(X_train, y_train)

row = X_test.iloc[:1]
record = row.iloc[0].to_dict()
row_feeds = record_feeds(record)


def median_seconds(call):
    call()  # warm-up
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


timings = {
    "onnxruntime (graph)": median_seconds(lambda: session.run(None, row_feeds)),
    "onnxruntime from the record": median_seconds(
        lambda: session.run(None, record_feeds(record))
    ),
    "sklkeras pipeline": median_seconds(lambda: pipe.predict_proba(row)),
    "scikit-learn MLP pipeline": median_seconds(lambda: sk_pipe.predict_proba(row)),
}
reference = timings["scikit-learn MLP pipeline"]
for name, seconds in timings.items():
    print(
        f"{name:<30} {seconds * 1e3:8.3f} ms  {seconds / reference:6.3g}x scikit-learn's"
    )

fig, ax = plt.subplots(figsize=(6, 2.6))
names = list(timings)
ax.barh(names, [timings[n] * 1e3 for n in names], color=["C2", "C2", "C0", "C1"])
ax.invert_yaxis()
ax.set_xlabel("median latency of one request (ms)")
ax.set_title("One bank-marketing request")
fig.tight_layout()

# %%
# Saving the pipeline for later, safely
# -------------------------------------
# ``sklkeras.save`` writes any scikit-learn object with ``skops.io``, which stores
# objects as data and never pickles; the network inside stays in Keras's own
# format and is loaded in Keras's safe mode. ``sklkeras.load`` trusts
# scikit-learn's, NumPy's and sklkeras's types and refuses any other (a function,
# say) unless it is named in ``trusted=``.

skops_path = os.path.join(workdir, "bank.skops")
sklkeras.save(pipe, skops_path)
restored = sklkeras.load(skops_path)
assert (restored.predict_proba(X_test) == pipe.predict_proba(X_test)).all()
print(f"saved and reloaded {os.path.getsize(skops_path) / 1024:.0f} KiB: same answers")

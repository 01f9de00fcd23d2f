"""
Pima: a search with progress bars and learning curves
=====================================================

scikit-learn 1.9's callbacks on a grid search over the Pima Pipeline (see
:doc:`/callbacks`):

1. a ``ProgressBar`` on the search draws a bar for the search, each
   (candidate, fold) fit, the Pipeline's steps and each network, which advances
   one epoch at a time;
2. a ``ScoringMonitor`` on the network scores it after every epoch;
3. its log, one row per epoch of every fit, plotted as learning curves.

Run it with::

    python examples/pima_callbacks.py [--quick]

The full settings train 60 epochs on 5 folds; ``--quick`` (the setting this
gallery was built with) trains 4 epochs on 2 folds.
"""

import matplotlib.pyplot as plt
from _common import parse_args
from sklearn.callback import ProgressBar, ScoringMonitor
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklkeras import MLPClassifier
from sklkeras.datasets import load_pima_diabetes

args = parse_args(__doc__)
epochs, folds = (4, 2) if args.quick else (60, 5)

# %%
# The search
# ----------
# The book's network in a Pipeline after a ``StandardScaler``, searched over two
# learning rates. The monitor goes on the network (it scores the network's own
# training rows after each epoch, with ``neg_log_loss``); the progress bar goes
# on the search, the outermost estimator, and reaches every level below it.

X, y = load_pima_diabetes(return_X_y=True)
monitor = ScoringMonitor(scoring="neg_log_loss")
mlp = MLPClassifier(
    (12, 8), epochs=epochs, batch_size=10, n_iter_no_change=None, random_state=7
)
pipe = make_pipeline(StandardScaler(), mlp.set_callbacks(monitor))
grid = {"mlpclassifier__learning_rate_init": [0.001, 0.01]}
search = GridSearchCV(pipe, grid, cv=folds)
search.set_callbacks(ProgressBar(max_propagation_depth=None))
search.fit(X, y)
print(f"best: {search.best_params_}, accuracy {search.best_score_:.3f}")

# %%
# The learning curves
# -------------------
# The monitor's log is one run (the search) with a row per task it scored: the
# epochs (``task_name == "epoch"``) of every fit, grouped by their parent task,
# the network's fit. Its ``parent_task_id_path`` says where the fit was: under the
# search's evaluation ``candidate * folds + fold`` (``(0, 0, k, 1)``), or under
# its refit (``(0, 1, 1)``).

log = monitor.get_logs().data_as_pandas
epoch_rows = log[log["task_name"] == "epoch"]
rates = [p["mlpclassifier__learning_rate_init"] for p in search.cv_results_["params"]]


def label(path):
    if path[1] == 1:
        return "refit", ":"
    rate = rates[path[2] // folds]
    return f"lr={rate}", "-" if rate == 0.01 else "--"


fig, ax = plt.subplots(figsize=(7, 4))
for path, rows in epoch_rows.groupby("parent_task_id_path"):
    name, style = label(path)
    ax.plot(rows["task_id"] + 1, -rows["neg_log_loss"], style, label=name)
ax.set_xlabel("epoch")
ax.set_ylabel("training log-loss")
ax.set_title("Learning curves of every fit of the search")
handles, names = ax.get_legend_handles_labels()
unique = dict(zip(names, handles, strict=True))
ax.legend(unique.values(), unique.keys())
plt.show()

"""
Pima Indians diabetes: the book's whole flow
============================================

Task T1 of the book, done the scikit-learn way:

1. automatic validation split,
2. manual train/test split,
3. a StratifiedKFold loop,
4. ``cross_val_score`` on a Pipeline,
5. ``GridSearchCV`` over optimizer, initializer, epochs and batch size.

Run it with::

    python examples/pima_diabetes.py [--quick]

The full settings train 150 epochs and use 10 folds; ``--quick`` (the setting this
gallery was built with) trains 5 epochs, uses 3 folds and a smaller grid.
"""

import matplotlib.pyplot as plt
import numpy as np
from _common import parse_args
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    cross_val_score,
    train_test_split,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklkeras import MLPClassifier, plot_history
from sklkeras.datasets import load_pima_diabetes

args = parse_args(__doc__)
epochs, folds = (5, 3) if args.quick else (150, 10)

# %%
# The data and the book's model
# -----------------------------
# 768 patients, 8 numeric measurements each, and a 0/1 diabetes outcome. The
# book's network is Dense(12, relu), Dense(8, relu), then one sigmoid unit, trained
# with Adam in batches of 10. Here it sits in a Pipeline after a ``StandardScaler``,
# so each fit learns the scaling from its own training rows. ``n_iter_no_change=None``
# turns off stopping on the training loss: every fit runs all its epochs.

X, y = load_pima_diabetes(return_X_y=True)


def book_model(**params):
    """Dense(12, relu) -> Dense(8, relu) -> Dense(1, sigmoid), Adam, batch 10."""
    base = dict(
        hidden_layer_sizes=(12, 8),
        epochs=epochs,
        batch_size=10,
        n_iter_no_change=None,
        random_state=7,
    )
    return make_pipeline(StandardScaler(), MLPClassifier(**{**base, **params}))


# %%
# 1. Automatic validation
# -----------------------
# ``early_stopping=True`` sets aside a shuffled, stratified third of the data
# (``validation_fraction=0.33``) and scores it after each epoch.
# With ``n_iter_no_change=epochs`` the patience is as long as the run, so training
# never stops early and lasts all its epochs, like the book's ``validation_split``.

auto = book_model(
    early_stopping=True, validation_fraction=0.33, n_iter_no_change=epochs
).fit(X, y)
clf = auto[-1]
print(
    f"1. validation accuracy after {clf.n_iter_} epochs: "
    f"{clf.validation_scores_[-1]:.3f} (best {clf.best_validation_score_:.3f})"
)

# %%
# The per-epoch scores are kept in the estimator's ``history_``;
# :func:`sklkeras.plot_history` draws them, training series solid and validation
# series dashed. It accepts the Pipeline and plots its last step.

fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
plot_history(auto, "loss", ax=ax_loss)
plot_history(auto, "accuracy", ax=ax_acc)
fig.tight_layout()
plt.show()

# %%
# 2. Manual split
# ---------------
# ``train_test_split`` holds out a stratified third; the model is fitted on the
# rest and scored (accuracy) on the held-out rows.

X_tr, X_te, y_tr, y_te = train_test_split(
    X, y, test_size=0.33, stratify=y, random_state=7
)
print(f"2. held-out accuracy: {book_model().fit(X_tr, y_tr).score(X_te, y_te):.3f}")

# %%
# 3. An explicit StratifiedKFold loop
# -----------------------------------
# The notes' loop: a fresh model per fold, fitted on the training rows and scored
# on the test rows of that fold.

cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
scores = [
    book_model().fit(X[tr], y[tr]).score(X[te], y[te]) for tr, te in cv.split(X, y)
]
print(f"3. {folds}-fold loop: {np.mean(scores):.3f} +/- {np.std(scores):.3f}")

# %%
# 4. The same with cross_val_score
# --------------------------------
# ``cross_val_score`` runs the loop above in one call. Given the same ``cv``
# object it uses the same folds; an integer ``cv`` would also stratify, because
# the estimator is a classifier.

scores = cross_val_score(book_model(), X, y, cv=cv)
print(f"4. cross_val_score: {scores.mean():.3f} +/- {scores.std():.3f}")

# %%
# 5. Grid search
# --------------
# ``GridSearchCV`` tries every combination of the book's hyperparameters, with
# 3-fold cross-validation for each and two fits running in parallel. Parameters
# of the network are addressed through the Pipeline step name,
# ``mlpclassifier__``.

grid = {
    "mlpclassifier__optimizer": ["rmsprop", "adam"],
    "mlpclassifier__kernel_initializer": ["glorot_uniform", "random_normal"],
    "mlpclassifier__epochs": [epochs, 2 * epochs] if not args.quick else [epochs],
    "mlpclassifier__batch_size": [10, 20] if not args.quick else [20],
}
search = GridSearchCV(book_model(), grid, cv=3, n_jobs=2).fit(X, y)
print(f"5. best {search.best_score_:.3f} with {search.best_params_}")

"""T1 Pima Indians diabetes: the book's whole flow, the scikit-learn way.

1. automatic validation split, 2. manual train/test split, 3. a StratifiedKFold loop,
4. cross_val_score on a Pipeline, 5. GridSearchCV over optimizer, initializer,
epochs and batch size.

    python examples/pima_diabetes.py [--quick]
"""

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

from sklkeras import MLPClassifier
from sklkeras.datasets import load_pima_diabetes

args = parse_args(__doc__)
epochs, folds = (5, 3) if args.quick else (150, 10)

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


# 1. Automatic validation: a shuffled, stratified third of the data checked each epoch.
auto = book_model(
    early_stopping=True, validation_fraction=0.33, n_iter_no_change=epochs
).fit(X, y)
clf = auto[-1]
print(
    f"1. validation accuracy after {clf.n_iter_} epochs: "
    f"{clf.validation_scores_[-1]:.3f} (best {clf.best_validation_score_:.3f})"
)

# 2. Manual split.
X_tr, X_te, y_tr, y_te = train_test_split(
    X, y, test_size=0.33, stratify=y, random_state=7
)
print(f"2. held-out accuracy: {book_model().fit(X_tr, y_tr).score(X_te, y_te):.3f}")

# 3. The notes' explicit StratifiedKFold loop.
cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
scores = [
    book_model().fit(X[tr], y[tr]).score(X[te], y[te]) for tr, te in cv.split(X, y)
]
print(f"3. {folds}-fold loop: {np.mean(scores):.3f} +/- {np.std(scores):.3f}")

# 4. The same with cross_val_score (an int cv stratifies for classifiers).
scores = cross_val_score(book_model(), X, y, cv=cv)
print(f"4. cross_val_score: {scores.mean():.3f} +/- {scores.std():.3f}")

# 5. Grid search over the book's hyperparameters.
grid = {
    "mlpclassifier__optimizer": ["rmsprop", "adam"],
    "mlpclassifier__kernel_initializer": ["glorot_uniform", "random_normal"],
    "mlpclassifier__epochs": [epochs, 2 * epochs] if not args.quick else [epochs],
    "mlpclassifier__batch_size": [10, 20] if not args.quick else [20],
}
search = GridSearchCV(book_model(), grid, cv=3, n_jobs=2).fit(X, y)
print(f"5. best {search.best_score_:.3f} with {search.best_params_}")

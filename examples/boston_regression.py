"""
Boston house prices: regression networks compared
=================================================

Task T3 of the book: a baseline network, the same on standardized features,
deeper and wider networks, then a grid search, all scored by mean squared error.

Column B of this dataset is racially derived (see ``load_boston``'s docstring); it
is dropped here.

Run it with::

    python examples/boston_regression.py [--quick]

The full settings train 100 epochs and use 10 folds; ``--quick`` (the setting this
gallery was built with) trains 5 epochs, uses 3 folds and a smaller grid.
"""

import matplotlib.pyplot as plt
import numpy as np
from _common import parse_args
from sklearn.model_selection import GridSearchCV, KFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklkeras import MLPRegressor
from sklkeras.datasets import load_boston

args = parse_args(__doc__)
epochs, folds = (5, 3) if args.quick else (100, 10)

# %%
# Data and folds
# --------------
# 506 census tracts of Boston, 12 features once B is dropped, and the median
# house price (in $1000s) as the target. A shuffled ``KFold`` is shared by every
# comparison below.

X, y = load_boston(return_X_y=True, drop_b=True)
cv = KFold(n_splits=folds, shuffle=True, random_state=7)


def net(hidden, **params):
    return MLPRegressor(
        hidden_layer_sizes=hidden,
        epochs=epochs,
        batch_size=5,
        n_iter_no_change=None,
        random_state=7,
        **params,
    )


# %%
# Four networks, cross-validated
# ------------------------------
# The book's baseline has one hidden layer of 13 units on the raw features. The
# other three standardize the features first, inside a Pipeline so that each
# fold learns the scaling from its own training rows, and then use the same
# layer, a deeper 13-6 network, or a wider 20-unit layer. scikit-learn scorers
# are "greater is better", so the negated MSE is flipped back for printing.
# ``return_estimator`` and ``return_indices`` keep each fold's fitted model and
# test rows for the figure below.

variants = {
    "baseline 13 (raw features)": net((13,)),
    "standardized 13": make_pipeline(StandardScaler(), net((13,))),
    "deeper 13-6": make_pipeline(StandardScaler(), net((13, 6))),
    "wider 20": make_pipeline(StandardScaler(), net((20,))),
}
results = {}
for name, model in variants.items():
    res = cross_validate(
        model,
        X,
        y,
        cv=cv,
        scoring="neg_mean_squared_error",
        return_estimator=True,
        return_indices=True,
    )
    mse = -res["test_score"]
    results[name] = res
    print(f"{name:<28} MSE {mse.mean():7.2f} +/- {mse.std():.2f}")

# %%
# Predicted against true prices
# -----------------------------
# Each house is predicted by the model of the fold that held it out. Points on
# the diagonal are exact predictions.

fig, axes = plt.subplots(2, 2, figsize=(9, 8), sharex=True, sharey=True)
for ax, (name, res) in zip(axes.flat, results.items(), strict=True):
    y_pred = np.empty_like(y)
    for fitted, test in zip(res["estimator"], res["indices"]["test"], strict=True):
        y_pred[test] = fitted.predict(X[test])
    ax.scatter(y, y_pred, s=8, alpha=0.5)
    ax.plot([y.min(), y.max()], [y.min(), y.max()], color="black", linewidth=1)
    ax.set_title(f"{name}: MSE {-res['test_score'].mean():.1f}")
for ax in axes[1]:
    ax.set_xlabel("true price ($1000s)")
for ax in axes[:, 0]:
    ax.set_ylabel("predicted price ($1000s)")
fig.tight_layout()
plt.show()

# %%
# Grid search
# -----------
# ``GridSearchCV`` tunes the standardized network's layer sizes, batch size and
# optimizer, with 3-fold cross-validation and two fits running in parallel.

grid = {
    "mlpregressor__hidden_layer_sizes": [(20,), (64, 32)],
    "mlpregressor__batch_size": [5, 16] if not args.quick else [16],
    "mlpregressor__optimizer": ["adam", "rmsprop"],
}
search = GridSearchCV(
    make_pipeline(StandardScaler(), net((20,))),
    grid,
    cv=3,
    scoring="neg_mean_squared_error",
    n_jobs=2,
).fit(X, y)
print(f"grid search best MSE {-search.best_score_:.2f} with {search.best_params_}")

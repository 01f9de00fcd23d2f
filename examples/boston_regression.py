"""T3 Boston house prices: baseline, standardized, deeper and wider networks, grid.

Column B of this dataset is racially derived (see ``load_boston``'s docstring); it is
dropped here.

    python examples/boston_regression.py [--quick]
"""

from _common import parse_args
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklkeras import MLPRegressor
from sklkeras.datasets import load_boston

args = parse_args(__doc__)
epochs, folds = (5, 3) if args.quick else (100, 10)
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


variants = {
    "baseline 13 (raw features)": net((13,)),
    "standardized 13": make_pipeline(StandardScaler(), net((13,))),
    "deeper 13-6": make_pipeline(StandardScaler(), net((13, 6))),
    "wider 20": make_pipeline(StandardScaler(), net((20,))),
}
for name, model in variants.items():
    mse = -cross_val_score(model, X, y, cv=cv, scoring="neg_mean_squared_error")
    print(f"{name:<28} MSE {mse.mean():7.2f} +/- {mse.std():.2f}")

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

"""
Bank marketing: a ColumnTransformer Pipeline on a DataFrame
===========================================================

Task T4 of the book: cross-validation and a grid search of a network whose
preprocessing lives in the Pipeline.

Categorical columns are one-hot encoded and numeric ones standardized inside the
Pipeline, so every fold learns its encoders from its own training rows. One column
is added: the calendar date of the last call (month and day together), because the
bank called in campaigns on particular days. Accuracy hardly moves on this
imbalanced target (88.5% say "no"); ROC AUC is reported. With the full settings,
the task runner's 10-fold ROC AUC for this network is 0.916 (histogram gradient
boosting: 0.913; ``python -m sklkeras run bank``).

Run it with::

    python examples/bank_marketing.py [--quick]

The full settings train 10 epochs and use 10 folds; ``--quick`` (the setting this
gallery was built with) trains 3 epochs, uses 3 folds and a smaller grid.
"""

from _common import parse_args
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from sklkeras import MLPClassifier
from sklkeras.datasets import load_bank_marketing

args = parse_args(__doc__)
epochs, folds = (3, 3) if args.quick else (10, 10)

# %%
# Preprocessing and network in one Pipeline
# ------------------------------------------
# The features come as a pandas DataFrame with text and numeric columns, and the
# target is "yes" or "no". A ``FunctionTransformer`` first adds the text column
# ``contact_date`` ("may-15"): a network cannot find the month-and-day interaction
# by itself the way a tree does. ``make_column_selector`` then picks the columns by
# dtype: text columns go to a ``OneHotEncoder`` (dates with fewer than 10 calls,
# and categories unseen in training, fall into one "infrequent" column), numeric
# ones to a ``StandardScaler``. The network has one hidden layer of 32 units with
# dropout 0.2, trained for few epochs: on this data the held-out ROC AUC peaks
# early.


def add_contact_date(X):
    X = X.copy()
    X["contact_date"] = X["month"].astype(str) + "-" + X["day"].astype(str)
    return X


X, y = load_bank_marketing(return_X_y=True)  # DataFrame, target "yes"/"no"
pre = make_pipeline(
    FunctionTransformer(add_contact_date),
    make_column_transformer(
        (
            OneHotEncoder(
                handle_unknown="infrequent_if_exist",
                min_frequency=10,
                sparse_output=False,
            ),
            make_column_selector(dtype_exclude="number"),
        ),
        (StandardScaler(), make_column_selector(dtype_include="number")),
    ),
)
model = make_pipeline(
    pre,
    MLPClassifier(
        hidden_layer_sizes=(32,),
        dropout=0.2,
        epochs=epochs,
        batch_size=64,
        random_state=7,
    ),
)

# %%
# Cross-validation with two scores
# --------------------------------
# ``cross_validate`` computes several scores from the same fits. ROC AUC uses
# the predicted probabilities, so it shows how well the model ranks the "yes"
# clients even when accuracy stays near the share of "no".

cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
res = cross_validate(model, X, y, cv=cv, scoring=["accuracy", "roc_auc"])
print(
    f"accuracy {res['test_accuracy'].mean():.3f}, "
    f"ROC AUC {res['test_roc_auc'].mean():.3f} +/- {res['test_roc_auc'].std():.3f}"
)

# %%
# Grid search on ROC AUC
# ----------------------
# The search refits the whole Pipeline, encoders included, for each candidate
# and fold, and ranks the candidates by ROC AUC.

grid = {
    "mlpclassifier__hidden_layer_sizes": [(16,), (32,)]
    if args.quick
    else [(16,), (32,), (64, 32)],
    "mlpclassifier__dropout": [0.0, 0.2],
}
search = GridSearchCV(model, grid, cv=3, scoring="roc_auc", n_jobs=2).fit(X, y)
print(f"grid search best ROC AUC {search.best_score_:.3f} with {search.best_params_}")

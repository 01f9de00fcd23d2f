"""
Iris: multiclass classification from string labels
==================================================

Task T2 of the book. The notes encode the labels with ``LabelEncoder`` and one-hot
vectors; sklkeras takes the strings as they are and returns them from ``predict``.

Run it with::

    python examples/iris_multiclass.py [--quick]

The full settings train 200 epochs and use 10 folds; ``--quick`` (the setting this
gallery was built with) trains 10 epochs and uses 3 folds.
"""

import matplotlib.pyplot as plt
import numpy as np
from _common import parse_args
from sklearn.datasets import load_iris
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklkeras import MLPClassifier

args = parse_args(__doc__)
epochs, folds = (10, 3) if args.quick else (200, 10)

# %%
# String labels
# -------------
# The target is the species name of each flower, not an integer code.

iris = load_iris()
X, y = iris.data, iris.target_names[iris.target]  # "setosa", "versicolor", ...

# %%
# Cross-validation
# ----------------
# A ``StandardScaler`` and a network with one hidden layer of 8 units, scored
# with stratified K-fold. ``cross_validate`` returns the same scores as
# ``cross_val_score``; with ``return_estimator`` and ``return_indices`` it also
# keeps each fold's fitted model and test rows, used for the confusion matrix
# below.

model = make_pipeline(
    StandardScaler(),
    MLPClassifier(hidden_layer_sizes=(8,), epochs=epochs, batch_size=5, random_state=7),
)
cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
res = cross_validate(model, X, y, cv=cv, return_estimator=True, return_indices=True)
scores = res["test_score"]
print(f"{folds}-fold accuracy: {scores.mean():.3f} +/- {scores.std():.3f}")

# %%
# Confusion matrix
# ----------------
# Each flower is predicted by the model of the fold that held it out, so every
# prediction is made on data the model did not train on. Rows are the true
# species, columns the predicted ones.

y_pred = np.empty_like(y)
for fitted, test in zip(res["estimator"], res["indices"]["test"], strict=True):
    y_pred[test] = fitted.predict(X[test])
ConfusionMatrixDisplay.from_predictions(y, y_pred)
plt.title(f"Iris, out-of-fold predictions ({folds} folds)")
plt.show()

# %%
# Strings in, strings out
# -----------------------
# Fitted on all the data, the classifier lists the species in ``classes_``, and
# ``predict`` returns species names; ``predict_proba`` has one column per class,
# in the order of ``classes_``.

model.fit(X, y)
print("classes:", model[-1].classes_.tolist())
print("first rows:", model.predict(X[:3]).tolist())
print("probabilities of row 0:", model.predict_proba(X[:1]).round(3))

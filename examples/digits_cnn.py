"""
Digits: a CNN against MLPs on 8x8 images
========================================

Task T5 of the book, offline: a convolutional network against two multilayer
perceptrons (sklkeras's and scikit-learn's) on scikit-learn's 8x8 digits, so
nothing is downloaded.

Run it with::

    python examples/digits_cnn.py [--quick]

The full settings train the CNN 40 epochs and use 5 folds; ``--quick`` (the
setting this gallery was built with) trains it 3 epochs and uses 3 folds.
"""

import matplotlib.pyplot as plt
import numpy as np
from _common import parse_args
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.neural_network import MLPClassifier as SkMLP
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklkeras import CNNClassifier, MLPClassifier
from sklkeras.datasets import load_digits_images
from sklkeras.tasks import flatten_images

args = parse_args(__doc__)
epochs, folds = (3, 3) if args.quick else (40, 5)

# %%
# Images, and the same images flattened
# -------------------------------------
# ``load_digits_images`` returns the 1,797 digits as images of shape (8, 8, 1)
# with pixels in [0, 1], the layout a CNN takes. The two MLPs take flat rows of
# 64 pixels, so ``flatten_images`` is put in front of them as a
# ``FunctionTransformer``.

X, y = load_digits_images(return_X_y=True)  # (1797, 8, 8, 1), pixels in [0, 1]
flat = FunctionTransformer(flatten_images)

# %%
# The three models
# ----------------
# The CNN has two convolution blocks (32 and 64 filters) and a dense layer of 128
# units. The sklkeras MLP trains five times as many epochs as the CNN;
# scikit-learn's MLP trains up to 500 iterations.

models = {
    "CNNClassifier": CNNClassifier(
        filters=(32, 64),
        dense_units=(128,),
        dropout=0.3,
        block_dropout=0.2,
        epochs=epochs,
        random_state=7,
    ),
    "MLPClassifier (flat pixels)": make_pipeline(
        flat, MLPClassifier(epochs=5 * epochs, random_state=7)
    ),
    "scikit-learn MLP (flat)": make_pipeline(flat, SkMLP(max_iter=500, random_state=7)),
}

# %%
# Cross-validated accuracy
# ------------------------
# All three are scored on the same stratified folds. ``cross_validate`` gives the
# same scores as ``cross_val_score``; ``return_estimator`` and ``return_indices``
# also keep each fold's fitted model and test rows, from which every digit gets
# a prediction by a model that did not train on it.

cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
predictions = {}
for name, model in models.items():
    res = cross_validate(model, X, y, cv=cv, return_estimator=True, return_indices=True)
    scores = res["test_score"]
    print(f"{name:<30} {scores.mean():.4f} +/- {scores.std():.4f}")
    y_pred = np.empty_like(y)
    for fitted, test in zip(res["estimator"], res["indices"]["test"], strict=True):
        y_pred[test] = fitted.predict(X[test])
    predictions[name] = y_pred

# %%
# Which digits the CNN confuses
# -----------------------------
# The confusion matrix of the CNN's out-of-fold predictions: rows are the true
# digits, columns the predicted ones, and the off-diagonal cells are the errors.

ConfusionMatrixDisplay.from_predictions(y, predictions["CNNClassifier"])
plt.title(f"CNNClassifier, out-of-fold predictions ({folds} folds)")
plt.show()

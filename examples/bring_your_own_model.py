"""
Bring your own Keras model
==========================

The notes' hand-written networks used as scikit-learn estimators:

1. a VGG-like convnet on the 8x8 digits, cross-validated;
2. a two-branch functional model with a custom metric (the mean prediction),
   grid-searched over the builder's own hyperparameters;
3. a stacked LSTM on numeric sequences, as a ``KerasClassifier``;
4. a regression network as a ``KerasRegressor`` in a Pipeline.

Run it with::

    python examples/bring_your_own_model.py [--quick]

The full settings train 30 epochs (more for the small models); ``--quick`` (the
setting this gallery was built with) trains 2 epochs and uses the first 400
digits.
"""

import keras
from _common import parse_args
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklkeras import KerasClassifier, KerasRegressor
from sklkeras.datasets import (
    load_boston,
    load_digits_images,
    make_sequence_classification,
)

args = parse_args(__doc__)
epochs = 2 if args.quick else 30

# %%
# 1. A VGG-like convnet
# ---------------------
# ``KerasClassifier`` takes a function that builds the Keras model. Arguments
# with a trailing underscore are filled in from the training data at fit time:
# ``input_shape_`` is the shape of one sample and ``n_classes_`` the number of
# classes. The classifier compiles the model, encodes the labels and trains it.


def vgg_like(input_shape_, n_classes_, width=32):
    """Two blocks of two 3x3 convolutions, as in the Sequential-model reference."""
    x = inputs = keras.Input(input_shape_)
    for filters in (width, 2 * width):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = keras.layers.MaxPooling2D(2)(x)
        x = keras.layers.Dropout(0.25)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(128, activation="relu")(x)
    x = keras.layers.Dropout(0.5)(x)
    return keras.Model(inputs, keras.layers.Dense(n_classes_, activation="softmax")(x))


X, y = load_digits_images(return_X_y=True)
if args.quick:
    X, y = X[:400], y[:400]
scores = cross_val_score(
    KerasClassifier(vgg_like, epochs=epochs, batch_size=32, random_state=7), X, y, cv=3
)
print(f"1. VGG-like convnet on digits, 3-fold accuracy {scores.mean():.3f}")

# %%
# 2. Two branches, a custom metric and a grid search
# --------------------------------------------------
# A functional model whose input feeds several parallel dense layers, merged
# before the output. Other arguments of the builder (``units``, ``branches``)
# become parameters of the estimator, so ``GridSearchCV`` can tune them. The
# custom metric ``mean_pred`` is recorded in ``history_`` like any Keras metric.


def mean_pred(y_true, y_pred):
    """Custom metric from the notes: the mean of the predictions."""
    return keras.ops.mean(y_pred)


def two_branches(n_features_in_, n_classes_, units=32, branches=2):
    inputs = keras.Input((n_features_in_,))
    merged = keras.layers.concatenate(
        [keras.layers.Dense(units, activation="relu")(inputs) for _ in range(branches)]
    )
    return keras.Model(
        inputs, keras.layers.Dense(n_classes_, activation="softmax")(merged)
    )


X, y = load_iris(return_X_y=True)
clf = KerasClassifier(
    two_branches,
    units=32,
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy", mean_pred],
    epochs=5 * epochs,
    random_state=7,
)
grid = GridSearchCV(
    make_pipeline(StandardScaler(), clf),
    {"kerasclassifier__units": [16, 64], "kerasclassifier__branches": [1, 2]},
    cv=3,
).fit(X, y)
best = grid.best_estimator_[-1]
print(
    f"2. two-branch model: best {grid.best_params_}, accuracy {grid.best_score_:.3f}, "
    f"last mean_pred {best.history_['mean_pred'][-1]:.3f}"
)

# %%
# 3. A stacked LSTM
# -----------------
# Two LSTM layers, the first returning its whole output sequence to the second,
# on synthetic sequences of shape (samples, timesteps, features).


def stacked_lstm(input_shape_, n_classes_):
    inputs = keras.Input(input_shape_)
    x = keras.layers.LSTM(32, return_sequences=True)(inputs)
    x = keras.layers.LSTM(16)(x)
    return keras.Model(inputs, keras.layers.Dense(n_classes_, activation="softmax")(x))


X, y = make_sequence_classification(300, timesteps=20, n_classes=3, random_state=7)
lstm = KerasClassifier(stacked_lstm, epochs=epochs, batch_size=32, random_state=7)
print(
    f"3. stacked LSTM, 3-fold accuracy {cross_val_score(lstm, X, y, cv=3).mean():.3f}"
)

# %%
# 4. A regression network in a Pipeline
# -------------------------------------
# ``KerasRegressor`` works the same way for regression; ``n_outputs_`` is the
# number of target columns. Here it follows a ``StandardScaler`` and is scored
# by mean squared error on the Boston house prices, column B dropped.


def regression_net(n_features_in_, n_outputs_, units=20):
    inputs = keras.Input((n_features_in_,))
    hidden = keras.layers.Dense(units, activation="relu")(inputs)
    return keras.Model(inputs, keras.layers.Dense(n_outputs_)(hidden))


X, y = load_boston(return_X_y=True, drop_b=True)
reg = make_pipeline(
    StandardScaler(),
    KerasRegressor(regression_net, epochs=10 * epochs, batch_size=16, random_state=7),
)
mse = -cross_val_score(reg, X, y, cv=3, scoring="neg_mean_squared_error").mean()
print(f"4. regression network on Boston (B dropped), 3-fold MSE {mse:.1f}")

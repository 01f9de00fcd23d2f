"""The image tasks' models: digits, MNIST and CIFAR-10, convolutional networks
against dense ones on the flattened pixels."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from ..cnn import CNNClassifier
from ..mlp import MLPClassifier
from ._task import epochs as _epochs


def flatten_images(X):
    """(n, h, w, c) images -> (n, h * w * c) rows, for the non-convolutional models."""
    return np.asarray(X, dtype=np.float32).reshape(len(X), -1) / (
        255.0 if np.issubdtype(np.asarray(X).dtype, np.integer) else 1.0
    )


# Pickles and skops files name a function by its module: a pipeline holding
# FunctionTransformer(flatten_images) names sklkeras.tasks, the public path, as it did
# before the tasks moved into sklkeras._tasks.
flatten_images.__module__ = "sklkeras.tasks"


def _flat(estimator):
    return make_pipeline(FunctionTransformer(flatten_images), estimator)


def digits_models(seed, quick):
    return {
        "sklkeras CNNClassifier": CNNClassifier(
            filters=(32, 64),
            dense_units=(128,),
            dropout=0.3,
            block_dropout=0.2,
            epochs=_epochs(quick, 40),
            random_state=seed,
        ),
        "sklkeras MLPClassifier": _flat(
            MLPClassifier(epochs=_epochs(quick, 200), random_state=seed)
        ),
        "logistic regression": _flat(LogisticRegression(max_iter=2000)),
        "sklearn MLP(100,)": _flat(SkMLPClassifier(max_iter=500, random_state=seed)),
    }


def mnist_models(seed, quick):
    return {
        # the book's simple CNN: Conv 32 5x5, pool, dropout 0.2, Dense 128
        "sklkeras CNNClassifier": CNNClassifier(
            filters=(32,),
            kernel_size=5,
            block_dropout=0.2,
            dense_units=(128,),
            batch_size=200,
            epochs=2 if quick else 10,
            random_state=seed,
        ),
        # the book's MLP: 784 -> Dense(784) -> softmax
        "sklkeras MLPClassifier": _flat(
            MLPClassifier(
                hidden_layer_sizes=(784,),
                batch_size=200,
                epochs=2 if quick else 10,
                random_state=seed,
            )
        ),
    }


def cifar10_models(seed, quick):
    return {
        "sklkeras CNNClassifier": CNNClassifier(
            filters=(32, 64, 128),
            convs_per_block=2,
            batch_normalization=True,
            block_dropout=0.2,
            global_pooling="avg",
            dense_units=(128,),
            dropout=0.5,
            augmentation={"translation": 0.1, "flip": "horizontal"},
            batch_size=64,
            epochs=2 if quick else 25,
            random_state=seed,
        ),
    }

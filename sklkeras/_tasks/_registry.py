"""The tasks of ``python -m sklkeras``, by name: their data, metric, models and
the reference figures of the book and of scikit-learn."""

from __future__ import annotations

import os

from sklearn.datasets import load_iris

from .. import datasets
from ..datasets import _images as _image_files
from ._images import cifar10_models, digits_models, mnist_models
from ._tabular import (
    bank_models,
    boston_models,
    iris_models,
    load_bank,
    load_bank_for_hgb,
    pima_models,
)
from ._task import Task
from ._text import imdb_models, sentiment_models


def _cached(name):
    return lambda: os.path.exists(_image_files._keras_cache(name))


TASKS = {
    "pima": Task(
        name="pima",
        description="T1 Pima Indians diabetes: 768 x 8, binary (book: Dense 12-8-1)",
        load=lambda: datasets.load_pima_diabetes(return_X_y=True),
        metric="accuracy",
        classification=True,
        models=pima_models,
        reference="book ~0.76-0.77; logistic regression 0.780; sklearn MLP(12,8) 0.763",
    ),
    "iris": Task(
        name="iris",
        description="T2 iris: 150 x 4, 3 classes, string labels",
        load=lambda: (
            load_iris().data,
            load_iris().target_names[load_iris().target],
        ),
        metric="accuracy",
        classification=True,
        models=iris_models,
        reference="book ~0.97; logistic regression 0.960; sklearn MLP(8) 0.967",
    ),
    "boston": Task(
        name="boston",
        description="T3 Boston house prices: 506 x 13, regression (MSE, k$^2)",
        load=lambda: datasets.load_boston(return_X_y=True),
        metric="mse",
        classification=False,
        models=boston_models,
        reference="book ~32 / 22 (wider); linear 23.7; HGB 11.2; sklearn MLP(13,6) 11.9",
        higher_is_better=False,
    ),
    "bank": Task(
        name="bank",
        description="T4 bank marketing: 4,521 x 16 (9 categorical), binary, ROC AUC",
        load=load_bank,
        metric="roc_auc",
        classification=True,
        models=bank_models,
        reference="logistic regression 0.890; HGB 0.911; sklearn MLP(100) 0.900",
        extra={"hist gradient boosting": load_bank_for_hgb},
    ),
    "digits": Task(
        name="digits",
        description="T5 offline digits: 1,797 8x8 grey images, 10 classes",
        load=lambda: datasets.load_digits_images(return_X_y=True),
        metric="accuracy",
        classification=True,
        models=digits_models,
        reference="sklearn MLP(100) 0.977 (5-fold); target >= 0.99",
    ),
    "mnist": Task(
        name="mnist",
        description="T5 MNIST: 60k + 10k 28x28 grey digits (downloaded, 11 MB)",
        load=lambda: datasets.load_mnist(),
        metric="accuracy",
        classification=True,
        models=mnist_models,
        reference="book test error ~1.9% (MLP), ~1.0% (simple CNN), ~0.8% (larger)",
        available=_cached("mnist.npz"),
        holdout=True,
    ),
    "cifar10": Task(
        name="cifar10",
        description="T7 CIFAR-10: 50k + 10k 32x32 colour images (downloaded, 170 MB)",
        load=lambda: datasets.load_cifar10(),
        metric="accuracy",
        classification=True,
        models=cifar10_models,
        reference="book ~0.70 (small CNN) to ~0.80 (deeper, augmented)",
        available=_cached("cifar-10-python.tar.gz"),
        holdout=True,
    ),
    "sentiment": Task(
        name="sentiment",
        description="T9 offline: 3,000 labelled review sentences (IMDb, Amazon, Yelp)",
        load=lambda: datasets.load_sentiment_sentences(return_X_y=True),
        metric="accuracy",
        classification=True,
        models=sentiment_models,
        reference="TF-IDF (1-2 grams) + logistic regression 0.838; target >= 0.82",
    ),
    "imdb": Task(
        name="imdb",
        description="T9 IMDB reviews: 25k + 25k, 5,000 words, 500 tokens (downloaded)",
        load=lambda: datasets.load_imdb(num_words=5000, maxlen=500),
        metric="accuracy",
        classification=True,
        models=imdb_models,
        reference="book ~0.87-0.89 test accuracy (MLP, Conv1D, LSTM)",
        available=_cached("imdb.npz"),
        holdout=True,
    ),
}

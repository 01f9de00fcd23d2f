"""Untuned defaults of ``SequenceClassifier``: ``layer="auto"`` against one layer.

Each task is scored with 3-fold ``StratifiedKFold(shuffle=True)``; every model has
the estimator's defaults except ``layer`` (and ``random_state``):

- ``keyword``: class 1 holds one keyword id among 80 token ids (vocabulary 1,000);
- ``sentiment``: the packaged sentiment sentences behind
  ``TextVectorizer(max_tokens=5000, sequence_length=40)``;
- ``peak``, ``sum``, ``order``: numeric sequences (30 steps, 3 features) whose
  class is a spike somewhere, the sign of a sum over time, or which of two events
  comes first.

    python benchmarks/sequence_defaults.py                        # all tasks
    python benchmarks/sequence_defaults.py --tasks keyword order --layers auto lstm
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from sklkeras import SequenceClassifier, datasets  # noqa: E402
from sklkeras.text import TextVectorizer  # noqa: E402


def _keyword(rng, n=600, length=80, vocab=1000, keyword=7):
    X = rng.randint(1, vocab, size=(n, length))
    X[X == keyword] = keyword + 1
    y = rng.permutation(np.arange(n) % 2)
    pos = rng.randint(0, length, size=n)
    X[y == 1, pos[y == 1]] = keyword
    return X, y


def _numeric(rng, kind, n=600, steps=30):
    X = rng.normal(size=(n, steps, 3))
    if kind == "peak":
        y = rng.permutation(np.arange(n) % 2)
        pos = rng.randint(0, steps, n)
        X[y == 1, pos[y == 1], 0] += 4
        return X, y
    if kind == "sum":
        X = X * 0.5 + rng.normal(size=(n, 1, 1)) * 0.1
        return X, (X[:, :, 0].sum(axis=1) > 0).astype(int)
    X = X * 0.3
    a, b = rng.randint(0, steps, n), rng.randint(0, steps, n)
    X[np.arange(n), a, 0] += 3
    X[np.arange(n), b, 1] += 3
    keep = a != b
    return X[keep], (a < b).astype(int)[keep]


TASKS = ("keyword", "sentiment", "peak", "sum", "order")


def _model(task, layer, seed):
    clf = SequenceClassifier(layer=layer, random_state=seed)
    if task == "sentiment":
        return make_pipeline(TextVectorizer(max_tokens=5000, sequence_length=40), clf)
    return clf


def _data(task, seed):
    rng = np.random.RandomState(seed)
    if task == "keyword":
        return _keyword(rng)
    if task == "sentiment":
        return datasets.load_sentiment_sentences(return_X_y=True)
    return _numeric(rng, task)


def _layer_used(model, X, y) -> str:
    """The body ``model`` builds on this data (``layer_`` after a short fit)."""
    short = clone(model).set_params(**{_param(model, "epochs"): 1})
    fitted = short.fit(X[:64], y[:64])
    return (fitted[-1] if hasattr(fitted, "steps") else fitted).layer_


def _param(model, name):
    return f"{model.steps[-1][0]}__{name}" if hasattr(model, "steps") else name


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", nargs="+", choices=TASKS, default=list(TASKS))
    parser.add_argument("--layers", nargs="+", default=["auto", "lstm", "conv1d"])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", ConvergenceWarning)
    print(f"{'task':<10} {'layer':<8} {'used':<8} {'accuracy':>8} {'std':>6} {'s':>6}")
    for task in args.tasks:
        X, y = _data(task, args.seed)
        cv = StratifiedKFold(3, shuffle=True, random_state=args.seed)
        for layer in args.layers:
            model = _model(task, layer, args.seed)
            start = time.perf_counter()
            scores = cross_val_score(model, X, y, cv=cv)
            seconds = time.perf_counter() - start
            used = _layer_used(model, X, y)
            print(
                f"{task:<10} {layer:<8} {used:<8} {scores.mean():8.3f} "
                f"{scores.std():6.3f} {seconds:6.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()

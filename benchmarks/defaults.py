"""Untuned defaults: sklkeras's default MLPs against the linear baselines.

Every model is used with its defaults (only ``random_state`` set), after the same
standard preprocessing (``StandardScaler``; for bank marketing, one-hot encoding of
the categorical columns as well), on the same shuffled K-fold splits:

- Pima (accuracy), iris (accuracy), bank marketing (ROC AUC): ``MLPClassifier()``
  against ``LogisticRegression()`` and scikit-learn's ``MLPClassifier()``;
- Boston (MSE): ``MLPRegressor()`` against ``LinearRegression()`` and
  scikit-learn's ``MLPRegressor()``.

    python benchmarks/defaults.py                  # 5-fold, seed 1
    python benchmarks/defaults.py --cv 5 --seed 7 --tasks pima iris
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from sklearn.compose import make_column_selector, make_column_transformer  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LinearRegression, LogisticRegression  # noqa: E402
from sklearn.model_selection import KFold, StratifiedKFold, cross_validate  # noqa: E402
from sklearn.neural_network import MLPClassifier as SkMLPClassifier  # noqa: E402
from sklearn.neural_network import MLPRegressor as SkMLPRegressor  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402

from sklkeras import MLPClassifier, MLPRegressor, datasets  # noqa: E402


def _bank():
    X, y = datasets.load_bank_marketing(return_X_y=True)
    return X, (np.asarray(y) == "yes").astype(int)


def _bank_preprocessor():
    return make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore"),
            make_column_selector(dtype_include=object),
        ),
        (StandardScaler(), make_column_selector(dtype_exclude=object)),
    )


TASKS = {
    # name: (loader, classification, scoring, preprocessor)
    "pima": (
        lambda: datasets.load_pima_diabetes(return_X_y=True),
        True,
        "accuracy",
        StandardScaler,
    ),
    "iris": (lambda: load_iris(return_X_y=True), True, "accuracy", StandardScaler),
    "boston": (
        lambda: datasets.load_boston(return_X_y=True),
        False,
        "neg_mean_squared_error",
        StandardScaler,
    ),
    "bank": (_bank, True, "roc_auc", _bank_preprocessor),
}


def models(classification: bool, seed: int) -> dict:
    if classification:
        return {
            "sklkeras MLPClassifier()": MLPClassifier(random_state=seed),
            "LogisticRegression()": LogisticRegression(),
            "sklearn MLPClassifier()": SkMLPClassifier(random_state=seed),
        }
    return {
        "sklkeras MLPRegressor()": MLPRegressor(random_state=seed),
        "LinearRegression()": LinearRegression(),
        "sklearn MLPRegressor()": SkMLPRegressor(random_state=seed),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tasks", nargs="*", default=list(TASKS))
    args = parser.parse_args(argv)
    print(
        f"{args.cv}-fold, shuffled, seed {args.seed}; defaults, random_state={args.seed}"
    )
    print(f"| task | metric | {' | '.join(['sklkeras', 'linear', 'sklearn MLP'])} |")
    print("|---|---|---|---|---|")
    for task in args.tasks:
        loader, classification, scoring, pre = TASKS[task]
        X, y = loader()
        splitter = (StratifiedKFold if classification else KFold)(
            args.cv, shuffle=True, random_state=args.seed
        )
        cells = []
        for name, est in models(classification, args.seed).items():
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                scores = cross_validate(
                    make_pipeline(pre(), est), X, y, cv=splitter, scoring=scoring
                )["test_score"]
            if scoring.startswith("neg_"):
                scores = -scores
            seconds = (time.perf_counter() - start) / args.cv
            cells.append(f"{scores.mean():.3f} ± {scores.std():.3f} ({seconds:.2f} s)")
            print(f"  {task} {name}: {cells[-1]}", flush=True)
        metric = "MSE" if scoring.startswith("neg_") else scoring
        print(f"| {task} | {metric} | {' | '.join(cells)} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

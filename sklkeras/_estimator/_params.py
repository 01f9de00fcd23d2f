"""The parameters every sklkeras estimator shares, and what each may be
(scikit-learn's ``_parameter_constraints``, checked by ``_validate_params`` when
``fit`` starts)."""

from __future__ import annotations

import os
from numbers import Integral, Real

import keras
import numpy as np
from sklearn.utils._param_validation import HasMethods, Interval, Options, StrOptions

from ._builders import OPTIMIZERS

BASE_CONSTRAINTS: dict = {
    "epochs": [Interval(Integral, 1, None, closed="left")],
    "batch_size": [
        Interval(Integral, 1, None, closed="left"),
        StrOptions({"auto"}),
    ],
    "optimizer": [
        StrOptions(set(OPTIMIZERS)),
        keras.optimizers.Optimizer,
    ],
    "learning_rate_init": [Interval(Real, 0, None, closed="neither"), None],
    "learning_rate_schedule": [callable, HasMethods("keras_callback"), None],
    "checkpoint_dir": [str, os.PathLike, None],
    "checkpoint_best_only": ["boolean"],
    "distribution": [HasMethods(["scope"]), None],
    "loss": [str, callable, keras.losses.Loss, None],
    "metrics": [list, tuple, None],
    "early_stopping": ["boolean"],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "n_iter_no_change": [
        Interval(Integral, 1, None, closed="left"),
        Options(Real, {np.inf}),
        None,
    ],
    "tol": [Interval(Real, 0, None, closed="left")],
    "callbacks": [list, None],
    "random_state": ["random_state"],
    "warm_start": ["boolean"],
    "verbose": ["verbose"],
}

"""Learning-rate schedules, as small estimator parameters whose settings are searchable.

Pass one as ``learning_rate_schedule=`` to any sklkeras estimator; a grid search can
then tune its settings by name, e.g. ``{"learning_rate_schedule__drop": [0.5, 0.8]}``.
A plain function ``epoch -> learning rate`` works too. The rate used in each epoch
is recorded in ``history_["learning_rate"]``.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import keras
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval


class LearningRateSchedule(BaseEstimator):
    """Base class: turns the settings into a Keras callback at fit time."""

    def rate(self, epoch: int, initial_rate: float) -> float:
        """Learning rate of ``epoch`` (counted from 0) given the initial rate.

        Parameters
        ----------
        epoch : int
            Epoch index, from 0.
        initial_rate : float
            The optimizer's rate at the start of training.

        Returns
        -------
        rate : float
        """
        raise NotImplementedError

    def keras_callback(self, initial_rate: float) -> keras.callbacks.Callback:
        """The Keras callback applying this schedule from ``initial_rate``.

        Parameters
        ----------
        initial_rate : float
            The optimizer's rate at the start of training.

        Returns
        -------
        callback : keras.callbacks.Callback
        """
        self._validate_params()
        return keras.callbacks.LearningRateScheduler(
            lambda epoch, lr: float(self.rate(epoch, initial_rate))
        )


class TimeDecay(LearningRateSchedule):
    """Time-based decay: ``lr = initial / (1 + decay * epoch)``.

    Parameters
    ----------
    decay : float, default=0.01
        Decay per epoch (the notes use ``learning_rate / epochs``).

    Examples
    --------
    >>> from sklkeras.callbacks import TimeDecay
    >>> [round(TimeDecay(decay=0.5).rate(epoch, 0.1), 4) for epoch in range(4)]
    [0.1, 0.0667, 0.05, 0.04]
    """

    _parameter_constraints: dict = {"decay": [Interval(Real, 0, None, closed="left")]}

    def __init__(self, decay=0.01):
        self.decay = decay

    def rate(self, epoch, initial_rate):
        return initial_rate / (1.0 + self.decay * epoch)


class StepDecay(LearningRateSchedule):
    """Step decay: ``lr = initial * drop ** floor((1 + epoch) / epochs_drop)``.

    Parameters
    ----------
    drop : float, default=0.5
        Factor applied at each step.
    epochs_drop : int, default=10
        Epochs between steps.

    Examples
    --------
    >>> from sklkeras.callbacks import StepDecay
    >>> [StepDecay(drop=0.5, epochs_drop=2).rate(epoch, 0.1) for epoch in range(5)]
    [0.1, 0.05, 0.05, 0.025, 0.025]
    """

    _parameter_constraints: dict = {
        "drop": [Interval(Real, 0, 1, closed="right")],
        "epochs_drop": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, drop=0.5, epochs_drop=10):
        self.drop = drop
        self.epochs_drop = epochs_drop

    def rate(self, epoch, initial_rate):
        return initial_rate * self.drop ** math.floor((1 + epoch) / self.epochs_drop)


class ReduceOnPlateau(LearningRateSchedule):
    """Multiply the rate by ``factor`` when ``monitor`` stalls for ``patience`` epochs.

    Parameters
    ----------
    factor : float, default=0.5
        Factor applied on a plateau.
    patience : int, default=5
        Epochs without improvement before the rate drops.
    min_lr : float, default=1e-6
        Lower bound of the rate.
    monitor : str, default="loss"
        Quantity watched ("val_loss" needs ``early_stopping=True``).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklkeras import MLPClassifier
    >>> from sklkeras.callbacks import ReduceOnPlateau
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MLPClassifier(epochs=5, learning_rate_init=0.01, random_state=0,
    ...                     learning_rate_schedule=ReduceOnPlateau(patience=2))
    >>> rates = clf.fit(X, y).history_["learning_rate"]
    >>> len(rates), round(rates[0], 6), all(a >= b for a, b in zip(rates, rates[1:]))
    (5, 0.01, True)
    """

    _parameter_constraints: dict = {
        "factor": [Interval(Real, 0, 1, closed="neither")],
        "patience": [Interval(Integral, 0, None, closed="left")],
        "min_lr": [Interval(Real, 0, None, closed="left")],
        "monitor": [str],
    }

    def __init__(self, factor=0.5, patience=5, min_lr=1e-6, monitor="loss"):
        self.factor = factor
        self.patience = patience
        self.min_lr = min_lr
        self.monitor = monitor

    def keras_callback(self, initial_rate):
        self._validate_params()
        return keras.callbacks.ReduceLROnPlateau(
            monitor=self.monitor,
            factor=self.factor,
            patience=self.patience,
            min_lr=self.min_lr,
            verbose=0,
        )


def schedule_callback(schedule, initial_rate: float) -> keras.callbacks.Callback:
    """A Keras callback for a schedule object or a function ``epoch -> rate``."""
    if hasattr(schedule, "keras_callback"):
        return schedule.keras_callback(initial_rate)
    return keras.callbacks.LearningRateScheduler(
        lambda epoch, lr: float(schedule(epoch))
    )


__all__ = ["LearningRateSchedule", "ReduceOnPlateau", "StepDecay", "TimeDecay"]

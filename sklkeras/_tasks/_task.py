"""What a task is: its data, metric, models and reference figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Task:
    """One task: data, metric, the models to compare and the reference figures."""

    name: str
    description: str
    load: Callable[[], tuple]
    metric: str
    classification: bool
    models: Callable[[int, bool], dict]  # (seed, quick) -> {name: estimator}
    reference: str
    higher_is_better: bool = True
    extra: dict = field(default_factory=dict)
    # For the large datasets: True when the data is on disk (no download needed).
    available: Callable[[], bool] = lambda: True
    # Train/test split given by the dataset (its number of training rows), used
    # instead of cross-validation.
    holdout: bool = False


def epochs(quick: bool, full: int) -> int:
    """A model's epochs: ``full``, or 10 in a quick (smoke) run."""
    return 10 if quick else full

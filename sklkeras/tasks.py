"""The classic tasks of the book, each with the sklkeras model and its baselines.

Used by the task runner (``python -m sklkeras``); every model of a task is scored on
the same cross-validation splits. The tasks live in ``sklkeras._tasks``; this module
is their public face: ``TASKS``, ``evaluate`` and the feature functions that the
examples put in pipelines, ``add_contact_date`` and ``flatten_images``.
"""

from ._tasks import (
    METRICS,
    TASKS,
    Task,
    add_contact_date,
    evaluate,
    flatten_images,
)

__all__ = [
    "METRICS",
    "TASKS",
    "Task",
    "add_contact_date",
    "evaluate",
    "flatten_images",
]

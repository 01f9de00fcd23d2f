"""The task runner's tasks (``python -m sklkeras``): what a task is (``_task``), the
models of the tabular, image and text tasks (``_tabular``, ``_images``, ``_text``),
the tasks by name (``_registry``) and their scoring (``_evaluate``). The public
module is ``sklkeras.tasks``.
"""

from ._evaluate import (
    METRICS,
    evaluate,
)
from ._images import (
    flatten_images,
)
from ._registry import (
    TASKS,
)
from ._tabular import (
    add_contact_date,
)
from ._task import (
    Task,
)

__all__ = [
    "METRICS",
    "TASKS",
    "Task",
    "add_contact_date",
    "evaluate",
    "flatten_images",
]

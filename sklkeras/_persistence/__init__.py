"""Persistence: estimator files (``_estimator_files``), whole pipelines through
skops (``_pipelines``), pickling (``_pickling``), checkpoints of a running fit
(``_checkpoint``), checks of loaded state and atomic writes.
"""

from ._checkpoint import (
    CheckpointCallback,
    checkpoint_path,
    data_digest,
    load_checkpoint,
)
from ._estimator_files import (
    PersistenceMixin,
    export_json_weights,
    import_json_weights,
)
from ._moved import install as _install_moved_modules
from ._pickling import (
    PicklingMixin,
)
from ._pipelines import (
    load,
    save,
)

_install_moved_modules()


def __getattr__(name):
    # sklkeras 0.1's ``sklkeras._persistence`` was today's ``_estimator_files``:
    # files written by 0.1 may name its functions by that path.
    from . import _estimator_files

    try:
        return getattr(_estimator_files, name)
    except AttributeError:
        raise AttributeError(
            f"module 'sklkeras._persistence' has no attribute {name!r}"
        ) from None


__all__ = [
    "CheckpointCallback",
    "PersistenceMixin",
    "PicklingMixin",
    "checkpoint_path",
    "data_digest",
    "export_json_weights",
    "import_json_weights",
    "load",
    "load_checkpoint",
    "save",
]

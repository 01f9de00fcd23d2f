"""Small utilities every layer uses: compatibility shims for Keras and TensorFlow
(``_compat``), input checks (``_input_checks``), the runtime's scoped seeds and
quiet logs (``_runtime``), JAX's opt-in persistent compilation cache
(``_jax_cache``) and shared docstring pieces (``_docstrings``).
"""

from ._compat import (
    ExactL2,
    compile_loss_in,
    float64_supported,
    keras_backend,
    keras_file_saving,
    keras_temp_dirs_swept,
    limit_tensorflow_threads,
    process_alive,
    tensorflow_unimported_for_configs,
    undo_scikeras_monkeypatch,
)
from ._docstrings import (
    _SHARED,
    fill_doc,
    param_entries,
)
from ._input_checks import (
    FLOATX,
    check_any_X,
    check_classification_y,
    check_regression_y,
    check_sample_weight,
    check_tabular_X,
    check_y_given,
    validation_split,
)
from ._jax_cache import (
    use_jax_compilation_cache,
)
from ._runtime import (
    op_determinism_enabled,
    quiet_tensorflow,
    random_state_scope,
)

__all__ = [
    "op_determinism_enabled",
    "use_jax_compilation_cache",
    "ExactL2",
    "FLOATX",
    "_SHARED",
    "check_any_X",
    "check_classification_y",
    "check_regression_y",
    "check_sample_weight",
    "check_tabular_X",
    "check_y_given",
    "compile_loss_in",
    "fill_doc",
    "float64_supported",
    "keras_backend",
    "keras_file_saving",
    "keras_temp_dirs_swept",
    "limit_tensorflow_threads",
    "param_entries",
    "process_alive",
    "quiet_tensorflow",
    "random_state_scope",
    "tensorflow_unimported_for_configs",
    "undo_scikeras_monkeypatch",
    "validation_split",
]

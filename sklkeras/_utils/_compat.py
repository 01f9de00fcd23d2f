"""Version workarounds, each with the condition under which it can go.

Nothing here runs at import time except what is needed to import Keras quietly.
"""

from __future__ import annotations

import contextlib
import os
import threading

# TensorFlow prints C++ info lines (oneDNN, CPU features) on import. Quiet them unless
# the user has chosen a level. Remove when TensorFlow stops logging at INFO on import.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

# scikeras's ``__init__`` replaces ``__reduce__`` / ``__deepcopy__`` on these Keras
# classes process-wide (defect 3 in docs/design.md). Keras 3 pickles its own
# objects through ``KerasSaveable.__reduce__``, so undoing the patch restores it.
# Remove together with the scikeras dependency.
_SCIKERAS_PATCHED = (
    (keras.Model, "__reduce__"),
    (keras.Model, "__deepcopy__"),
    (keras.losses.Loss, "__reduce__"),
    (keras.metrics.Metric, "__reduce__"),
    (keras.optimizers.Optimizer, "__reduce__"),
)


def undo_scikeras_monkeypatch() -> None:
    """Remove the process-wide pickling patches that ``import scikeras`` installs.

    Only attributes whose value comes from scikeras are removed, so a patch someone
    else installed is left alone.
    """
    for cls, name in _SCIKERAS_PATCHED:
        value = vars(cls).get(name)
        if value is not None and getattr(value, "__module__", "").startswith(
            "scikeras"
        ):
            delattr(cls, name)


def limit_tensorflow_threads() -> None:
    """Size TensorFlow's thread pools from ``OMP_NUM_THREADS`` when it is set.

    joblib's workers get ``OMP_NUM_THREADS = cores // n_jobs``; TensorFlow ignores
    it and starts a pool per core in every worker, so ``n_jobs=2`` on two cores ran
    four busy threads. Only possible before TensorFlow's runtime starts; later it is
    a no-op. Remove if TensorFlow learns to read the variable itself.
    """
    value = os.environ.get("OMP_NUM_THREADS", "")
    if not value.isdigit() or int(value) < 1 or keras.backend.backend() != "tensorflow":
        return
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(int(value))
        # Two inter-op threads at least: some graphs block on a single one.
        tf.config.threading.set_inter_op_parallelism_threads(max(2, int(value)))
    except RuntimeError:  # the runtime is already initialised
        pass


def keras_backend() -> str:
    """Name of the active Keras backend ("tensorflow", "jax", ...).

    Examples
    --------
    >>> from sklkeras import keras_backend
    >>> keras_backend() in ("tensorflow", "jax", "torch")
    True
    """
    return keras.backend.backend()


_TEMP_LOCK = threading.RLock()


@contextlib.contextmanager
def keras_temp_dirs_swept():
    """Keras's scratch directories of this block go to ``<tmp>/sklkeras-<pid>/``.

    Keras's archive writer makes a scratch directory even when writing to a file
    object (its asset store) and removes it when done; a process killed meanwhile
    leaves it in the system's temporary folder, where nobody can tell whose it is.
    Here they go into a folder named after this process, and every save or load
    first removes the folders of processes that no longer exist. Keras's own
    ``get_temp_dir`` is swapped for one that differs only in the parent folder,
    for the duration of the block (serialised by a lock). Remove when Keras's
    public save/load take file objects without scratch directories.
    """
    saving = keras_file_saving()
    if saving is None or not hasattr(saving, "get_temp_dir"):  # pragma: no cover
        yield
        return
    import tempfile

    root = tempfile.gettempdir()
    own = os.path.join(root, f"sklkeras-{os.getpid()}")
    _sweep_dead_process_dirs(root)
    os.makedirs(own, exist_ok=True)
    with _TEMP_LOCK:
        original = saving.get_temp_dir
        saving.get_temp_dir = lambda: tempfile.mkdtemp(dir=own)
        try:
            yield
        finally:
            saving.get_temp_dir = original
    try:
        os.rmdir(own)  # empty unless another thread is saving
    except OSError:
        pass


def _sweep_dead_process_dirs(root: str) -> None:
    import shutil

    try:
        entries = os.listdir(root)
    except OSError:
        return
    for entry in entries:
        pid = entry[len("sklkeras-") :]
        if not entry.startswith("sklkeras-") or not pid.isdigit():
            continue
        if int(pid) == os.getpid() or process_alive(int(pid)):
            continue
        shutil.rmtree(os.path.join(root, entry), ignore_errors=True)


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (on this machine)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by another user
        return True
    return True


def keras_file_saving():
    """Keras's ``saving_lib`` (save/load a ``.keras`` archive to a file object).

    ``keras.saving.save_model`` / ``load_model`` take paths only (Keras 3.15), and
    a temporary directory per call is what a kill leaves behind. The library
    underneath takes file objects. Returns None if that private module moves; the
    callers then fall back to a temporary directory. Remove when the public API
    takes file objects.
    """
    try:
        from keras.src.saving import saving_lib
    except ImportError:  # pragma: no cover - depends on Keras's layout
        return None
    if not hasattr(saving_lib, "save_model") or not hasattr(saving_lib, "load_model"):
        return None  # pragma: no cover
    return saving_lib


_TF_PROBE_LOCK = threading.RLock()


@contextlib.contextmanager
def tensorflow_unimported_for_configs():
    """Keep Keras's config serializer from importing TensorFlow.

    ``serialize_keras_object`` asks Keras's lazy ``tensorflow`` module whether
    TensorFlow is installed (to test objects against ``tf.TensorShape`` and kin),
    and asking imports it: about 2.4 s on this machine, on the JAX backend's first
    ``get_config``. While TensorFlow is not imported no object can be one of its
    classes, so the probe may answer "unavailable" without importing. Does nothing
    once TensorFlow is imported, or if Keras's private module moves. Remove when
    Keras's serializer tests ``sys.modules`` instead of importing.
    """
    import sys

    try:
        from keras.src.saving import serialization_lib

        lazy = serialization_lib.tf
    except (ImportError, AttributeError):  # pragma: no cover - Keras's layout
        lazy = None
    if (
        lazy is None
        or "tensorflow" in sys.modules
        or getattr(lazy, "_available", True) is not None
    ):
        yield
        return
    with _TF_PROBE_LOCK:
        lazy._available = False
        try:
            yield
        finally:
            if lazy._available is False and getattr(lazy, "module", None) is None:
                lazy._available = None


def compile_loss_in(model, dtype: str) -> None:
    """Make the compiled loss of ``model`` sum and report in ``dtype``.

    Keras 3.15's ``compile`` builds its ``CompileLoss`` and its ``loss`` tracker in
    ``floatx()`` (float32) whatever the network's dtype: a float64 network's loss
    was rounded to float32 before the L2 penalty (in float64) was added, so
    ``compute_loss`` failed to add the two, and L-BFGS and the loss curve would
    see float32 values. Called before training (also on a loaded network), before
    any training function is traced. Remove when ``Model.compile`` follows the
    model's dtype policy.
    """
    from keras.src import dtype_policies

    # A loss object read back from a saved network comes in floatx() (its config
    # holds no dtype): a resumed float64 run then rounded its loss to float32.
    losses = getattr(model, "loss", None)
    for loss in losses if isinstance(losses, (list, tuple)) else [losses]:
        if isinstance(loss, keras.losses.Loss) and loss.dtype != dtype:
            loss._dtype_policy = dtype_policies.get(dtype)
            loss._dtype = loss._dtype_policy.compute_dtype
    compiled = getattr(model, "_compile_loss", None)
    if compiled is not None and compiled.dtype != dtype:
        compiled._dtype_policy = dtype_policies.get(dtype)
        compiled._dtype = compiled._dtype_policy.compute_dtype
    tracker = getattr(model, "_loss_tracker", None)
    if tracker is not None and tracker.dtype != dtype:
        model._loss_tracker = keras.metrics.Mean(name="loss", dtype=dtype)


@keras.saving.register_keras_serializable(package="sklkeras")
class ExactL2(keras.regularizers.Regularizer):
    """``l2 * sum(W ** 2)`` in the weights' dtype (the MLPs' L2 penalty).

    Keras 3.15's ``L2`` casts its factor through float32 (``ops.cast`` of a Python
    float), so a float64 network's penalty was off by ~1e-8 relative; here the
    factor multiplies in the weights' dtype, as scikit-learn's penalty does. Keep
    the class (saved networks refer to it) but use ``keras.regularizers.L2`` for new
    ones when Keras casts in the weights' dtype.
    """

    def __init__(self, l2: float = 0.0):
        self.l2 = float(l2)

    def __call__(self, x):
        return keras.ops.sum(keras.ops.square(x)) * self.l2

    def get_config(self):
        return {"l2": self.l2}


def float64_supported() -> bool:
    """Whether the Keras backend computes in float64 (JAX only with ``jax_enable_x64``,
    which it leaves off by default and then silently runs float64 in float32)."""
    if keras.backend.backend() != "jax":
        return True
    import jax

    return bool(jax.config.jax_enable_x64)

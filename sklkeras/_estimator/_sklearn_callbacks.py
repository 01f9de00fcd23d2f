"""scikit-learn's callbacks (``sklearn.callback``, scikit-learn >= 1.9) on a fit.

Every estimator is a ``CallbackSupportMixin`` (``set_callbacks``). A ``fit`` is
one root task whose subtasks are its epochs, at most the epoch limit of the fit
(``max_subtasks``), as scikit-learn's own iterative estimators have one subtask
per iteration:

- ``fit_tasks`` opens the root task around ``fit`` (or merges it into the task of
  a meta-estimator, a ``Pipeline`` or a search, that propagated its callbacks)
  and keeps what the fit was given (``FitData``) for the epochs' hooks;
- ``EpochTasks`` is the Keras callback, last of a run's callbacks, that opens one
  subtask per epoch on every trainer (each calls ``on_epoch_begin`` /
  ``on_epoch_end`` as ``Model.fit`` does). Its ``on_fit_task_end`` hooks get the
  training rows the epoch trained on (as given to ``fit``, less the validation
  rows) and an estimator ready to predict with the epoch's weights; a hook that
  returns True stops training at that epoch, and the fit reports the epochs it
  ran (``n_iter_``) as when its own stopping rule stops it.

Nothing here runs without callbacks beyond creating the (empty) root context.
"""

from __future__ import annotations

import contextlib
import dataclasses

import keras
from sklearn.utils import _safe_indexing

try:  # scikit-learn >= 1.9
    from sklearn.callback import CallbackSupportMixin
    from sklearn.callback._callback_support import callback_management_context
except ImportError:  # pragma: no cover - older scikit-learn: no callbacks

    class CallbackSupportMixin:  # type: ignore[no-redef]
        """scikit-learn < 1.9 has no callbacks: nothing to support."""

    callback_management_context = None


@dataclasses.dataclass
class FitData:
    """What ``fit`` was given, as given: the hooks score on these rows."""

    X: object
    y: object
    sample_weight: object = None
    X_val: object = None
    y_val: object = None
    sample_weight_val: object = None

    @property
    def validating(self) -> bool:
        return self.X_val is not None

    def metadata(self, sample_weight=None):
        return None if sample_weight is None else {"sample_weight": sample_weight}


def fit_data(est) -> FitData | None:
    """The ``FitData`` of the fit running on ``est`` (None outside ``fit``)."""
    return est.__dict__.get("_fit_data")


@contextlib.contextmanager
def fit_tasks(est, data: FitData, max_epochs: int, *, manage: bool = False):
    """The root task of one ``fit`` of ``est`` around the block.

    Callbacks' ``teardown`` runs in scikit-learn's ``callback_management_context``:
    ``_fit_context`` opens it around ``fit``; ``manage=True`` opens one here (for a
    fit that is not under ``_fit_context``).
    """
    with managed(est) if manage else contextlib.nullcontext():
        with _root_task(est, data, max_epochs):
            yield


@contextlib.contextmanager
def _root_task(est, data, max_epochs):
    est._fit_data = data
    try:
        if not hasattr(est, "_init_callback_context"):  # pragma: no cover
            yield
            return
        ctx = est._init_callback_context(max_subtasks=max(int(max_epochs), 0))
        metadata = data.metadata(data.sample_weight)
        ctx.call_on_fit_task_begin(estimator=est, X=data.X, y=data.y, metadata=metadata)
        yield
        ctx.call_on_fit_task_end(
            estimator=est,
            X=data.X,
            y=data.y,
            metadata=metadata,
            reconstruction_attributes={},
        )
    finally:
        est.__dict__.pop("_fit_data", None)


def managed(est):
    """scikit-learn's teardown of callbacks around a fit not under ``_fit_context``."""
    if callback_management_context is None:  # pragma: no cover
        return contextlib.nullcontext()
    return callback_management_context(est)


class EpochTasks(keras.callbacks.Callback):
    """One subtask of the fit's root task per epoch (see the module doc).

    ``stopped`` tells whether a hook's True stopped the run (no ConvergenceWarning
    then: the run stopped by a rule, as with the estimator's own).
    """

    def __init__(self, estimator, context, X, y, sample_weight=None):
        super().__init__()
        self.estimator = estimator
        self.context = context
        self.X, self.y = X, y
        self.metadata = (
            None if sample_weight is None else {"sample_weight": sample_weight}
        )
        self.epochs_run = 0
        self.stopped = False
        self._task = None

    def begin(self):
        self._task = self.context.subcontext(task_name="epoch")
        self._task.call_on_fit_task_begin(
            estimator=self.estimator, X=self.X, y=self.y, metadata=self.metadata
        )

    def end(self) -> bool:
        """End the epoch's task; True when a hook asks to stop."""
        task, self._task = self._task, None
        if task is None:
            return False
        self.epochs_run += 1
        stop = task.call_on_fit_task_end(
            estimator=self.estimator,
            X=self.X,
            y=self.y,
            metadata=self.metadata,
            reconstruction_attributes=lambda n=self.epochs_run: {"n_iter_": n},
        )
        self.stopped = self.stopped or bool(stop)
        return bool(stop)

    def on_epoch_begin(self, epoch, logs=None):
        self.begin()

    def on_epoch_end(self, epoch, logs=None):
        if self.end() and self.model is not None:
            self.model.stop_training = True


class FitTasksMixin(CallbackSupportMixin):
    """``set_callbacks`` (scikit-learn's), and the fit's tasks as methods for the
    layers that subclass the base (the wrappers' Keras-``fit`` path)."""

    def _fit_tasks(self, X, y, sample_weight=None, *, epochs, manage=False, **val):
        """``fit_tasks`` on what ``fit`` was given (``val``: ``X_val``, ...)."""
        return fit_tasks(
            self, FitData(X, y, sample_weight, **val), epochs, manage=manage
        )

    def _epoch_tasks(self, idx_train=None):
        return epoch_tasks(self, idx_train)


def epoch_tasks(est, idx_train=None) -> EpochTasks | None:
    """The ``EpochTasks`` of the fit running on ``est``, on its training rows
    (``idx_train`` of the rows ``fit`` was given; None: all), or None when the fit
    has no callback context (``partial_fit``) or ``est`` no callbacks (so a run
    without them trains fused as before)."""
    ctx = est.__dict__.get("_callback_fit_ctx")
    data = fit_data(est)
    if ctx is None or data is None or not getattr(est, "_skl_callbacks", None):
        return None  # no hook to call: the run's callbacks stay as they were
    X, y, sw = data.X, data.y, data.sample_weight
    if idx_train is not None:
        try:
            X = _safe_indexing(X, idx_train)
            y = None if y is None else _safe_indexing(y, idx_train)
            sw = None if sw is None else _safe_indexing(sw, idx_train)
        except (TypeError, ValueError, IndexError):  # e.g. a dict of inputs
            X = y = sw = None
    return EpochTasks(est, ctx, X, y, sw)


__all__ = [
    "CallbackSupportMixin",
    "FitTasksMixin",
    "EpochTasks",
    "FitData",
    "epoch_tasks",
    "fit_data",
    "fit_tasks",
    "managed",
]

"""Pickling and skops state of the estimators: two doors, one trusted.

- ``pickle`` / ``joblib`` / ``copy.deepcopy`` go through ``__reduce_ex__``: the
  whole state, the network in Keras's format, loaded back with Keras's safe mode
  off (whoever unpickles already runs whatever the pickle says, so safe mode would
  add nothing). ``copy.copy`` is shallow: the copy shares the network.
- Everything else that asks for ``__getstate__`` / ``__setstate__``, which is how
  ``skops.io`` persists objects it has no special rule for, gets the estimator in
  its own ``.skk`` form (parameters and fitted state as JSON, the network in
  Keras's format) as bytes, and ``__setstate__`` loads it in Keras's safe mode: a
  ``.skops`` file cannot run code by holding a network with a ``Lambda`` layer.
  The user trusts such a file with ``sklkeras.load(path, safe_mode=False)`` or
  with Keras's own switch, ``keras.config.enable_unsafe_deserialization()``.

Parameters the ``.skk`` form cannot hold as JSON but that are plain functions or
classes (a ``KerasClassifier``'s model-building function, a custom loss) travel
next to it as themselves, so skops stores them by reference and asks the user to
trust them like any function in a pipeline.
"""

from __future__ import annotations

import contextlib
import contextvars
import inspect
import io
import os
import tempfile
import warnings

from sklearn.base import BaseEstimator

from . import _estimator_files

_SKK = "_sklkeras_skk"
_OBJECTS = "_sklkeras_objects"

# (safe_mode, custom_objects) for the networks of estimators being unpickled by
# skops, as sklkeras.load sets them; None means: Keras's safe mode, as Keras has it.
_LOADING: contextvars.ContextVar = contextvars.ContextVar("sklkeras_loading")


@contextlib.contextmanager
def loading_networks(*, safe_mode: bool, custom_objects: dict | None):
    """How networks inside a skops file are loaded while the block runs."""
    token = _LOADING.set((safe_mode, dict(custom_objects or {})))
    try:
        yield
    finally:
        _LOADING.reset(token)


def _loading_settings():
    settings = _LOADING.get(None)
    if settings is not None:
        return settings
    return _keras_safe_mode(), {}


def _keras_safe_mode() -> bool:
    """False only when the user ran ``keras.config.enable_unsafe_deserialization()``.

    Keras has no public getter for that switch (Keras 3.15); its loaders read it
    from ``serialization_lib.in_safe_mode``.
    """
    try:
        from keras.src.saving import serialization_lib
    except ImportError:  # pragma: no cover - a Keras without the module
        return True
    return serialization_lib.in_safe_mode() is not False


def _by_reference(value) -> bool:
    return (
        inspect.isfunction(value) or inspect.isbuiltin(value) or inspect.isclass(value)
    )


def _restore_pickled(cls, state):
    """Rebuild an estimator from ``pickle`` (the trusted door)."""
    estimator = cls.__new__(cls)
    data = state.pop("_model_bytes", None)
    BaseEstimator.__setstate__(estimator, state)
    if data is not None:
        estimator.model_ = _estimator_files.model_from_bytes(
            data, estimator._custom_objects()
        )
    return estimator


class PicklingMixin:
    """``__reduce_ex__`` for pickle; ``__getstate__`` / ``__setstate__`` for skops."""

    def __copy__(self):
        # A shallow copy shares the network, as BaseEstimator's shares its arrays
        # (scikit-learn's callbacks copy the estimator at every epoch to score it).
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new

    def __reduce_ex__(self, protocol):
        state = dict(BaseEstimator.__getstate__(self))
        if state.get("distribution") is not None:
            state["distribution"] = None  # devices of this process; not portable
        model = state.pop("model_", None)
        if model is not None:
            state["_model_bytes"] = _estimator_files.model_to_bytes(model)
        return _restore_pickled, (type(self), state)

    def __getstate__(self):
        if not self.__sklearn_is_fitted__():
            state = dict(BaseEstimator.__getstate__(self))
            state["distribution"] = None
            return state
        unsaved = {
            name: value
            for name, value in self.get_params(deep=False).items()
            if not _json_ready(value)
        }
        objects = {k: v for k, v in unsaved.items() if _by_reference(v)}
        lost = sorted(set(unsaved) - set(objects))
        if lost:
            warnings.warn(
                f"Parameters {lost} hold Python objects and are not saved; the "
                "loaded estimator predicts the same but has their defaults (set "
                "them again before fitting it anew).",
                UserWarning,
                stacklevel=2,
            )
        state = {_SKK: _skk_bytes(self)}
        if objects:
            state[_OBJECTS] = objects
        return state

    def __setstate__(self, state):
        if _SKK in state:
            self._set_skk_state(state)
            return
        state = dict(state)
        data = state.pop("_model_bytes", None)
        BaseEstimator.__setstate__(self, state)
        if data is not None:  # the state older sklkeras versions gave skops
            safe_mode, custom = _loading_settings()
            self.model_ = _load_network(data, self, safe_mode, custom)

    def _set_skk_state(self, state):
        safe_mode, custom = _loading_settings()
        objects = dict(state.get(_OBJECTS) or {})
        custom = {**custom, **_named(objects.values())}
        try:
            loaded = _estimator_files.load(
                io.BytesIO(state[_SKK]), safe_mode=safe_mode, custom_objects=custom
            )
        except ValueError as exc:
            if "safe_mode=False" in str(exc):
                raise ValueError(_UNSAFE) from None
            raise
        if type(loaded) is not type(self):
            raise ValueError(
                f"The file holds a {type(loaded).__name__} where a "
                f"{type(self).__name__} was expected."
            )
        self.__dict__.update(loaded.__dict__)
        for name, value in objects.items():
            if name in self._get_param_names() or name in getattr(
                self, "_model_param_names", ()
            ):
                setattr(self, name, value)


def _json_ready(value) -> bool:
    try:
        _estimator_files._encode(value)
    except _estimator_files.NotSerializable:
        return False
    return True


def _named(values) -> dict:
    return {
        v.__name__: v
        for v in values
        if callable(v) and getattr(v, "__name__", None) and not inspect.isclass(v)
    }


def _skk_bytes(estimator) -> bytes:
    """The estimator's ``.skk`` file as bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "estimator.skk")
        _estimator_files.save(estimator, path, quiet=True)
        with open(path, "rb") as fh:
            return fh.read()


def _load_network(data: bytes, estimator, safe_mode: bool, custom: dict):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        with open(path, "wb") as fh:
            fh.write(data)
        import keras

        objects = {**custom, **estimator._custom_objects()}
        try:
            return keras.saving.load_model(
                path, custom_objects=objects, compile=True, safe_mode=safe_mode
            )
        except ValueError as exc:
            if "safe_mode" in str(exc) or "unsafe" in str(exc).lower():
                raise ValueError(_UNSAFE) from None
            raise


_UNSAFE = (
    "The file holds a network whose loading runs Python code (e.g. a Lambda "
    "layer). Load it only if you trust the file: sklkeras.load(path, "
    "safe_mode=False), or keras.config.enable_unsafe_deserialization() before "
    "skops.io.load."
)


__all__ = ["PicklingMixin", "loading_networks"]

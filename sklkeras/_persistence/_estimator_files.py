"""Saving a fitted estimator to one file, and loading it back without pickle.

The file is a zip archive holding ``model.keras`` (Keras's own format) and
``estimator.json`` (the class, its parameters and fitted state). Loading imports
only sklkeras's own estimator classes and loads the network in Keras's safe mode
unless told otherwise, so a file from elsewhere cannot run code by being opened.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import tempfile
import warnings
import zipfile

import keras
import numpy as np
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.validation import check_is_fitted

from .._utils import (
    keras_file_saving,
    keras_temp_dirs_swept,
)
from ._atomic import write_atomically
from ._saved_state import check_loaded_state

FORMAT = "sklkeras-estimator/1"
_CLASSES = {
    "MLPClassifier": "sklkeras.mlp",
    "MLPRegressor": "sklkeras.mlp",
    "CNNClassifier": "sklkeras.cnn",
    "SequenceClassifier": "sklkeras.sequence",
    "KerasClassifier": "sklkeras.wrappers",
    "KerasRegressor": "sklkeras.wrappers",
}


class NotSerializable(TypeError):
    pass


def model_to_bytes(model: keras.Model) -> bytes:
    """The network in Keras's ``.keras`` format, as bytes (in memory: no
    temporary directory for a kill to leave behind)."""
    saving = keras_file_saving()
    if saving is not None:
        buffer = io.BytesIO()
        with keras_temp_dirs_swept():
            saving.save_model(model, buffer)
        return buffer.getvalue()
    with tempfile.TemporaryDirectory() as tmp:  # pragma: no cover - fallback
        path = os.path.join(tmp, "model.keras")
        model.save(path)
        with open(path, "rb") as fh:
            return fh.read()


def model_from_bytes(
    data: bytes, custom_objects: dict, *, safe_mode: bool = False
) -> keras.Model:
    """The network back from ``model_to_bytes``.

    Unpickling already trusts the pickle, so Keras's safe mode is off by default
    there; ``load`` passes the user's choice.
    """
    saving = keras_file_saving()
    if saving is not None:
        with keras_temp_dirs_swept():
            return saving.load_model(
                io.BytesIO(data),
                custom_objects=custom_objects,
                compile=True,
                safe_mode=safe_mode,
            )
    with tempfile.TemporaryDirectory() as tmp:  # pragma: no cover - fallback
        path = os.path.join(tmp, "model.keras")
        with open(path, "wb") as fh:
            fh.write(data)
        return keras.saving.load_model(
            path, custom_objects=custom_objects, compile=True, safe_mode=safe_mode
        )


def _encode(value):
    """JSON-ready form of a value, or NotSerializable."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.dtype):
        return {"__dtype__": value.str}
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return {
                "__ndarray__": [_encode(v) for v in value.tolist()],
                "dtype": "object",
            }
        return {"__ndarray__": value.tolist(), "dtype": str(value.dtype)}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"__dict__": {k: _encode(v) for k, v in value.items()}}
    if isinstance(value, LabelEncoder):
        return {"__label_encoder__": _encode(value.classes_)}
    if isinstance(value, keras.optimizers.Optimizer):
        config = keras.optimizers.serialize(value)
        try:
            json.dumps(config)
        except TypeError:
            raise NotSerializable(type(value).__name__) from None
        return {"__keras_optimizer__": config}
    from .. import callbacks

    if (
        isinstance(value, callbacks.LearningRateSchedule)
        and type(value).__name__ in callbacks.__all__
    ):
        params = {k: _encode(v) for k, v in value.get_params().items()}
        return {"__schedule__": type(value).__name__, "params": params}
    raise NotSerializable(type(value).__name__)


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__ndarray__" in value:
        return np.asarray(_decode(value["__ndarray__"]), dtype=value["dtype"])
    if "__dtype__" in value:
        return np.dtype(value["__dtype__"])
    if "__tuple__" in value:
        return tuple(_decode(v) for v in value["__tuple__"])
    if "__dict__" in value:
        return {k: _decode(v) for k, v in value["__dict__"].items()}
    if "__schedule__" in value:
        from .. import callbacks

        if value["__schedule__"] not in callbacks.__all__:
            raise ValueError(f"Unknown schedule {value['__schedule__']!r} in the file.")
        cls = getattr(callbacks, value["__schedule__"])
        return cls(**{k: _decode(v) for k, v in value["params"].items()})
    if "__keras_optimizer__" in value:
        return keras.optimizers.deserialize(value["__keras_optimizer__"])
    if "__label_encoder__" in value:
        encoder = LabelEncoder()
        encoder.classes_ = _decode(value["__label_encoder__"])
        return encoder
    raise ValueError(f"Unknown value in the estimator file: {sorted(value)}")


def save(
    estimator, path, *, history=None, progress=None, extra=None, quiet=False
) -> None:
    """Write a fitted estimator to ``path`` (one file; written atomically).

    ``history`` replaces ``history_`` in the file, ``progress`` adds a
    ``progress.json`` entry and ``extra`` further named members (bytes), all for
    checkpoints written during training.
    """
    check_is_fitted(estimator)
    name = type(estimator).__name__
    if _CLASSES.get(name) != type(estimator).__module__:
        raise TypeError(f"save() handles sklkeras's estimators only; got {name}.")
    params, skipped = {}, []
    for key, value in estimator.get_params(deep=False).items():
        try:
            params[key] = _encode(value)
        except NotSerializable:
            skipped.append(key)
    if skipped and not quiet:
        warnings.warn(
            f"Parameters {skipped} hold Python objects and are not saved; the loaded "
            "estimator predicts the same but has their defaults (set them again "
            "before fitting it anew).",
            UserWarning,
            stacklevel=3,
        )
    fitted = {}
    for key, value in vars(estimator).items():
        if key == "model_" or not key.endswith("_") or key in params:
            continue
        if key in getattr(estimator, "_rebuilt_on_load", ()):
            continue  # not needed to predict (e.g. the wrappers' default encoders)
        try:
            fitted[key] = _encode(
                history if key == "history_" and history is not None else value
            )
        except NotSerializable:
            raise TypeError(
                f"Cannot save fitted attribute {key!r} ({type(value).__name__})."
            ) from None
    document = {
        "format": FORMAT,
        "class": name,
        "keras": keras.__version__,
        "params": params,
        "skipped_params": skipped,
        "fitted": fitted,
    }
    model_bytes = model_to_bytes(estimator.model_)
    members = {"estimator.json": json.dumps(document), "model.keras": model_bytes}
    if progress is not None:
        members["progress.json"] = json.dumps(progress)
    members.update(extra or {})
    write_atomically(path, members)


def load(path, *, safe_mode=True, custom_objects=None):
    """Load an estimator written by ``save`` (``est.save(path)``).

    Parameters
    ----------
    path : str or path-like
        The file.
    safe_mode : bool, default=True
        Keras's safe mode: refuse networks whose loading would run arbitrary code
        (``Lambda`` layers holding Python bytecode). Pass False only for files you
        trust.
    custom_objects : dict or None, default=None
        Custom losses, metrics or layers the network refers to, by name.

    Returns
    -------
    estimator : fitted sklkeras estimator
        Predicts exactly as the saved one.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from sklkeras import MLPClassifier, load
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MLPClassifier(hidden_layer_sizes=(8,), epochs=5, random_state=0).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "iris.skk")
    >>> clf.save(path)
    >>> restored = load(path)
    >>> bool((restored.predict_proba(X) == clf.predict_proba(X)).all())
    True
    """
    try:
        with zipfile.ZipFile(path) as archive:
            document = json.loads(archive.read("estimator.json"))
            model_bytes = archive.read("model.keras")
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not an sklkeras estimator file: {exc}") from None
    if document.get("format") != FORMAT or document.get("class") not in _CLASSES:
        raise ValueError(
            f"{path} is not an sklkeras estimator file (format {document.get('format')!r}, "
            f"class {document.get('class')!r})."
        )
    cls = getattr(
        importlib.import_module(_CLASSES[document["class"]]), document["class"]
    )
    try:
        estimator = cls(**{k: _decode(v) for k, v in document["params"].items()})
        for key, value in document["fitted"].items():
            setattr(estimator, key, _decode(value))
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise ValueError(
            f"{path} holds estimator state that cannot be read "
            f"({type(exc).__name__}: {exc})."
        ) from None
    objects = dict(custom_objects or {})
    objects.update(estimator._custom_objects())
    try:
        estimator.model_ = model_from_bytes(model_bytes, objects, safe_mode=safe_mode)
    except Exception as exc:  # Keras raises many types for a broken archive
        if "safe_mode" in str(exc) or "unsafe" in str(exc).lower():
            raise ValueError(
                f"{path} holds a network whose loading runs Python code (e.g. a "
                "Lambda layer). Load it only if you trust the file, with "
                "sklkeras.load(path, safe_mode=False)."
            ) from None
        raise ValueError(
            f"{path}: the network inside it (model.keras) cannot be read; the file "
            f"is corrupt or incomplete ({type(exc).__name__}: {exc})."
        ) from None
    check_loaded_state(estimator, path)
    return estimator


def read_member(path, name):
    """The bytes of member ``name`` of an estimator file, or None."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read(name)
    except (OSError, KeyError, zipfile.BadZipFile):
        return None


def read_progress(path):
    """``progress.json`` of a checkpoint file, or None when absent or unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            return json.loads(archive.read("progress.json"))
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError):
        return None


class PersistenceMixin:
    """``save`` for estimators (pickling is ``_pickling.PicklingMixin``'s)."""

    def save(self, path) -> None:
        """Save the fitted estimator to one file (the network and its state).

        Load it with :func:`sklkeras.load`; no pickle is involved, and the file is
        written atomically (a crash never leaves a half-written file at ``path``).
        Optimizer objects and learning-rate schedules are stored with their
        settings; other parameters holding Python objects (callbacks, model
        functions) are not: the loaded estimator predicts identically but has their
        defaults.

        Parameters
        ----------
        path : str or path-like
            Destination file, conventionally ``*.skk``.
        """
        save(self, path)

    def _custom_objects(self) -> dict:
        objs = {}
        candidates = [self.loss] + list(self.metrics or [])
        for obj in candidates:
            if callable(obj) and not isinstance(obj, type):
                name = getattr(obj, "__name__", None) or getattr(obj, "name", None)
                if name:
                    objs[name] = obj
        return objs


def export_json_weights(estimator, json_path, weights_path) -> None:
    """The notes' two-part export: architecture as JSON, weights as HDF5.

    Read the pair back with :func:`import_json_weights`; the estimator's own state
    (classes, input checks) is not part of it: use ``est.save`` for a complete file.

    Parameters
    ----------
    estimator : fitted sklkeras estimator
        The estimator whose ``model_`` is exported.
    json_path : str or path-like
        File to write the architecture to (``model.to_json()``).
    weights_path : str or path-like
        File to write the weights to; must end in ``.weights.h5`` (Keras 3's rule).

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from sklkeras import MLPClassifier, export_json_weights, import_json_weights
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MLPClassifier(hidden_layer_sizes=(8,), epochs=5, random_state=0).fit(X, y)
    >>> folder = tempfile.mkdtemp()
    >>> json_path = os.path.join(folder, "model.json")
    >>> weights_path = os.path.join(folder, "model.weights.h5")
    >>> export_json_weights(clf, json_path, weights_path)
    >>> model = import_json_weights(json_path, weights_path)
    >>> model.predict(X[:2], verbose=0).shape
    (2, 3)
    """
    check_is_fitted(estimator)
    if not os.fspath(weights_path).endswith(".weights.h5"):
        raise ValueError(
            f"weights_path must end in '.weights.h5'; got {weights_path!r}."
        )
    with open(json_path, "w", encoding="utf-8") as fh:
        fh.write(estimator.model_.to_json())
    estimator.model_.save_weights(weights_path)


def import_json_weights(json_path, weights_path, *, custom_objects=None):
    """A ``keras.Model`` rebuilt from an architecture JSON and a weights file.

    Parameters
    ----------
    json_path : str or path-like
        Architecture written by :func:`export_json_weights`.
    weights_path : str or path-like
        Weights written by :func:`export_json_weights` (``.weights.h5``).
    custom_objects : dict or None, default=None
        Custom layers, losses or functions the architecture refers to, by name.

    Returns
    -------
    model : keras.Model
        The network with its trained weights, ready for ``model.predict``.
    """
    with open(json_path, encoding="utf-8") as fh:
        model = keras.models.model_from_json(fh.read(), custom_objects=custom_objects)
    model.load_weights(weights_path)
    return model

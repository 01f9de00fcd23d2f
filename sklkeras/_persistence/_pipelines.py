"""``sklkeras.save`` / ``sklkeras.load``: estimators, and anything holding them.

An sklkeras estimator is written in its own ``.skk`` form (``_estimator_files``). Any
other scikit-learn object (a Pipeline, a ColumnTransformer, a search's
``best_estimator_``) is written with ``skops.io``, which stores objects as data
and never pickles; the sklkeras estimators inside it store themselves in their
``.skk`` form (``_pickling``), so their networks load in Keras's safe mode. The
result is an ordinary ``.skops`` file: ``skops.io.load`` reads it too.

Loading a ``.skops`` file trusts scikit-learn's and NumPy's types (as skops does,
plus ``make_column_selector``, which holds settings only) and sklkeras's own
classes, whose state is JSON and a Keras file; any other type
(a function of a FunctionTransformer, a model-building function, a class of
yours) must be named in ``trusted=`` after reading the list the error gives.
"""

from __future__ import annotations

import os
import tempfile
import zipfile

from . import _estimator_files
from ._pickling import loading_networks

# sklkeras's types that hold no code: trusted inside .skops files.
SKLKERAS_TYPES = (
    "sklkeras.mlp.MLPClassifier",
    "sklkeras.mlp.MLPRegressor",
    "sklkeras.cnn.CNNClassifier",
    "sklkeras.sequence.SequenceClassifier",
    "sklkeras.wrappers.KerasClassifier",
    "sklkeras.wrappers.KerasRegressor",
    "sklkeras.text.TextVectorizer",
    "sklkeras.callbacks.TimeDecay",
    "sklkeras.callbacks.StepDecay",
    "sklkeras.callbacks.ReduceOnPlateau",
    # scikit-learn's column picker by dtype or name pattern: settings only, though
    # skops 0.16 does not trust it by default.
    "sklearn.compose._column_transformer.make_column_selector",
)


def _skops():
    try:
        import skops.io
    except ImportError as exc:
        raise ImportError(
            "Saving scikit-learn objects that hold sklkeras estimators needs skops "
            f'(pip install "sklkeras[skops]"): {exc}'
        ) from None
    return skops.io


def save(obj, path) -> None:
    """Save a fitted estimator, or a pipeline holding sklkeras estimators, safely.

    An sklkeras estimator is written as one ``.skk`` file (as ``est.save(path)``:
    the network in Keras's format, parameters and fitted state as JSON). Any
    other scikit-learn object, a ``Pipeline``, a ``ColumnTransformer``, a
    search's ``best_estimator_``, is written with ``skops.io`` (conventionally
    ``*.skops``; the ``skops`` extra), in which each sklkeras estimator is kept in
    its ``.skk`` form. No pickle is involved either way, and the file is written
    atomically: a crash never leaves a half-written file at ``path``. Read it
    back with :func:`sklkeras.load` (``skops.io.load`` reads ``.skops`` files
    too).

    Parameters
    ----------
    obj : estimator
        A fitted sklkeras estimator, or a scikit-learn object (fitted or not)
        holding any number of them.
    path : str or path-like
        Destination file.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> import sklkeras
    >>> from sklkeras import MLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> pipe = make_pipeline(StandardScaler(), MLPClassifier(
    ...     hidden_layer_sizes=(8,), epochs=5, random_state=0)).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "iris.skops")
    >>> sklkeras.save(pipe, path)
    >>> restored = sklkeras.load(path)
    >>> bool((restored.predict_proba(X) == pipe.predict_proba(X)).all())
    True
    """
    if isinstance(obj, _estimator_files.PersistenceMixin):  # an sklkeras estimator
        _estimator_files.save(obj, path)
        return
    sio = _skops()
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".part")
    os.close(fd)
    try:
        sio.dump(obj, tmp)
        os.replace(tmp, path)  # never a half-written file at ``path``
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load(path, *, safe_mode=True, custom_objects=None, trusted=None):
    """Load what :func:`sklkeras.save` or ``est.save`` wrote, without pickle.

    ``.skk`` files hold one sklkeras estimator; ``.skops`` files a scikit-learn
    object holding any number of them, read with ``skops.io`` (the ``skops``
    extra). Every network loads in Keras's safe mode unless ``safe_mode=False``,
    so opening a file from elsewhere cannot run code; in a ``.skops`` file, types
    other than scikit-learn's, NumPy's and sklkeras's must be trusted by name.

    Parameters
    ----------
    path : str or path-like
        The file.
    safe_mode : bool, default=True
        Keras's safe mode: refuse networks whose loading would run arbitrary code
        (``Lambda`` layers holding Python bytecode). Pass False only for files you
        trust.
    custom_objects : dict or None, default=None
        Custom losses, metrics or layers the networks refer to, by name.
    trusted : list of str or None, default=None
        For ``.skops`` files: further types to trust, by their full names as the
        error lists them (e.g. a FunctionTransformer's function,
        ``"mymodule.add_features"``). Check them before you trust them.

    Returns
    -------
    obj : estimator
        The saved object; it predicts exactly as the saved one did.

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
    if not _is_skops_file(path):
        if trusted:
            raise ValueError(
                f"trusted= applies to .skops files; {path} is an estimator file."
            )
        return _estimator_files.load(
            path, safe_mode=safe_mode, custom_objects=custom_objects
        )
    sio = _skops()
    allowed = set(SKLKERAS_TYPES) | set(trusted or ())
    found = sio.get_untrusted_types(file=path)
    untrusted = sorted(t for t in found if t not in allowed)
    if untrusted:
        raise ValueError(
            f"{path} holds types that are not trusted by default (skops's "
            f"scikit-learn and NumPy types, sklkeras's own): {untrusted}. Loading a "
            "type runs its code; if you trust them, pass sklkeras.load(path, "
            "trusted=[...]) with their names."
        )
    with loading_networks(safe_mode=safe_mode, custom_objects=custom_objects):
        return sio.load(path, trusted=[t for t in found if t in allowed])


def _is_skops_file(path) -> bool:
    """A skops archive (its ``schema.json``), as opposed to an ``.skk`` file."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
    return "schema.json" in names and "estimator.json" not in names


__all__ = ["load", "save"]

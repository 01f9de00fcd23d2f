"""Loaders for the small tabular datasets that ship with sklkeras.

Provenance and licences of every file: ``data/SOURCES.md`` next to this module.
"""

from __future__ import annotations

import os
import zipfile
from importlib import resources

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

from ._images import _keras_cache

PIMA_COLUMNS = [
    "pregnancies",
    "glucose",
    "blood_pressure",
    "skin_thickness",
    "insulin",
    "bmi",
    "diabetes_pedigree",
    "age",
]
PIMA_ZERO_MEANS_MISSING = [
    "glucose",
    "blood_pressure",
    "skin_thickness",
    "insulin",
    "bmi",
]
BOSTON_COLUMNS = [
    "CRIM",
    "ZN",
    "INDUS",
    "CHAS",
    "NOX",
    "RM",
    "AGE",
    "DIS",
    "RAD",
    "TAX",
    "PTRATIO",
    "B",
    "LSTAT",
]

BANK_FULL_URL = "https://archive.ics.uci.edu/static/public/222/bank+marketing.zip"
_BANK_FILES = {
    "bank": ("bank.csv", None),
    "additional": ("bank-additional.csv", None),
    "full": ("bank-full.csv", "bank.zip"),
    "additional-full": ("bank-additional-full.csv", "bank-additional.zip"),
}


def _packaged(name: str):
    return resources.files("sklkeras.datasets") / "data" / name


def _read_csv(path, what: str, expected_columns: int, **kwargs) -> pd.DataFrame:
    """Read a CSV and check its shape, with one clear error for a damaged file."""
    try:
        with open(path, "rb") as fh:
            frame = pd.read_csv(fh, **kwargs)
    except FileNotFoundError:
        raise FileNotFoundError(f"{what}: file not found: {path}") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"{what}: cannot parse {path}: {exc}") from None
    if frame.shape[1] != expected_columns or len(frame) == 0:
        raise ValueError(
            f"{what}: {path} has shape {frame.shape}, expected {expected_columns} "
            "columns and at least one row; the file looks damaged."
        )
    return frame


def _numeric(frame: pd.DataFrame, what: str, path) -> pd.DataFrame:
    try:
        return frame.apply(pd.to_numeric, errors="raise")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{what}: non-numeric value in {path}: {exc}") from None


def _finish(
    frame, target_col, feature_names, target_names, descr, return_X_y, as_frame
):
    X = frame[feature_names]
    y = frame[target_col]
    if not as_frame:
        X = X.to_numpy()
        y = y.to_numpy()
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        frame=frame if as_frame else None,
        feature_names=list(feature_names),
        target_names=target_names,
        DESCR=descr,
    )


def load_pima_diabetes(*, return_X_y=False, as_frame=False, missing_as_nan=False):
    """Load the Pima Indians diabetes dataset (binary classification).

    768 women of Pima heritage, 8 numeric measurements, target 1 (diabetes within
    five years, 268 rows) or 0 (500 rows). The file is packaged; no download.

    In five columns (glucose, blood_pressure, skin_thickness, insulin, bmi) a zero
    means "not measured". They stay zeros by default, as in the book;
    ``missing_as_nan=True`` turns them into NaN (impute before an estimator that
    refuses NaN, e.g. with ``sklearn.impute.SimpleImputer``).

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.
    as_frame : bool, default=False
        Return pandas objects (and the whole table as ``frame``).
    missing_as_nan : bool, default=False
        Replace the zeros that mean "missing" with NaN.

    Returns
    -------
    data : Bunch or tuple
        Bunch with ``data``, ``target``, ``frame``, ``feature_names``,
        ``target_names`` and ``DESCR``; or ``(X, y)`` with ``return_X_y``.

    Examples
    --------
    >>> from sklkeras.datasets import load_pima_diabetes
    >>> X, y = load_pima_diabetes(return_X_y=True)
    >>> X.shape, int(y.sum())
    ((768, 8), 268)
    >>> X_nan, _ = load_pima_diabetes(return_X_y=True, missing_as_nan=True)
    >>> int(np.isnan(X_nan).sum())  # zeros that meant "not measured"
    652
    """
    path = _packaged("pima-indians-diabetes.csv")
    frame = _read_csv(path, "Pima diabetes", 9, header=None)
    frame.columns = PIMA_COLUMNS + ["class"]
    frame = _numeric(frame, "Pima diabetes", path)
    if missing_as_nan:
        cols = PIMA_ZERO_MEANS_MISSING
        frame[cols] = frame[cols].astype(float).replace(0.0, np.nan)
    frame["class"] = frame["class"].astype(int)
    return _finish(
        frame,
        "class",
        PIMA_COLUMNS,
        np.array(["no diabetes", "diabetes"]),
        load_pima_diabetes.__doc__,
        return_X_y,
        as_frame,
    )


def load_boston(*, return_X_y=False, as_frame=False, drop_b=False):
    """Load the Boston house-prices dataset (regression), for the book's example.

    506 Boston census tracts (1970), 13 features, target MEDV (median home value in
    k$). Packaged; no download.

    .. warning::
        Column ``B`` is ``1000 (Bk - 0.63)^2`` where ``Bk`` is the proportion of
        Black residents: a racially derived feature, built on a questionable
        assumption, for which scikit-learn removed its own loader. It is kept only
        so the book's example can be reproduced; use ``drop_b=True`` for anything
        else, and prefer another dataset for real work.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.
    as_frame : bool, default=False
        Return pandas objects.
    drop_b : bool, default=False
        Leave out column ``B`` (12 features instead of 13).

    Returns
    -------
    data : Bunch or tuple
        As for :func:`load_pima_diabetes`.

    Examples
    --------
    >>> from sklkeras.datasets import load_boston
    >>> boston = load_boston(as_frame=True, drop_b=True)
    >>> boston.frame.shape, "B" in boston.feature_names
    ((506, 13), False)
    """
    path = _packaged("housing.csv")
    frame = _read_csv(path, "Boston housing", 14, header=None)
    frame.columns = BOSTON_COLUMNS + ["MEDV"]
    frame = _numeric(frame, "Boston housing", path).astype(float)
    features = [c for c in BOSTON_COLUMNS if not (drop_b and c == "B")]
    if drop_b:
        frame = frame.drop(columns="B")
    return _finish(
        frame, "MEDV", features, None, load_boston.__doc__, return_X_y, as_frame
    )


def _bank_path(variant: str, data_home, download_if_missing: bool):
    csv_name, inner_zip = _BANK_FILES[variant]
    if inner_zip is None:
        return _packaged(csv_name)
    home = data_home or _keras_cache("sklkeras")
    path = os.path.join(home, csv_name)
    if os.path.exists(path):
        return path
    if not download_if_missing:
        raise OSError(
            f"Bank marketing variant {variant!r} is not on disk at {path} and "
            f"download_if_missing=False. Download {BANK_FULL_URL}, take {csv_name} "
            f"out of {inner_zip} inside it, and put it at {path} (or pass data_home)."
        )
    import keras

    try:
        archive = keras.utils.get_file(
            "bank-marketing.zip", BANK_FULL_URL, cache_dir=home, cache_subdir="."
        )
        with zipfile.ZipFile(archive) as outer:
            with outer.open(inner_zip) as inner_fh:
                with zipfile.ZipFile(inner_fh) as inner:
                    member = next(n for n in inner.namelist() if n.endswith(csv_name))
                    os.makedirs(home, exist_ok=True)
                    tmp = path + ".part"
                    with inner.open(member) as src, open(tmp, "wb") as dst:
                        dst.write(src.read())
                    os.replace(tmp, path)  # atomic: no half-written cache
    except Exception as exc:  # network, HTTP and archive errors alike
        raise OSError(
            f"Could not download bank marketing {variant!r} from {BANK_FULL_URL} "
            f"({exc}). Download it by hand and put {csv_name} at {path}."
        ) from None
    return path


def load_bank_marketing(
    *,
    variant="bank",
    return_X_y=False,
    as_frame=True,
    data_home=None,
    download_if_missing=True,
):
    """Load the UCI bank marketing dataset (binary classification, mixed types).

    Phone campaigns of a Portuguese bank (Moro et al., 2011/2014; CC BY 4.0). The
    target ``y`` is whether the client subscribed a term deposit ("yes"/"no").

    Variants: ``"bank"`` (packaged, 4,521 rows, 16 features: 7 numeric, 9
    categorical), ``"additional"`` (packaged, 4,119 rows, 20 features with economic
    context), and ``"full"`` (45,211 rows) / ``"additional-full"`` (41,188 rows),
    downloaded from UCI on first use and cached under ``data_home``.

    Note: ``duration`` (call length) is only known after the call; leave it out for
    a realistic model.

    Parameters
    ----------
    variant : {"bank", "additional", "full", "additional-full"}, default="bank"
        Which file.
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.
    as_frame : bool, default=True
        Return a DataFrame (the categorical columns are strings). With False,
        ``data`` is an object array.
    data_home : str or None, default=None
        Cache folder for the downloaded variants (default
        ``~/.keras/datasets/sklkeras``, under ``$KERAS_HOME`` when that is set, as
        Keras's own downloads).
    download_if_missing : bool, default=True
        When False, a variant not on disk raises ``OSError`` at once, saying what
        to download and where to put it.

    Returns
    -------
    data : Bunch or tuple
        As for :func:`load_pima_diabetes`; ``target`` holds "yes"/"no".

    Examples
    --------
    >>> from sklkeras.datasets import load_bank_marketing
    >>> X, y = load_bank_marketing(return_X_y=True)
    >>> X.shape, y.value_counts().to_dict()
    ((4521, 16), {'no': 4000, 'yes': 521})
    """
    if variant not in _BANK_FILES:
        raise ValueError(
            f"variant must be one of {sorted(_BANK_FILES)}; got {variant!r}."
        )
    path = _bank_path(variant, data_home, download_if_missing)
    n_columns = 17 if variant in ("bank", "full") else 21
    frame = _read_csv(path, "Bank marketing", n_columns, sep=";")
    if "y" not in frame.columns or not set(frame["y"].unique()) <= {"yes", "no"}:
        raise ValueError(
            f"Bank marketing: {path} has no 'y' column of yes/no; the file looks "
            "damaged."
        )
    features = [c for c in frame.columns if c != "y"]
    return _finish(
        frame,
        "y",
        features,
        np.array(["no", "yes"]),
        load_bank_marketing.__doc__,
        return_X_y,
        as_frame,
    )

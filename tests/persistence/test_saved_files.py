"""Files written by an earlier version still load and predict the same.

``tests/data/saved_0_1/`` holds an ``.sklkeras`` file of an ``MLPClassifier`` and
of a ``KerasClassifier``, a pickled ``MLPRegressor`` and a skops file of a
Pipeline, all written by sklkeras 0.1 before its private modules moved into
subpackages, with the predictions they gave then (``expected.json``). Saved files
and pickles name only public class paths (``sklkeras.mlp.MLPClassifier``, ...),
so moving private modules must not break them.
"""

import json
import pathlib
import pickle

import numpy as np
import pytest

import sklkeras

DATA = pathlib.Path(__file__).parents[1] / "data" / "saved_0_1"


def _load(name):
    path = DATA / name
    if name.endswith(".pkl"):
        with open(path, "rb") as fh:
            return pickle.load(fh)
    return sklkeras.load(path)


@pytest.mark.parametrize(
    "name",
    [
        "mlp_classifier.sklkeras",
        "keras_classifier.sklkeras",
        "mlp_regressor.pkl",
        "pipeline.skops",
    ],
)
def test_files_saved_by_0_1_load_and_predict_the_same(name):
    X = np.load(DATA / "X.npy")
    expected = np.asarray(json.loads((DATA / "expected.json").read_text())[name])
    est = _load(name)
    if name == "mlp_regressor.pkl":
        got = est.predict(X[:, :3])
    else:
        got = est.predict_proba(X)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)

"""sklkeras.save / sklkeras.load of pipelines, and skops files that cannot run code.

The crafted files hold a network whose Lambda layer writes a marker file when it
is rebuilt: loading them must be refused and the marker must not appear, and the
same file loaded with the user's trust writes the marker (so the payload is real).
"""

import os
import pickle
import zipfile

import keras
import numpy as np
import pytest
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

import sklkeras
from sklkeras import KerasClassifier, MLPClassifier, MLPRegressor
from sklkeras.datasets import load_bank_marketing
from sklkeras.text import TextVectorizer

sio = pytest.importorskip("skops.io")

MLP = dict(hidden_layer_sizes=(8,), epochs=3, random_state=0)


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


MARKER = {}


def build_marker(n_features_in_, n_classes_):
    """A network whose Lambda layer writes ``MARKER["path"]`` whenever it is built
    (the path travels in the Lambda's closure, inside the saved network)."""
    path = MARKER["path"]
    inputs = keras.Input((n_features_in_,))
    touched = keras.layers.Lambda(lambda t: open(path, "a").close() or t)(inputs)
    outputs = keras.layers.Dense(n_classes_, activation="softmax")(touched)
    return keras.Model(inputs, outputs)


def build_softmax(n_features_in_, n_classes_, units=8):
    inputs = keras.Input((n_features_in_,))
    hidden = keras.layers.Dense(units, activation="relu")(inputs)
    return keras.Model(
        inputs, keras.layers.Dense(n_classes_, activation="softmax")(hidden)
    )


def test_pipeline_round_trip_without_pickle(tmp_path, iris, monkeypatch):
    X, y = iris
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    pipe = make_pipeline(StandardScaler(), MLPClassifier(**MLP)).fit(X, names)
    path = tmp_path / "pipe.skops"

    def no_pickle(*args, **kwargs):
        raise AssertionError("pickle was used")

    with monkeypatch.context() as m:
        m.setattr(pickle, "dumps", no_pickle)
        m.setattr(pickle, "loads", no_pickle)
        m.setattr(pickle, "dump", no_pickle)
        m.setattr(pickle, "load", no_pickle)
        sklkeras.save(pipe, path)
        restored = sklkeras.load(path)
    np.testing.assert_array_equal(restored.predict_proba(X), pipe.predict_proba(X))
    assert (restored.predict(X) == pipe.predict(X)).all()
    assert not list(tmp_path.glob("*.part"))
    # An ordinary skops file: the estimator's type is the only one to trust, and
    # inside the archive the estimator is its own .skk form.
    assert sio.get_untrusted_types(file=path) == ["sklkeras.mlp.MLPClassifier"]
    again = sio.load(path, trusted=["sklkeras.mlp.MLPClassifier"])
    np.testing.assert_array_equal(again.predict_proba(X), pipe.predict_proba(X))
    # Refitting the loaded pipeline works: the parameters came back too.
    assert restored[-1].get_params() == pipe[-1].get_params()


def test_column_transformer_search_and_regressor(tmp_path, iris):
    X, y = load_bank_marketing(return_X_y=True)
    X, y = X.iloc[:400], y[:400]
    pre = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            make_column_selector(dtype_exclude="number"),
        ),
        (StandardScaler(), make_column_selector(dtype_include="number")),
    )
    pre.fit(X)
    sklkeras.save(pre, tmp_path / "pre.skops")
    np.testing.assert_array_equal(
        sklkeras.load(tmp_path / "pre.skops").transform(X), pre.transform(X)
    )

    Xi, yi = iris
    search = GridSearchCV(
        make_pipeline(
            StandardScaler(), KerasClassifier(build_softmax, epochs=2, random_state=0)
        ),
        {"kerasclassifier__units": [4]},
        cv=2,
    ).fit(Xi, yi)
    best = tmp_path / "best.skops"
    sklkeras.save(search.best_estimator_, best)
    with pytest.raises(ValueError, match=r"build_softmax"):
        sklkeras.load(best)  # a function: code the user must trust by name
    restored = sklkeras.load(best, trusted=[f"{__name__}.build_softmax"])
    np.testing.assert_array_equal(restored.predict_proba(Xi), search.predict_proba(Xi))
    assert restored[-1].model is build_softmax and restored[-1].units == 4
    restored.fit(Xi, yi)  # the building function came back, so it refits

    reg = MLPRegressor(**MLP).fit(Xi, np.c_[Xi[:, 0], Xi[:, 1]])
    sklkeras.save(reg, tmp_path / "reg.skk")  # an estimator: its .skk file
    with zipfile.ZipFile(tmp_path / "reg.skk") as archive:
        assert "estimator.json" in archive.namelist()
    np.testing.assert_array_equal(
        sklkeras.load(tmp_path / "reg.skk").predict(Xi), reg.predict(Xi)
    )


def test_text_pipeline_and_unfitted_objects(tmp_path):
    texts = ["a good film", "a bad film", "good", "so bad"] * 5
    y = [1, 0, 1, 0] * 5
    pipe = make_pipeline(
        TextVectorizer(sequence_length=4),
        sklkeras.SequenceClassifier(
            layer="conv1d", units=(4,), epochs=1, random_state=0
        ),
    )
    sklkeras.save(pipe, tmp_path / "unfitted.skops")  # parameters only
    assert sklkeras.load(tmp_path / "unfitted.skops").get_params()[
        "sequenceclassifier__units"
    ] == (4,)
    pipe.fit(texts, y)
    sklkeras.save(pipe, tmp_path / "text.skops")
    restored = sklkeras.load(tmp_path / "text.skops")
    np.testing.assert_array_equal(
        restored.predict_proba(texts), pipe.predict_proba(texts)
    )


def add_one(X):
    return X + 1.0


def test_function_transformer_needs_trust(tmp_path, iris):
    X, y = iris
    pipe = make_pipeline(FunctionTransformer(add_one), MLPClassifier(**MLP)).fit(X, y)
    sklkeras.save(pipe, tmp_path / "log.skops")
    name = f"{__name__}.add_one"
    with pytest.raises(ValueError, match=name):
        sklkeras.load(tmp_path / "log.skops")
    restored = sklkeras.load(tmp_path / "log.skops", trusted=[name])
    np.testing.assert_array_equal(restored.predict(X), pipe.predict(X))
    with pytest.raises(ValueError, match="trusted= applies to .skops files"):
        sklkeras.load(_saved_estimator(tmp_path, X, y), trusted=[name])


def _saved_estimator(tmp_path, X, y):
    path = tmp_path / "clf.skk"
    MLPClassifier(**MLP).fit(X, y).save(path)
    return path


@pytest.fixture(scope="module")
def lambda_pipeline(iris, tmp_path_factory):
    X, y = iris
    marker = tmp_path_factory.mktemp("marker") / "ran"
    MARKER["path"] = str(marker)
    pipe = make_pipeline(
        StandardScaler(), KerasClassifier(build_marker, epochs=1, random_state=0)
    )
    pipe.fit(X, y)
    MARKER["path"] = str(marker) + ".unused"  # only the saved closure knows it
    assert marker.exists()  # the payload runs whenever the network is built
    return pipe, marker, f"{build_marker.__module__}.build_marker"


def test_crafted_skops_file_runs_no_code(tmp_path, iris, lambda_pipeline):
    X, _ = iris
    pipe, marker, build_name = lambda_pipeline
    path = tmp_path / "crafted.skops"
    sklkeras.save(pipe, path)
    marker.unlink()
    trusted = sio.get_untrusted_types(file=path)
    assert sorted(trusted) == sorted([build_name, "sklkeras.wrappers.KerasClassifier"])

    # skops alone, with every type trusted: the network is still refused.
    with pytest.raises(ValueError, match="runs Python code"):
        sio.load(path, trusted=trusted)
    assert not marker.exists()
    with pytest.raises(ValueError, match="runs Python code"):
        sklkeras.load(path, trusted=[build_name])
    assert not marker.exists()

    # The user's trust, through sklkeras or Keras's own switch: the payload runs.
    restored = sklkeras.load(path, trusted=[build_name], safe_mode=False)
    assert marker.exists()
    np.testing.assert_array_equal(restored.predict_proba(X), pipe.predict_proba(X))
    marker.unlink()
    from keras.src.saving import serialization_lib

    previous = serialization_lib.in_safe_mode()
    keras.config.enable_unsafe_deserialization()
    try:
        sio.load(path, trusted=trusted)
    finally:
        from keras.src.backend.common import global_state

        global_state.set_global_attribute("safe_mode_saving", previous)
    assert marker.exists()


def test_crafted_skk_file_runs_no_code(tmp_path, iris, lambda_pipeline):
    X, _ = iris
    pipe, marker, _ = lambda_pipeline
    path = tmp_path / "crafted.skk"
    with pytest.warns(UserWarning, match="not saved"):  # the building function
        pipe[-1].save(path)
    marker.unlink()
    with pytest.raises(ValueError, match="safe_mode=False"):
        sklkeras.load(path)
    assert not marker.exists()
    sklkeras.load(path, safe_mode=False)
    assert marker.exists()


def test_crafted_state_of_older_versions_runs_no_code(
    tmp_path, iris, lambda_pipeline, monkeypatch
):
    """A skops file holding the network bytes the way sklkeras's __getstate__ once
    gave them (loaded with safe_mode=False then) is loaded in safe mode now."""
    pipe, marker, build_name = lambda_pipeline
    est = pipe[-1]
    _, (_, legacy) = est.__reduce_ex__(4)  # {..., "_model_bytes": b"..."}
    path = tmp_path / "legacy.skops"
    with monkeypatch.context() as m:
        m.setattr(type(est), "__getstate__", lambda self: dict(legacy))
        sio.dump(est, path)
    marker.unlink()
    with pytest.raises(ValueError, match="runs Python code"):
        sio.load(path, trusted=sio.get_untrusted_types(file=path))
    assert not marker.exists()


def test_pickle_keeps_trusting_its_own_files(iris, lambda_pipeline):
    """pickle already runs code, so a pickled Lambda network loads as before."""
    X, _ = iris
    pipe, marker, _ = lambda_pipeline
    again = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(again.predict_proba(X), pipe.predict_proba(X))


def test_state_of_another_class_is_refused(tmp_path, iris):
    X, y = iris
    clf = MLPClassifier(**MLP).fit(X, y)
    state = clf.__getstate__()
    impostor = MLPRegressor.__new__(MLPRegressor)
    with pytest.raises(ValueError, match="MLPClassifier where a MLPRegressor"):
        impostor.__setstate__(state)


def test_save_is_atomic(tmp_path, iris, monkeypatch):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), MLPClassifier(**MLP)).fit(X, y)
    path = tmp_path / "pipe.skops"
    sklkeras.save(pipe, path)
    before = path.read_bytes()

    def crash(obj, file):
        with open(file, "wb") as fh:
            fh.write(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(sio, "dump", crash)
    with pytest.raises(KeyboardInterrupt):
        sklkeras.save(pipe, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["pipe.skops"]

"""State that must not be lost or changed (issue 16 items 12-15): loading files
that do not match, durable saves, threads, resumed runs, memory held by old fits."""

import json
import zipfile

import numpy as np
import pytest

import sklkeras
from sklkeras import MLPClassifier, MLPRegressor


@pytest.fixture(scope="module")
def three_classes():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 4))
    return X, np.arange(60) % 3


@pytest.fixture(scope="module")
def saved(tmp_path_factory, three_classes):
    X, y = three_classes
    clf = MLPClassifier(hidden_layer_sizes=(4,), epochs=1, random_state=0).fit(X, y)
    path = tmp_path_factory.mktemp("saved") / "m.skk"
    clf.save(path)
    return path


def _rewrite(src, dst, *, fitted=None, model=None):
    """A copy of the .skk file at ``src`` with edited fitted state or network."""
    with zipfile.ZipFile(src) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    if fitted is not None:
        document = json.loads(members["estimator.json"])
        document["fitted"].update(fitted)
        members["estimator.json"] = json.dumps(document)
    if model is not None:
        members["model.keras"] = model
    with zipfile.ZipFile(dst, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return dst


# ------------------------------------------------- item 15: loading mismatches
def test_item15_edited_state_is_refused_at_load(saved, tmp_path):
    four = {"__ndarray__": [0, 1, 2, 3], "dtype": "int64"}
    path = _rewrite(saved, tmp_path / "four.skk", fitted={"classes_": four})
    with pytest.raises(ValueError, match=r"four.skk.*4 classes.*network has 3"):
        sklkeras.load(path)
    binary = {"classes_": {"__ndarray__": [0, 1], "dtype": "int64"}}
    binary["_target_type_"] = "binary"
    path = _rewrite(saved, tmp_path / "binary.skk", fitted=binary)
    with pytest.raises(ValueError, match=r"binary.skk.*1 output unit.*has 3"):
        sklkeras.load(path)
    wide = _rewrite(saved, tmp_path / "wide.skk", fitted={"n_features_in_": 5})
    with pytest.raises(ValueError, match=r"wide.skk.*\(5,\).*\(4,\)"):
        sklkeras.load(wide)
    encoder = {"__label_encoder__": {"__ndarray__": [5, 6, 7], "dtype": "int64"}}
    odd = _rewrite(saved, tmp_path / "enc.skk", fitted={"_label_encoder_": encoder})
    with pytest.raises(ValueError, match="label encoder"):
        sklkeras.load(odd)


def test_item15_corrupt_or_empty_network_names_the_file(saved, tmp_path):
    import io

    corrupt = _rewrite(saved, tmp_path / "corrupt.skk", model=b"\x00garbage" * 50)
    with pytest.raises(ValueError, match=r"corrupt.skk: the network inside") as info:
        sklkeras.load(corrupt)
    assert "File not found" not in str(info.value)
    empty = io.BytesIO()
    zipfile.ZipFile(empty, "w").close()
    hollow = _rewrite(saved, tmp_path / "hollow.skk", model=empty.getvalue())
    with pytest.raises(ValueError, match=r"hollow.skk: the network inside"):
        sklkeras.load(hollow)


def test_item15_save_fsyncs_before_the_rename(three_classes, tmp_path, monkeypatch):
    import os

    from sklkeras._persistence import _atomic

    X, y = three_classes
    reg = MLPRegressor(hidden_layer_sizes=(2,), epochs=1).fit(X, y)
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(
        _atomic.os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1]
    )
    monkeypatch.setattr(
        _atomic.os,
        "replace",
        lambda a, b: (events.append("replace"), real_replace(a, b))[1],
    )
    reg.save(tmp_path / "r.skk")
    assert events == ["fsync", "replace", "fsync"]  # file, rename, directory
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.skk"]


def test_item15_no_temporary_directories(saved, three_classes, tmp_path, monkeypatch):
    """A kill during save or load left temporary directories behind: the network
    now travels in memory, and Keras's own scratch folders go into a folder named
    after the process, removed by the next save once that process is gone."""
    import os
    import pickle
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(
        tempfile,
        "TemporaryDirectory",
        lambda *a, **k: pytest.fail("a temporary directory in the system's folder"),
    )
    dead = scratch / "sklkeras-999999999" / "tmpabc"  # of a killed process
    dead.mkdir(parents=True)
    X, _ = three_classes
    loaded = sklkeras.load(saved)
    loaded.save(tmp_path / "again.skk")
    again = pickle.loads(pickle.dumps(loaded))
    np.testing.assert_array_equal(again.predict_proba(X), loaded.predict_proba(X))
    assert os.listdir(scratch) == []  # the dead one swept, ours removed
    # A temporary file of a killed writer (no such process) is cleared next save.
    stale = tmp_path / ".again.skk.999999999.x1.part"
    stale.write_bytes(b"half")
    loaded.save(tmp_path / "again.skk")
    assert not stale.exists()


# ------------------------------------------------------------ item 14: threads
def _thread_fits(estimators, X, y):
    import threading

    barrier = threading.Barrier(len(estimators))
    errors = []

    def run(est):
        try:
            barrier.wait()
            est.fit(X, y)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(e,)) for e in estimators]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_item14_fits_in_threads_leave_global_rngs_and_results_alone(three_classes):
    """The save/restore of global seeds raced: two threads restored each other's
    seeded states, leaving NumPy's global generator re-seeded."""
    import random

    import keras

    from sklkeras import KerasClassifier

    def net(n_features_in_, n_classes_):  # unseeded layers: Keras draws seeds
        inputs = keras.Input((n_features_in_,))
        hidden = keras.layers.Dropout(0.2)(keras.layers.Dense(8)(inputs))
        return keras.Model(
            inputs, keras.layers.Dense(n_classes_, activation="softmax")(hidden)
        )

    X, y = three_classes
    make = [
        lambda: MLPClassifier(hidden_layer_sizes=(8,), dropout=0.2, random_state=1),
        lambda: KerasClassifier(net, random_state=2),
        lambda: MLPClassifier(hidden_layer_sizes=(6,), random_state=3),
    ]
    common = dict(epochs=8, batch_size=10, n_iter_no_change=None)
    sequential = [m().set_params(**common).fit(X, y).predict_proba(X) for m in make]
    random.seed(123)
    np.random.seed(456)
    py_state, np_state = random.getstate(), np.random.get_state()
    for _ in range(2):
        threaded = [m().set_params(**common) for m in make]
        _thread_fits(threaded, X, y)
        assert random.getstate() == py_state
        np.testing.assert_array_equal(np.random.get_state()[1], np_state[1])
        assert np.random.get_state()[2] == np_state[2]
        for est, expected in zip(threaded, sequential, strict=True):
            np.testing.assert_array_equal(est.predict_proba(X), expected)


# ------------------------------------------- item 13: memory of finished fits
def test_item13_finished_fits_leave_no_graphs_behind(three_classes):
    """Each fit left its traced graphs alive for good (about 3.4 MB a fit): the
    optimizer's all-reduce registers a gradient function holding the graph in
    TensorFlow's process-wide registry. Once an estimator is gone, its graphs go."""
    import gc

    import keras
    from tensorflow.python.framework import ops
    from tensorflow.python.framework.func_graph import FuncGraph

    from sklkeras import CNNClassifier, KerasClassifier

    def net(n_features_in_, n_classes_):
        inputs = keras.Input((n_features_in_,))
        return keras.Model(
            inputs, keras.layers.Dense(n_classes_, activation="softmax")(inputs)
        )

    def counts():
        gc.collect()
        gc.collect()
        registry = ops._gradient_registry._registry
        return (
            sum(name.startswith("CustomGradient-") for name in registry),
            sum(isinstance(o, FuncGraph) for o in gc.get_objects()),
        )

    X, y = three_classes
    images = np.random.RandomState(0).uniform(size=(30, 8, 8, 1))

    def fits():
        MLPClassifier(hidden_layer_sizes=(4,), epochs=2, batch_size=10).fit(X, y)
        MLPRegressor(hidden_layer_sizes=(4,), epochs=2).fit(X, X[:, 0])
        KerasClassifier(net, epochs=2).fit(X, y)
        CNNClassifier(filters=(2,), dense_units=(4,), epochs=1).fit(images, y[:30])

    with pytest.warns(Warning):  # two epochs do not converge
        fits()
        before = counts()
        for _ in range(2):
            fits()
    assert counts() == before


# --------------------------------------------------- item 12: exact resumption
def _kill_after(script, args, epoch):
    import os
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, script, *args, str(epoch)], stdout=subprocess.PIPE, text=True
    )
    for line in proc.stdout:
        if line.strip() == f"done {epoch}":
            break
    os.kill(proc.pid, signal.SIGKILL)  # no chance to clean up
    proc.wait()


@pytest.mark.parametrize("mode, kill_at", [("early", 4), ("all", 5)])
def test_item12_resumed_run_is_the_uninterrupted_run_bit_for_bit(
    tmp_path, mode, kill_at
):
    """Resumed runs stopped an epoch early or late (early stopping's patience
    restarted) and their probabilities differed by up to 0.013 (the shuffle order
    started over)."""
    import os
    import sys

    sys.path.insert(0, os.path.dirname(__file__))
    import resume_exact_job as job

    X, y = job.data()
    whole = job.estimator(mode).fit(X, y)
    script = os.path.join(os.path.dirname(__file__), "resume_exact_job.py")
    _kill_after(script, [str(tmp_path), mode], kill_at)
    resumed = job.estimator(mode, tmp_path).fit(X, y)
    if mode == "early":
        assert kill_at < whole.n_iter_ < 40  # it did stop early
    assert resumed.n_iter_ == whole.n_iter_
    assert resumed.history_ == whole.history_
    np.testing.assert_array_equal(resumed.predict_proba(X), whole.predict_proba(X))
    # A finished run is not trained further when fitted again.
    again = job.estimator(mode, tmp_path).fit(X, y)
    assert again.n_iter_ == whole.n_iter_
    np.testing.assert_array_equal(again.predict_proba(X), whole.predict_proba(X))

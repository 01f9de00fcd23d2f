"""State that must not be lost or changed (issue 16 items 12-15): loading files
that do not match, durable saves, threads, resumed runs."""

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

    from sklkeras import _atomic

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

"""Loaders on the packaged files, and on damaged or missing ones."""

import numpy as np
import pandas as pd
import pytest

from sklkeras import datasets
from sklkeras.datasets import _tabular


def test_pima():
    bunch = datasets.load_pima_diabetes()
    assert bunch.data.shape == (768, 8)
    assert np.bincount(bunch.target).tolist() == [500, 268]
    assert bunch.feature_names[1] == "glucose"
    assert "missing" in bunch.DESCR
    X, y = datasets.load_pima_diabetes(
        return_X_y=True, as_frame=True, missing_as_nan=True
    )
    assert isinstance(X, pd.DataFrame)
    assert X["glucose"].isna().sum() == 5
    assert X["pregnancies"].isna().sum() == 0  # zero pregnancies is a real value


def test_boston_b_column():
    X, y = datasets.load_boston(return_X_y=True)
    assert X.shape == (506, 13)
    assert y.mean() == pytest.approx(22.5328, abs=1e-4)
    bunch = datasets.load_boston(drop_b=True, as_frame=True)
    assert "B" not in bunch.feature_names and bunch.data.shape == (506, 12)
    assert "racially" in datasets.load_boston.__doc__


def test_bank_variants():
    X, y = datasets.load_bank_marketing(return_X_y=True)
    assert X.shape == (4521, 16) and (y == "yes").sum() == 521
    add = datasets.load_bank_marketing(variant="additional")
    assert add.data.shape == (4119, 20)
    with pytest.raises(ValueError, match="variant"):
        datasets.load_bank_marketing(variant="huge")


def test_bank_full_offline_fails_at_once_with_instructions(tmp_path):
    with pytest.raises(OSError, match="bank-full.csv") as info:
        datasets.load_bank_marketing(
            variant="full", data_home=str(tmp_path), download_if_missing=False
        )
    assert str(tmp_path) in str(info.value)


def test_bank_full_default_cache_follows_keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    cache = tmp_path / "datasets" / "sklkeras"
    cache.mkdir(parents=True)
    (cache / "bank-full.csv").write_text(_tabular._packaged("bank.csv").read_text())
    X, _ = datasets.load_bank_marketing(variant="full", return_X_y=True)
    assert X.shape == (4521, 16)


def test_bank_full_from_local_copy(tmp_path):
    packaged = _tabular._packaged("bank.csv").read_text()
    (tmp_path / "bank-full.csv").write_text(packaged)
    X, y = datasets.load_bank_marketing(
        variant="full", data_home=str(tmp_path), return_X_y=True
    )
    assert X.shape == (4521, 16)


@pytest.mark.parametrize(
    "content, match",
    [
        ("1,2,3\n4,5,6\n", "shape"),
        ("1,2,3,4,5,6,7,8,x\n", "non-numeric"),
        ('1,2,"3\n', "parse|shape"),
    ],
)
def test_corrupt_file(tmp_path, monkeypatch, content, match):
    bad = tmp_path / "pima-indians-diabetes.csv"
    bad.write_text(content)
    monkeypatch.setattr(_tabular, "_packaged", lambda name: tmp_path / name)
    with pytest.raises(ValueError, match=match):
        datasets.load_pima_diabetes()


def test_missing_file(tmp_path, monkeypatch):
    monkeypatch.setattr(_tabular, "_packaged", lambda name: tmp_path / name)
    with pytest.raises(FileNotFoundError, match="not found"):
        datasets.load_boston()


# ---------------------------------------------------------------------- images
def test_digits_images():
    X, y = datasets.load_digits_images(return_X_y=True)
    assert X.shape == (1797, 8, 8, 1) and X.dtype == np.float32
    assert 0.0 <= X.min() and X.max() <= 1.0
    assert sorted(np.unique(y)) == list(range(10))


def test_mnist_offline_fails_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(OSError, match="mnist.npz"):
        datasets.load_mnist(download_if_missing=False)


def test_mnist_from_local_file(tmp_path):
    rng = np.random.RandomState(0)
    path = tmp_path / "mnist.npz"
    np.savez(
        path,
        x_train=rng.randint(0, 256, (20, 28, 28), dtype=np.uint8),
        y_train=np.arange(20) % 10,
        x_test=rng.randint(0, 256, (5, 28, 28), dtype=np.uint8),
        y_test=np.arange(5),
    )
    (X_tr, y_tr), (X_te, y_te) = datasets.load_mnist(path=str(path))
    assert X_tr.shape == (20, 28, 28, 1) and X_te.shape == (5, 28, 28, 1)
    (tmp_path / "bad.npz").write_bytes(b"not an archive")
    with pytest.raises(ValueError, match="cannot read"):
        datasets.load_mnist(path=str(tmp_path / "bad.npz"))


def _write_cifar_batch(path, n, rng):
    import pickle

    batch = {
        b"data": rng.randint(0, 256, (n, 3072), dtype=np.uint8),
        b"labels": list(rng.randint(0, 10, n)),
    }
    with open(path, "wb") as fh:
        pickle.dump(batch, fh)


def test_cifar10_from_extracted_folder_and_archive(tmp_path):
    import tarfile

    rng = np.random.RandomState(0)
    root = tmp_path / "cifar-10-batches-py"
    root.mkdir()
    for i in range(1, 6):
        _write_cifar_batch(root / f"data_batch_{i}", 4, rng)
    _write_cifar_batch(root / "test_batch", 3, rng)
    (X_tr, y_tr), (X_te, y_te) = datasets.load_cifar10(path=str(root))
    assert X_tr.shape == (20, 32, 32, 3) and X_te.shape == (3, 32, 32, 3)
    archive = tmp_path / "cifar-10-python.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(root, arcname="cifar-10-batches-py")
    (X2, _), _ = datasets.load_cifar10(path=str(archive))
    np.testing.assert_array_equal(X2, X_tr)


def make_image_folder(root, classes=("alice", "bob"), per_class=4, size=(12, 10)):
    """Write a small folder-per-class tree of PNG files (no download, no PIL)."""
    import tensorflow as tf

    rng = np.random.RandomState(0)
    for c, name in enumerate(classes):
        folder = root / name
        folder.mkdir(parents=True)
        for i in range(per_class):
            img = rng.randint(0, 60, (*size, 1)).astype(np.uint8) + 150 * c
            tf.io.write_file(str(folder / f"{i}.png"), tf.io.encode_png(img))
    return root


def test_image_folder(tmp_path):
    make_image_folder(tmp_path / "faces")
    bunch = datasets.load_image_folder(tmp_path / "faces", image_size=(8, 8))
    assert bunch.images.shape == (8, 8, 8, 1) and bunch.images.dtype == np.uint8
    assert list(bunch.target_names) == ["alice", "bob"]
    assert np.bincount(bunch.target).tolist() == [4, 4]
    X, y = datasets.load_image_folder(
        tmp_path / "faces", image_size=(6, 6), color_mode="rgb", return_X_y=True
    )
    assert X.shape == (8, 6, 6, 3)
    with pytest.raises(FileNotFoundError):
        datasets.load_image_folder(tmp_path / "nothere")


# ------------------------------------------------------------------------ text
def test_sentiment_sentences_all_rows():
    bunch = datasets.load_sentiment_sentences()
    assert len(bunch.data) == 3000 and bunch.target.sum() == 1500
    imdb = datasets.load_sentiment_sentences(source="imdb")
    assert len(imdb.data) == 1000  # pandas' default quoting finds only 748
    assert set(imdb.source) == {"imdb"}
    with pytest.raises(ValueError, match="source"):
        datasets.load_sentiment_sentences(source="twitter")


def test_sentiment_damaged_file(tmp_path, monkeypatch):
    (tmp_path / "sentiment").mkdir()
    (tmp_path / "sentiment" / "yelp_labelled.txt").write_text(
        "good\t1\nno label here\n"
    )
    monkeypatch.setattr(
        "sklkeras.datasets._text._packaged", lambda name: tmp_path / name
    )
    with pytest.raises(ValueError, match="line 2"):
        datasets.load_sentiment_sentences(source="yelp")


def test_imdb_offline_and_local(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(OSError, match="imdb.npz"):
        datasets.load_imdb(download_if_missing=False)
    seqs = np.empty(3, dtype=object)
    seqs[:] = [[4, 5, 6], [7, 9000], [1]]
    path = tmp_path / "imdb.npz"
    np.savez(
        path,
        x_train=seqs,
        y_train=np.array([0, 1, 0]),
        x_test=seqs,
        y_test=np.array([1, 0, 1]),
    )
    (X, y), (X_te, y_te) = datasets.load_imdb(num_words=100, maxlen=4, path=str(path))
    assert X.shape == (3, 4) and X[1].tolist() == [0, 1, 10, 2]  # start, word, OOV


def test_make_sequence_classification():
    X, y = datasets.make_sequence_classification(
        50, timesteps=7, n_features=3, n_classes=3, random_state=0
    )
    assert X.shape == (50, 7, 3) and X.dtype == np.float32
    assert set(y) <= {0, 1, 2}

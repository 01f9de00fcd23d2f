"""Image datasets: digits (offline), MNIST and CIFAR-10 (downloaded once), folders."""

from __future__ import annotations

import os
import pickle
import tarfile
import tempfile

import numpy as np
from sklearn.utils import Bunch

MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"


def _keras_cache(name: str) -> str:
    home = os.environ.get("KERAS_HOME") or os.path.join(
        os.path.expanduser("~"), ".keras"
    )
    return os.path.join(home, "datasets", name)


def load_digits_images(*, return_X_y=False):
    """scikit-learn's 8x8 handwritten digits as images, (1797, 8, 8, 1) in [0, 1].

    No download: the offline stand-in for MNIST.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : Bunch or tuple
        ``images`` (float32, pixels / 16), ``target`` (0-9), ``target_names``,
        ``DESCR``; or ``(X, y)``.

    Examples
    --------
    >>> from sklkeras.datasets import load_digits_images
    >>> X, y = load_digits_images(return_X_y=True)
    >>> X.shape, X.dtype, float(X.max())
    ((1797, 8, 8, 1), dtype('float32'), 1.0)
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = (digits.images / 16.0).astype(np.float32)[..., np.newaxis]
    if return_X_y:
        return X, digits.target
    return Bunch(
        images=X,
        data=X,
        target=digits.target,
        target_names=digits.target_names,
        DESCR=digits.DESCR,
    )


def _fetch(url: str, fname: str, what: str, download_if_missing: bool) -> str:
    path = _keras_cache(fname)
    if os.path.exists(path):
        return path
    if not download_if_missing:
        raise OSError(
            f"{what} is not in the Keras cache ({path}) and download_if_missing=False."
            f" Download {url} and put it there, or pass path=... to the file."
        )
    import keras

    try:
        return keras.utils.get_file(fname, url)
    except Exception as exc:  # network, HTTP, disk: one clear message
        raise OSError(
            f"Could not download {what} from {url} ({exc}). Download it by hand and "
            f"put it at {path}, or pass path=... to the file."
        ) from None


def load_mnist(*, path=None, download_if_missing=True):
    """MNIST handwritten digits, (60000, 28, 28, 1) + (10000, 28, 28, 1) uint8.

    Read from ``path`` (Keras's ``mnist.npz``) when given; otherwise from the Keras
    cache (``~/.keras/datasets/mnist.npz``), downloading it there on first use.
    Offline, it fails at once saying what to download and where to put it.

    Parameters
    ----------
    path : str or None, default=None
        A local copy of ``mnist.npz``.
    download_if_missing : bool, default=True
        When False, a missing file raises ``OSError`` without trying the network.

    Returns
    -------
    (X_train, y_train), (X_test, y_test) : tuple of ndarray
        uint8 images with a channel axis (CNNClassifier rescales them) and int
        labels.
    """
    if path is None:
        path = _fetch(MNIST_URL, "mnist.npz", "MNIST", download_if_missing)
    try:
        with np.load(path, allow_pickle=False) as data:
            train = (data["x_train"][..., np.newaxis], data["y_train"])
            test = (data["x_test"][..., np.newaxis], data["y_test"])
    except (OSError, KeyError, ValueError) as exc:
        raise ValueError(f"MNIST: cannot read {path} as mnist.npz: {exc}") from None
    return train, test


def _read_cifar_batch(fh):
    batch = pickle.load(fh, encoding="bytes")
    images = batch[b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return images, np.asarray(batch[b"labels"])


def _read_cifar(root: str):
    def read(name):
        with open(os.path.join(root, name), "rb") as fh:
            return _read_cifar_batch(fh)

    parts = [read(f"data_batch_{i}") for i in range(1, 6)]
    X_train = np.concatenate([p[0] for p in parts])
    y_train = np.concatenate([p[1] for p in parts])
    return (X_train, y_train), read("test_batch")


def load_cifar10(*, path=None, download_if_missing=True):
    """CIFAR-10, (50000, 32, 32, 3) + (10000, 32, 32, 3) uint8, 10 classes.

    ``path`` may be the downloaded ``cifar-10-python.tar.gz`` or the folder
    ``cifar-10-batches-py`` extracted from it; otherwise the archive is taken from
    (or downloaded once to) the Keras cache. Offline, it fails at once saying what
    to download.

    Parameters
    ----------
    path : str or None, default=None
        Local archive or extracted folder.
    download_if_missing : bool, default=True
        When False, a missing archive raises ``OSError`` without the network.

    Returns
    -------
    (X_train, y_train), (X_test, y_test) : tuple of ndarray
        uint8 images and int labels (airplane, automobile, bird, cat, deer, dog,
        frog, horse, ship, truck).
    """
    if path is None:
        path = _fetch(
            CIFAR10_URL, "cifar-10-python.tar.gz", "CIFAR-10", download_if_missing
        )
    try:
        if os.path.isdir(path):
            return _read_cifar(path)
        with tempfile.TemporaryDirectory() as tmp:
            with tarfile.open(path) as tar:
                tar.extractall(tmp, filter="data")
            return _read_cifar(os.path.join(tmp, "cifar-10-batches-py"))
    except (OSError, tarfile.TarError, pickle.UnpicklingError, KeyError) as exc:
        raise ValueError(f"CIFAR-10: cannot read {path}: {exc}") from None


def load_image_folder(
    path, *, image_size=(64, 64), color_mode="grayscale", return_X_y=False
):
    """Load a folder-per-class image tree into arrays (the face-recognition lab).

    ``path/<class name>/<image files>``: every sub-folder is a class, in
    alphabetical order. Images are decoded by TensorFlow (PNG, JPEG, GIF, BMP) and
    resized to ``image_size``.

    Parameters
    ----------
    path : str
        Root folder.
    image_size : tuple of int, default=(64, 64)
        ``(height, width)`` after resizing.
    color_mode : {"grayscale", "rgb"}, default="grayscale"
        One or three channels.
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : Bunch or tuple
        ``images`` uint8 of shape (n, height, width, channels), ``target`` int
        labels, ``target_names`` (the folder names), ``filenames``.
    """
    import keras

    if not os.path.isdir(path):
        raise FileNotFoundError(f"Image folder not found: {path}")
    if color_mode not in ("grayscale", "rgb"):
        raise ValueError(
            f"color_mode must be 'grayscale' or 'rgb'; got {color_mode!r}."
        )
    ds = keras.utils.image_dataset_from_directory(
        path,
        labels="inferred",
        label_mode="int",
        color_mode=color_mode,
        image_size=tuple(image_size),
        batch_size=None,
        shuffle=False,
        verbose=False,
    )
    images, labels = [], []
    for image, label in ds.as_numpy_iterator():
        images.append(np.clip(np.rint(image), 0, 255).astype(np.uint8))
        labels.append(label)
    if not images:
        raise ValueError(f"No images found under {path}.")
    X, y = np.stack(images), np.asarray(labels)
    if return_X_y:
        return X, y
    return Bunch(
        images=X,
        data=X,
        target=y,
        target_names=np.asarray(ds.class_names),
        filenames=np.asarray(ds.file_paths),
    )

"""Text and sequence datasets: packaged sentiment sentences, IMDB, synthetic."""

from __future__ import annotations

import os

import numpy as np
from sklearn.utils import Bunch, check_random_state

from ._images import _fetch
from ._tabular import _packaged

SENTIMENT_FILES = {
    "imdb": "imdb_labelled.txt",
    "amazon": "amazon_cells_labelled.txt",
    "yelp": "yelp_labelled.txt",
}
IMDB_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz"


def _read_labelled_sentences(path, source: str):
    texts, labels = [], []
    with open(path, encoding="utf-8") as fh:
        # Split on "\n" only: the IMDb file holds U+0085, which str.splitlines()
        # takes for a line break.
        lines = fh.read().split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        text, sep, label = line.rstrip("\r").rpartition("\t")
        if not sep or label.strip() not in ("0", "1"):
            raise ValueError(
                f"Sentiment sentences: line {number} of {path} is not "
                "'sentence<TAB>0|1'; the file looks damaged."
            )
        texts.append(text.strip())
        labels.append(int(label))
    return texts, labels


def load_sentiment_sentences(*, source=("imdb", "amazon", "yelp"), return_X_y=False):
    """UCI "Sentiment Labelled Sentences": 1,000 sentences per source, 500 positive.

    Kotzias et al. (KDD 2015), CC BY 4.0; packaged, no download. Each line is split
    on its last TAB, which keeps all 1,000 IMDb rows that pandas' default quoting
    drops to 748.

    Parameters
    ----------
    source : str or tuple of str, default=("imdb", "amazon", "yelp")
        Which files: "imdb", "amazon", "yelp".
    return_X_y : bool, default=False
        Return ``(texts, y)`` instead of a Bunch.

    Returns
    -------
    data : Bunch or tuple
        ``data`` (ndarray of str), ``target`` (1 positive, 0 negative),
        ``source`` per row, ``target_names``, ``DESCR``.

    Examples
    --------
    >>> from sklkeras.datasets import load_sentiment_sentences
    >>> texts, labels = load_sentiment_sentences(source="yelp", return_X_y=True)
    >>> len(texts), int(labels.sum())
    (1000, 500)
    """
    sources = (source,) if isinstance(source, str) else tuple(source)
    unknown = [s for s in sources if s not in SENTIMENT_FILES]
    if unknown or not sources:
        raise ValueError(
            f"source must be among {sorted(SENTIMENT_FILES)}; got {source!r}."
        )
    texts, labels, origin = [], [], []
    for name in sources:
        t, lab = _read_labelled_sentences(
            _packaged(os.path.join("sentiment", SENTIMENT_FILES[name])), name
        )
        texts += t
        labels += lab
        origin += [name] * len(t)
    X = np.asarray(texts, dtype=object)
    y = np.asarray(labels)
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        source=np.asarray(origin),
        target_names=np.asarray(["negative", "positive"]),
        DESCR=load_sentiment_sentences.__doc__,
    )


def load_imdb(*, num_words=5000, maxlen=500, path=None, download_if_missing=True):
    """IMDB movie reviews as word-id sequences (25,000 train + 25,000 test).

    The Keras copy (``imdb.npz``, 17 MB), read from ``path`` or the Keras cache,
    downloaded there on first use; offline it fails at once saying what to fetch.
    Ids follow Keras's convention (1 start, 2 out of vocabulary, words from 3 by
    frequency); words ranked beyond ``num_words`` become 2. Sequences are padded or
    truncated at the front to ``maxlen``.

    Parameters
    ----------
    num_words : int, default=5000
        Keep the most frequent words.
    maxlen : int, default=500
        Length of every sequence.
    path : str or None, default=None
        A local ``imdb.npz``.
    download_if_missing : bool, default=True
        When False, a missing file raises ``OSError`` without the network.

    Returns
    -------
    (X_train, y_train), (X_test, y_test) : tuple of ndarray
        int32 arrays ``(25000, maxlen)`` and 0/1 labels.
    """
    import keras

    if path is None:
        path = _fetch(IMDB_URL, "imdb.npz", "IMDB", download_if_missing)
    try:
        with np.load(path, allow_pickle=True) as data:
            parts = [
                (data["x_train"], data["y_train"]),
                (data["x_test"], data["y_test"]),
            ]
    except (OSError, KeyError, ValueError) as exc:
        raise ValueError(f"IMDB: cannot read {path} as imdb.npz: {exc}") from None
    out = []
    for seqs, labels in parts:
        # Keras's layout: 1 = start, 2 = out of vocabulary, words from index 3.
        seqs = [[1] + [w + 3 if w + 3 < num_words else 2 for w in s] for s in seqs]
        X = keras.utils.pad_sequences(seqs, maxlen=maxlen, dtype="int32")
        out.append((X, np.asarray(labels)))
    return tuple(out)


def make_sequence_classification(
    n_samples=200,
    *,
    timesteps=20,
    n_features=1,
    n_classes=2,
    noise=0.3,
    random_state=None,
):
    """Synthetic numeric sequences whose class is the frequency of a sine wave.

    Each sample is ``sin(2 pi f t + phase)`` in every feature (random phase and
    amplitude per feature) plus Gaussian noise, with ``f`` set by the class, so the
    order of the steps matters and no single step gives the class away.

    Parameters
    ----------
    n_samples : int, default=200
        Number of sequences.
    timesteps : int, default=20
        Length of each sequence.
    n_features : int, default=1
        Values per step.
    n_classes : int, default=2
        Number of frequencies.
    noise : float, default=0.3
        Standard deviation of the added noise.
    random_state : int, RandomState instance or None, default=None
        Seed.

    Returns
    -------
    X : ndarray of shape (n_samples, timesteps, n_features), float32
    y : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from sklkeras.datasets import make_sequence_classification
    >>> X, y = make_sequence_classification(n_samples=100, random_state=0)
    >>> X.shape[0], sorted(set(y.tolist()))
    (100, [0, 1])
    """
    rng = check_random_state(random_state)
    y = rng.randint(0, n_classes, n_samples)
    t = np.arange(timesteps) / timesteps
    freq = 1.0 + 1.5 * y[:, None, None]
    phase = rng.uniform(0, 2 * np.pi, (n_samples, 1, n_features))
    amp = rng.uniform(0.5, 1.5, (n_samples, 1, n_features))
    X = amp * np.sin(2 * np.pi * freq * t[None, :, None] + phase)
    X += rng.normal(0, noise, X.shape)
    return X.astype(np.float32), y

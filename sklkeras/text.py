"""Raw text to padded token-id sequences, as a scikit-learn transformer."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted


def _as_texts(X, what: str) -> list[str]:
    if isinstance(X, str):
        raise TypeError(
            f"{what} expects an iterable of strings (one document each); got a "
            "single string. Wrap it in a list."
        )
    if hasattr(X, "ndim") and getattr(X, "ndim", 1) == 2:
        if X.shape[1] != 1:
            raise ValueError(
                f"{what} expects one text column; got X with {X.shape[1]} columns."
            )
        X = np.asarray(X)[:, 0]
    texts = list(X)
    bad = [type(t).__name__ for t in texts if not isinstance(t, str)]
    if bad:
        raise TypeError(f"{what} expects strings; got {bad[0]} values.")
    return texts


class TextVectorizer(TransformerMixin, BaseEstimator):
    """Learn a vocabulary from raw texts and turn texts into padded id sequences.

    A thin scikit-learn face on Keras's ``TextVectorization`` layer: ``fit``
    learns the ``max_tokens`` most frequent tokens (after lower-casing and
    stripping punctuation by default), ``transform`` returns an int array
    ``(n_samples, sequence_length)`` with 0 for padding and 1 for tokens outside
    the vocabulary, padded or truncated at the end. The output feeds
    :class:`sklkeras.SequenceClassifier` in a Pipeline. The learned vocabulary is
    stored as a plain list, so the transformer pickles and clones like any other.

    Parameters
    ----------
    max_tokens : int or None, default=20000
        Vocabulary size including the padding and out-of-vocabulary ids.
    sequence_length : int or None, default=None
        Length of the output rows; None uses the longest training text.
    standardize : {"lower_and_strip_punctuation", "lower", "strip_punctuation"} or None, default="lower_and_strip_punctuation"
        Text clean-up before splitting.
    split : {"whitespace", "character"}, default="whitespace"
        How texts are split into tokens.
    ngrams : int or None, default=None
        Also emit n-grams up to this length.

    Attributes
    ----------
    vocabulary_ : list of str
        Tokens by id ("" is padding, "[UNK]" out of vocabulary).
    sequence_length_ : int
        Length of the output rows.

    Examples
    --------
    >>> from sklkeras.text import TextVectorizer
    >>> tv = TextVectorizer(sequence_length=4).fit(["a good film", "a bad film"])
    >>> tv.transform(["good film!"]).shape
    (1, 4)
    """

    _parameter_constraints: dict = {
        "max_tokens": [Interval(Integral, 3, None, closed="left"), None],
        "sequence_length": [Interval(Integral, 1, None, closed="left"), None],
        "standardize": [
            StrOptions({"lower_and_strip_punctuation", "lower", "strip_punctuation"}),
            None,
        ],
        "split": [StrOptions({"whitespace", "character"})],
        "ngrams": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        max_tokens=20000,
        sequence_length=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
    ):
        self.max_tokens = max_tokens
        self.sequence_length = sequence_length
        self.standardize = standardize
        self.split = split
        self.ngrams = ngrams

    def _layer(self, vocabulary=None, sequence_length=None):
        import keras

        return keras.layers.TextVectorization(
            max_tokens=self.max_tokens,
            standardize=self.standardize,
            split=self.split,
            ngrams=self.ngrams,
            output_mode="int",
            output_sequence_length=sequence_length,
            vocabulary=vocabulary,
        )

    def fit(self, X, y=None):
        """Learn the vocabulary from the texts in X.

        Parameters
        ----------
        X : iterable of str
            Training texts.
        y : None
            Ignored.

        Returns
        -------
        self : TextVectorizer
        """
        self._validate_params()
        texts = _as_texts(X, type(self).__name__)
        if not texts:
            raise ValueError("TextVectorizer needs at least one text to fit.")
        layer = self._layer()
        layer.adapt(np.asarray(texts, dtype=object))
        self.vocabulary_ = [str(t) for t in layer.get_vocabulary()]
        if self.sequence_length is None:
            lengths = np.asarray(layer(np.asarray(texts, dtype=object)).shape)
            self.sequence_length_ = max(int(lengths[1]), 1)
        else:
            self.sequence_length_ = int(self.sequence_length)
        return self

    def transform(self, X):
        """Turn texts into padded token-id rows.

        Parameters
        ----------
        X : iterable of str
            Texts.

        Returns
        -------
        ids : ndarray of shape (n_samples, `sequence_length_`), dtype int64
        """
        check_is_fitted(self)
        texts = _as_texts(X, type(self).__name__)
        if not texts:
            return np.zeros((0, self.sequence_length_), dtype=np.int64)
        # "" and "[UNK]" are added by the layer itself.
        layer = self._layer(self.vocabulary_[2:], self.sequence_length_)
        return np.asarray(layer(np.asarray(texts, dtype=object)), dtype=np.int64)

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns: ``token_0`` ... ``token_{L-1}``.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored; present for scikit-learn's API.

        Returns
        -------
        names : ndarray of str of shape (`sequence_length_`,)
        """
        check_is_fitted(self)
        return np.asarray(
            [f"token_{i}" for i in range(self.sequence_length_)], dtype=object
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = True
        return tags


__all__ = ["TextVectorizer"]

"""Sequence classification: SequenceClassifier for token and numeric sequences."""

from __future__ import annotations

from numbers import Integral, Real

import keras
import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from ._engine import (
    ResetStatesEachEpoch,
    check_finite_output,
    reset_states,
)
from ._estimator import RECURRENT, SEQUENCE_LAYERS, BaseKerasClassifier, build_sequence
from ._utils import FLOATX, fill_doc, quiet_tensorflow

OOV_ID = 1  # id of out-of-vocabulary tokens, as in TextVectorizer (0 is padding)
# Without vocabulary_size, an Embedding is sized by the largest id seen at fit; past
# this (2**24 rows, 2 GB at embedding_dim=32) that is taken as a slip, not a choice.
MAX_INFERRED_VOCABULARY = 2**24


def _is_ragged(X) -> bool:
    if isinstance(X, np.ndarray):
        return X.dtype == object and X.ndim == 1
    if (
        isinstance(X, (list, tuple))
        and X
        and all(isinstance(s, (list, tuple, np.ndarray)) for s in X)
    ):
        return len({len(s) for s in X}) > 1
    return False


@fill_doc
class SequenceClassifier(BaseKerasClassifier):
    """Recurrent or 1-D convolutional classifier for sequences, trained with Keras.

    Three kinds of input:

    - token ids, an integer array ``(n, timesteps)`` (e.g. from
      :class:`sklkeras.text.TextVectorizer`): an Embedding comes first; the
      vocabulary size is taken from the data unless given; id 0 is padding (masked
      for recurrent layers), ids unseen at fit become 1 (out of vocabulary);
    - lists of token-id lists of different lengths: padded (at the front, as
      Keras's ``pad_sequences``) to ``maxlen`` or the longest training sequence;
    - numeric sequences ``(n, timesteps, features)``, or float ``(n, timesteps)``
      read as one feature per step: no Embedding.

    Parameters
    ----------
    layer : {{"auto", "lstm", "gru", "simple_rnn", "conv1d", "mlp"}}, default="auto"
        Body of the network: recurrent layers, Conv1D + MaxPooling1D blocks, or
        the book's Embedding -> Flatten -> Dense ("mlp"). "auto" is "conv1d" for
        token ids (words or n-grams that matter wherever they stand: a keyword
        task on 80-token sequences scores 1.00 against the LSTM's 0.86) and
        "lstm" for numeric sequences, where order and sums over time matter (an
        order task: LSTM 0.95, Conv1D 0.58), or whenever ``stateful``,
        ``bidirectional`` or ``recurrent_dropout`` asks for a recurrent layer.
        The layer used is ``layer_``.
    units : int or array-like of int, default=(64,)
        Units of each recurrent layer (stacked: every layer but the last returns
        sequences), filters of each Conv1D block, or units of each dense layer for
        "mlp".
    bidirectional : bool, default=False
        Wrap each recurrent layer in ``Bidirectional``.
    embedding_dim : int, default=32
        Size of the token embedding.
    vocabulary_size : int or None, default=None
        Number of token ids (largest id + 1); None takes it from the training data
        (refused past 2**24, which is more likely a slip than a vocabulary). Ids at
        or above it, at fit or predict, become 1 (out of vocabulary), whatever
        their integer type.
    maxlen : int or None, default=None
        Pad or truncate token sequences to this length (None: as given, or the
        longest sequence for ragged input).
    input_type : {{"auto", "tokens", "numeric"}}, default="auto"
        How to read 2-D input: "auto" takes integer arrays as token ids and float
        arrays as one-feature numeric sequences.
    dropout : float, default=0.0
        Dropout on the inputs of recurrent layers (or after conv / dense blocks).
    recurrent_dropout : float, default=0.0
        Dropout on the recurrent state.
    kernel_size : int, default=3
        Width of the Conv1D kernels.
    pool_size : int, default=2
        MaxPooling1D window after each Conv1D.
    global_pooling : {{"max", "avg"}} or None, default="max"
        For "conv1d": global pooling after the blocks (None: Flatten).
    dense_units : array-like of int, default=()
        Dense layers between the body and the output.
    stateful : bool, default=False
        Keep recurrent state across batches within an epoch (reset at each epoch
        start), with rows in order and a fixed ``batch_size``: the number of
        training samples must be a multiple of ``batch_size``. Not with
        ``early_stopping``.
    {training_params}
    class_weight : dict, "balanced" or None, default=None
        Weights per class, multiplied into ``sample_weight`` (a copy).
    {common_params}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    input_type_ : str
        "tokens" or "numeric".
    layer_ : str
        The body used: ``layer``, with "auto" resolved.
    input_shape_ : tuple of int
        Shape of one sequence as the network sees it.
    vocabulary_size_ : int
        Number of token ids the embedding holds (token input only; not set for
        numeric input).
    {fitted_attributes}

    Examples
    --------
    >>> import numpy as np
    >>> from sklkeras import SequenceClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randint(1, 20, size=(200, 12))
    >>> y = (X == 3).any(axis=1).astype(int)
    >>> clf = SequenceClassifier(layer="gru", units=(16,), epochs=20,
    ...                          random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **BaseKerasClassifier._parameter_constraints,
        "layer": [StrOptions({"auto", *SEQUENCE_LAYERS})],
        "units": ["array-like", Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
        "embedding_dim": [Interval(Integral, 1, None, closed="left")],
        "vocabulary_size": [Interval(Integral, 2, 2**31 - 1, closed="both"), None],
        "maxlen": [Interval(Integral, 1, None, closed="left"), None],
        "input_type": [StrOptions({"auto", "tokens", "numeric"})],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "kernel_size": [Interval(Integral, 1, None, closed="left")],
        "pool_size": [Interval(Integral, 1, None, closed="left")],
        "global_pooling": [StrOptions({"avg", "max"}), None],
        "dense_units": ["array-like"],
        "stateful": ["boolean"],
    }

    def __init__(
        self,
        layer="auto",
        units=(64,),
        *,
        bidirectional=False,
        embedding_dim=32,
        vocabulary_size=None,
        maxlen=None,
        input_type="auto",
        dropout=0.0,
        recurrent_dropout=0.0,
        kernel_size=3,
        pool_size=2,
        global_pooling="max",
        dense_units=(),
        stateful=False,
        optimizer="adam",
        learning_rate_init=None,
        learning_rate_schedule=None,
        batch_size=32,
        epochs=20,
        loss=None,
        metrics=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        class_weight=None,
        callbacks=None,
        checkpoint_dir=None,
        checkpoint_best_only=False,
        distribution=None,
        random_state=None,
        warm_start=False,
        verbose=0,
    ):
        self.layer = layer
        self.units = units
        self.bidirectional = bidirectional
        self.embedding_dim = embedding_dim
        self.vocabulary_size = vocabulary_size
        self.maxlen = maxlen
        self.input_type = input_type
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.kernel_size = kernel_size
        self.pool_size = pool_size
        self.global_pooling = global_pooling
        self.dense_units = dense_units
        self.stateful = stateful
        self.optimizer = optimizer
        self.learning_rate_init = learning_rate_init
        self.learning_rate_schedule = learning_rate_schedule
        self.batch_size = batch_size
        self.epochs = epochs
        self.loss = loss
        self.metrics = metrics
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.class_weight = class_weight
        self.callbacks = callbacks
        self.checkpoint_dir = checkpoint_dir
        self.checkpoint_best_only = checkpoint_best_only
        self.distribution = distribution
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose

    # ----------------------------------------------------------------- input
    def _check_X(self, X, *, reset: bool):
        if _is_ragged(X):
            maxlen = self.maxlen
            if maxlen is None:
                maxlen = max(len(s) for s in X) if reset else self.input_shape_[0]
            X = keras.utils.pad_sequences(list(X), maxlen=maxlen, dtype="int64")
        ndim = getattr(X, "ndim", None) or np.asarray(X, dtype=object).ndim
        if ndim == 2:
            X = validate_data(
                self, X, reset=reset, dtype="numeric", ensure_all_finite=True
            )
            kind = self.input_type
            if kind == "auto":
                kind = "tokens" if np.issubdtype(X.dtype, np.integer) else "numeric"
            if not reset and kind != self.input_type_:
                kind = self.input_type_
            if kind == "tokens":
                X = self._check_tokens(X, reset)
            else:
                X = X.astype(FLOATX, copy=False)[..., np.newaxis]
        elif ndim == 3:
            X = check_array(X, allow_nd=True, dtype=FLOATX, ensure_all_finite=True)
            kind = "numeric"
            if reset:
                self.n_features_in_ = int(np.prod(X.shape[1:]))
                if hasattr(self, "feature_names_in_"):
                    del self.feature_names_in_
        else:
            raise ValueError(
                f"{type(self).__name__} expects token ids (n, timesteps), lists of "
                "token lists, or numeric sequences (n, timesteps, features); got an "
                f"array with {ndim} dimension(s). Reshape your data, e.g. with "
                "X.reshape(1, -1) for a single sequence."
            )
        if reset:
            self.input_type_ = kind
            self.input_shape_ = tuple(int(s) for s in X.shape[1:])
            self._n_train_samples_ = X.shape[0]
        elif tuple(X.shape[1:]) != self.input_shape_:
            raise ValueError(
                f"X holds sequences of shape {tuple(X.shape[1:])}, but "
                f"{type(self).__name__} was fitted on {self.input_shape_}."
            )
        return X

    def _check_tokens(self, X, reset: bool):
        if not np.issubdtype(X.dtype, np.integer):
            if not np.all(np.mod(X, 1) == 0):
                raise ValueError(
                    "input_type='tokens' needs integer token ids; X has fractional "
                    "values."
                )
        if X.size and X.min() < 0:
            raise ValueError(f"Token ids must be >= 0; X contains {int(X.min())}.")
        if reset:
            largest = int(X.max()) if X.size else 0
            if self.vocabulary_size is None and largest >= MAX_INFERRED_VOCABULARY:
                raise ValueError(
                    f"The largest token id in X is {largest}: an Embedding of "
                    f"{largest + 1} rows would be built. Pass vocabulary_size= (ids "
                    "at or above it become the out-of-vocabulary id 1), or map the "
                    "ids to a dense range first (e.g. with TextVectorizer)."
                )
            self.vocabulary_size_ = int(self.vocabulary_size or max(largest + 1, 2))
        # Out-of-vocabulary ids are replaced in X's own dtype, before the cast to
        # int32, so that an id of 2**32 + 3 never wraps around to id 3.
        unseen = X >= self.vocabulary_size_
        if unseen.any():
            X = np.where(unseen, OOV_ID, X)
        X = X.astype(np.int32, copy=False)
        if self.maxlen is not None and X.shape[1] != self.maxlen:
            X = keras.utils.pad_sequences(X, maxlen=self.maxlen, dtype="int32")
        return X

    # --------------------------------------------------------------- network
    def _build_network(self, input_shape, n_outputs, output_activation, seed):
        units = (self.units,) if isinstance(self.units, Integral) else tuple(self.units)
        if not units or not all(isinstance(u, Integral) and u > 0 for u in units):
            raise ValueError(f"units must be positive integers; got {self.units!r}.")
        self.layer_ = self._resolve_layer()
        if self.stateful:
            self._check_stateful()
        return build_sequence(
            input_shape,
            n_outputs,
            layer=self.layer_,
            units=units,
            bidirectional=self.bidirectional,
            vocabulary_size=self.vocabulary_size_
            if self.input_type_ == "tokens"
            else None,
            embedding_dim=self.embedding_dim,
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
            kernel_size=self.kernel_size,
            pool_size=self.pool_size,
            global_pooling=self.global_pooling,
            dense_units=tuple(self.dense_units),
            output_activation=output_activation,
            batch_size=self._stateful_batch_size() if self.stateful else None,
            stateful=self.stateful,
            seed=seed,
        )

    def _resolve_layer(self) -> str:
        if self.layer != "auto":
            return self.layer
        recurrent = self.stateful or self.bidirectional or self.recurrent_dropout
        return "conv1d" if self.input_type_ == "tokens" and not recurrent else "lstm"

    def _stateful_batch_size(self) -> int:
        if self.batch_size == "auto":
            raise ValueError("stateful=True needs an integer batch_size, not 'auto'.")
        return int(self.batch_size)

    def _check_stateful(self):
        if self.layer_ not in RECURRENT:
            raise ValueError(
                f"stateful=True needs a recurrent layer (lstm, gru, simple_rnn); got "
                f"layer={self.layer!r}."
            )
        if self.early_stopping:
            raise ValueError(
                "stateful=True cannot be combined with early_stopping: the "
                "validation split would break the order of the sequences."
            )
        batch_size = self._stateful_batch_size()
        if self._n_train_samples_ % batch_size:
            raise ValueError(
                f"stateful=True needs a number of samples that is a multiple of "
                f"batch_size={batch_size}; got {self._n_train_samples_} samples."
            )

    def _fit_options(self) -> dict:
        return {"shuffle": not self.stateful}

    def _extra_callbacks(self) -> list:
        return [ResetStatesEachEpoch()] if self.stateful else []

    def _predict_raw(self, X) -> np.ndarray:
        if not self.stateful:
            return super()._predict_raw(X)
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        batch_size = self._stateful_batch_size()
        n = X.shape[0]
        pad = (-n) % batch_size  # the network only takes whole batches
        if pad:
            X = np.concatenate([X, np.repeat(X[-1:], pad, axis=0)])
        reset_states(self.model_)
        with quiet_tensorflow(0):
            out = self.model_.predict(X, batch_size=batch_size, verbose=0)
        reset_states(self.model_)
        return check_finite_output(np.asarray(out)[:n], X[:n])

"""
IMDB reviews: the book's MLP, Conv1D and LSTM models
====================================================

Task T9 of the book: IMDB movie reviews as word-id sequences, classified as
positive or negative by the book's three networks, each trained on the 25,000
training reviews and scored on the 25,000 test reviews.

Downloads IMDB (17 MB) into Keras's cache on first use. Run it with::

    python examples/imdb_sequences.py [--quick]

The full settings train 2 epochs (3 for the LSTM). ``--quick`` (the setting this
gallery was built with) trains 1 epoch on the first 300 training reviews, and
when IMDB is not already cached it uses random stand-in sequences instead of
downloading, so its scores then mean nothing.
"""

import functools

from _common import parse_args
from _images import load_or_stand_in

from sklkeras import SequenceClassifier
from sklkeras.datasets import load_imdb

args = parse_args(__doc__)

# %%
# Data
# ----
# Each review is a row of 500 word ids: the 5,000 most frequent words keep their
# own id, rarer words share one, and shorter reviews are padded at the front.

loader = functools.partial(load_imdb, num_words=5000, maxlen=500)
((X_train, y_train), (X_test, y_test)), _ = load_or_stand_in(
    loader, args.quick, (500,), n_classes=2
)
if args.quick:
    X_train, y_train = X_train[:300], y_train[:300]
epochs = 1 if args.quick else 2
common = dict(vocabulary_size=5000, embedding_dim=32, batch_size=128, random_state=7)

# %%
# The three networks
# ------------------
# All three start with an embedding of 32 dimensions per word. The MLP flattens
# the embedded review into one long row; the Conv1D model runs one convolution
# block over it and then flattens (``global_pooling=None``); the LSTM reads the
# review word by word.

models = {
    # Embedding(5000, 32, input_length=500) -> Flatten -> Dense(250) -> sigmoid
    "Embedding + MLP": SequenceClassifier(
        layer="mlp", units=(250,), epochs=epochs, **common
    ),
    # Embedding -> Conv1D(32, 3) -> MaxPooling1D(2) -> Flatten -> Dense(250)
    "Embedding + Conv1D": SequenceClassifier(
        layer="conv1d",
        units=(32,),
        global_pooling=None,
        dense_units=(250,),
        epochs=epochs,
        **common,
    ),
    # Embedding -> LSTM(100)
    "Embedding + LSTM(100)": SequenceClassifier(
        layer="lstm", units=(100,), epochs=1 if args.quick else 3, **common
    ),
}

# %%
# Training and test accuracy
# --------------------------
# Each model is fitted on the training reviews and scored on the test reviews.

for name, model in models.items():
    model.fit(X_train, y_train)
    print(f"{name:<24} test accuracy {model.score(X_test, y_test):.4f}")

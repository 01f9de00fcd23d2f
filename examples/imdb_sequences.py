"""T9 IMDB reviews as word-id sequences: the book's MLP, Conv1D and LSTM models.

Downloads IMDB (17 MB) into Keras's cache on first use; --quick without a cached
copy runs on random stand-in sequences.

    python examples/imdb_sequences.py [--quick]
"""

import functools

from _common import parse_args
from _images import load_or_stand_in

from sklkeras import SequenceClassifier
from sklkeras.datasets import load_imdb

args = parse_args(__doc__)
loader = functools.partial(load_imdb, num_words=5000, maxlen=500)
((X_train, y_train), (X_test, y_test)), _ = load_or_stand_in(
    loader, args.quick, (500,), n_classes=2
)
if args.quick:
    X_train, y_train = X_train[:300], y_train[:300]
epochs = 1 if args.quick else 2
common = dict(vocabulary_size=5000, embedding_dim=32, batch_size=128, random_state=7)

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
for name, model in models.items():
    model.fit(X_train, y_train)
    print(f"{name:<24} test accuracy {model.score(X_test, y_test):.4f}")

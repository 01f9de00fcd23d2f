"""T10 recurrent models on numeric sequences: SimpleRNN, stacked LSTM, stateful LSTM.

The data is synthetic (``make_sequence_classification``): noisy sine waves whose
frequency is the class, shaped (samples, timesteps, features) as in the notes.

    python examples/recurrent_numeric.py [--quick]
"""

from _common import parse_args
from sklearn.model_selection import train_test_split

from sklkeras import SequenceClassifier
from sklkeras.datasets import make_sequence_classification

args = parse_args(__doc__)
epochs = 2 if args.quick else 40
X, y = make_sequence_classification(
    640, timesteps=24, n_features=2, n_classes=3, random_state=7
)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=128, stratify=y, random_state=7
)  # 512 training rows: a multiple of the stateful batch size

models = {
    "SimpleRNN(32)": SequenceClassifier(layer="simple_rnn", units=(32,)),
    # every layer but the last returns full sequences
    "stacked LSTM(32, 16)": SequenceClassifier(layer="lstm", units=(32, 16)),
    "bidirectional GRU(16)": SequenceClassifier(
        layer="gru", units=(16,), bidirectional=True
    ),
    # state carried across the batches of an epoch, rows kept in order, reset
    # at each epoch start; needs a fixed batch size dividing the sample count
    "stateful LSTM(32)": SequenceClassifier(
        layer="lstm", units=(32,), stateful=True, batch_size=32
    ),
    "Conv1D + global average pooling": SequenceClassifier(
        layer="conv1d", units=(32, 32), global_pooling="avg"
    ),
}
for name, model in models.items():
    model.set_params(epochs=epochs, random_state=7).fit(X_train, y_train)
    print(f"{name:<34} test accuracy {model.score(X_test, y_test):.3f}")

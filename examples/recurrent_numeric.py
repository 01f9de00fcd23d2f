"""
Numeric sequences: SimpleRNN, stacked LSTM, stateful LSTM
=========================================================

Task T10 of the book: recurrent models, and a convolutional one, on numeric
sequences.

The data is synthetic (``make_sequence_classification``): noisy sine waves whose
frequency is the class, shaped (samples, timesteps, features) as in the notes.

Run it with::

    python examples/recurrent_numeric.py [--quick]

The full settings train 40 epochs; ``--quick`` (the setting this gallery was built
with) trains 2.
"""

import matplotlib.pyplot as plt
from _common import parse_args
from sklearn.model_selection import train_test_split

from sklkeras import SequenceClassifier
from sklkeras.datasets import make_sequence_classification

args = parse_args(__doc__)
epochs = 2 if args.quick else 40

# %%
# Data
# ----
# 640 sequences of 24 steps with 2 values per step, in 3 classes; 128 of them are
# held out for testing.

X, y = make_sequence_classification(
    640, timesteps=24, n_features=2, n_classes=3, random_state=7
)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=128, stratify=y, random_state=7
)  # 512 training rows: a multiple of the stateful batch size

# %%
# The first feature of one training sequence per class. Each feature has its
# own random phase and amplitude, so the class shows only in the frequency.

fig, ax = plt.subplots(figsize=(7, 3.5))
for label in sorted(set(y_train)):
    ax.plot(X_train[y_train == label][0, :, 0], marker=".", label=f"class {label}")
ax.set_xlabel("time step")
ax.set_ylabel("feature 0")
ax.legend()
fig.tight_layout()
plt.show()

# %%
# The models
# ----------
# ``SequenceClassifier`` reads a 3-D float array of shape (samples, timesteps,
# features) as numeric sequences, with no embedding layer. ``layer`` picks the body of
# the network and ``units`` the size of each stacked layer.

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

# %%
# Training and test accuracy
# --------------------------
# ``set_params`` gives every model the same number of epochs and seed before it
# is fitted on the training sequences and scored on the held-out ones.

for name, model in models.items():
    model.set_params(epochs=epochs, random_state=7).fit(X_train, y_train)
    print(f"{name:<34} test accuracy {model.score(X_test, y_test):.3f}")

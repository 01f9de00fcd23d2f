"""A training run for test_state's bit-for-bit resume test (run as a script).

argv: checkpoint directory, "early" (early stopping) or "all" (every epoch), and
the epoch after which to stall until killed (0: run to the end).
"""

import sys
import time

import keras
import numpy as np

from sklkeras import MLPClassifier


class Stall(keras.callbacks.Callback):
    def __init__(self, at):
        super().__init__()
        self.at = at

    def on_epoch_end(self, epoch, logs=None):
        print(f"done {epoch + 1}", flush=True)
        if epoch + 1 == self.at:
            time.sleep(600)  # killed here, with the checkpoint of this epoch saved


def estimator(mode, checkpoint_dir=None, stall=0):
    early = mode == "early"
    return MLPClassifier(
        hidden_layer_sizes=(16,),
        dropout=0.2,
        epochs=40 if early else 12,
        batch_size=16,
        learning_rate_init=0.01,
        early_stopping=early,
        n_iter_no_change=3 if early else None,
        checkpoint_dir=checkpoint_dir,
        callbacks=[Stall(stall)] if stall else None,
        random_state=0,
    )


def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 5))
    y = (X[:, 0] + 0.5 * rng.normal(size=200) > 0).astype(int)
    return X, y


if __name__ == "__main__":
    X, y = data()
    clf = estimator(sys.argv[2], sys.argv[1], int(sys.argv[3])).fit(X, y)
    print(f"final {clf.n_iter_}", flush=True)

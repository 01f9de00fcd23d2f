"""A training run used by test_lifecycle's kill-and-resume test (run as a script)."""

import sys
import time

import keras
import numpy as np

from sklkeras import MLPClassifier


class Progress(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        print(f"done {epoch + 1}", flush=True)
        time.sleep(0.05)


if __name__ == "__main__":
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 5))
    y = (X[:, 0] > 0).astype(int)
    clf = MLPClassifier(
        hidden_layer_sizes=(16,),
        epochs=60,
        batch_size=20,
        n_iter_no_change=None,
        checkpoint_dir=sys.argv[1],
        callbacks=[Progress()],
        random_state=0,
    ).fit(X, y)
    print(f"final {clf.n_iter_} {len(clf.history_['loss'])}", flush=True)

"""The training lifecycle of the face-recognition lab, on an offline image set.

SGD with Nesterov momentum, step learning-rate decay (halve every 10 epochs), a
checkpoint that keeps only the best model, reloading that file and scoring it on
held-out images, then continuing training with new data. The "faces" are synthetic
(one pattern per person plus noise), so the script runs anywhere.

    python examples/training_lifecycle.py [--quick]
"""

import tempfile
from pathlib import Path

import keras
import matplotlib
import numpy as np
from _common import parse_args
from sklearn.model_selection import train_test_split

import sklkeras
from sklkeras import CNNClassifier, plot_history
from sklkeras.callbacks import StepDecay

matplotlib.use("Agg")  # headless: the figure goes to a PNG file
args = parse_args(__doc__)
epochs = 3 if args.quick else 30


def synthetic_faces(n_people=5, per_person=40, size=24, seed=0):
    rng = np.random.RandomState(seed)
    yy, xx = np.mgrid[:size, :size]
    images, labels = [], []
    for p in range(n_people):
        pattern = 120 + 90 * np.sin(xx * (p + 1) / 5.0) * np.cos(yy * (p + 2) / 7.0)
        for _ in range(per_person):
            img = np.clip(pattern + rng.normal(0, 30, pattern.shape), 0, 255)
            images.append(img.astype(np.uint8)[..., np.newaxis])
            labels.append(f"person_{p}")
    return np.stack(images), np.array(labels)


X, y = synthetic_faces()
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.15, stratify=y, random_state=7
)

with tempfile.TemporaryDirectory() as tmp:
    clf = CNNClassifier(
        filters=(16, 32),
        convs_per_block=2,
        block_dropout=0.2,
        dense_units=(64,),
        dropout=0.5,
        optimizer=keras.optimizers.SGD(momentum=0.9, nesterov=True),
        learning_rate_init=0.01,
        learning_rate_schedule=StepDecay(drop=0.5, epochs_drop=10),
        early_stopping=True,
        validation_fraction=0.15,
        n_iter_no_change=None,
        checkpoint_dir=tmp,
        checkpoint_best_only=True,
        epochs=epochs,
        batch_size=16,
        random_state=7,
    ).fit(X_train, y_train)
    rates = clf.history_["learning_rate"]
    print(
        f"trained {clf.n_iter_} epochs; learning rate {rates[0]:.4f} -> {rates[-1]:.4f}"
    )

    # The checkpoint file is a complete estimator: reload the best model.
    (best_file,) = Path(tmp).glob("*.skk")
    best = sklkeras.load(best_file)
    print(
        f"best checkpoint reloaded: held-out accuracy {best.score(X_test, y_test):.3f}"
    )

    # Save the final estimator and load it back for "production".
    final_file = Path(tmp) / "final.skk"
    clf.save(final_file)
    reloaded = sklkeras.load(final_file)
    assert (reloaded.predict(X_test) == clf.predict(X_test)).all()

    # New photos arrive: continue training the reloaded model, one epoch per batch.
    X_new, y_new = synthetic_faces(seed=1)
    for _ in range(2 if args.quick else 5):
        reloaded.partial_fit(X_new, y_new)
    print(f"after new data: held-out accuracy {reloaded.score(X_test, y_test):.3f}")

    ax = plot_history(
        clf, ["loss", "accuracy"] if "accuracy" in clf.history_ else "loss"
    )
    ax.figure.savefig(Path(tmp) / "history.png")
    print("learning curves drawn")

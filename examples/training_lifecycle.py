"""
Training lifecycle: schedules, checkpoints, reloading, more data
================================================================

The training lifecycle of the face-recognition lab, on an offline image set: SGD
with Nesterov momentum, step learning-rate decay (halve every 10 epochs), a
checkpoint that keeps only the best model, reloading that file and scoring it on
held-out images, then continuing training with new data. The "faces" are synthetic
(one pattern per person plus noise), so the script runs anywhere.

Run it with::

    python examples/training_lifecycle.py [--quick]

The full settings train 30 epochs and then 5 epochs on new data; ``--quick`` (the
setting this gallery was built with) trains 3 and 2, too few for the learning
rate to reach its first drop.
"""

import tempfile
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
from _common import parse_args
from sklearn.model_selection import train_test_split

import sklkeras
from sklkeras import CNNClassifier, plot_history
from sklkeras.callbacks import StepDecay

args = parse_args(__doc__)
epochs = 3 if args.quick else 30

# %%
# Synthetic faces
# ---------------
# 40 grey 24x24 images for each of 5 "people", each person a wave pattern plus
# noise; 15% of them are held out, stratified by person.


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

# %%
# Training with a schedule and a best-only checkpoint
# ---------------------------------------------------
# The optimizer is an SGD object with Nesterov momentum; ``learning_rate_init``
# sets its starting rate and ``StepDecay`` halves it every 10 epochs.
# ``early_stopping=True`` holds out 15% of the training images and scores them
# after each epoch; with ``n_iter_no_change=None`` training never stops early.
# ``checkpoint_dir`` with ``checkpoint_best_only=True`` saves the estimator to a
# file whenever the validation loss improves. The files go to a temporary
# folder, removed at the end of the script.

workdir = tempfile.TemporaryDirectory()
tmp = workdir.name
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
print(f"trained {clf.n_iter_} epochs; learning rate {rates[0]:.4f} -> {rates[-1]:.4f}")

# %%
# Learning curves
# ---------------
# ``history_`` holds one value per epoch for the training loss and accuracy, their
# validation counterparts and the learning rate used. :func:`sklkeras.plot_history`
# draws the first two (validation dashed); the learning rate is drawn next to
# them with plain matplotlib.

fig, (ax_loss, ax_acc, ax_lr) = plt.subplots(1, 3, figsize=(13, 4))
plot_history(clf, "loss", ax=ax_loss)
plot_history(clf, "accuracy", ax=ax_acc)
ax_lr.plot(range(1, len(rates) + 1), rates, drawstyle="steps-post")
ax_lr.set_xlabel("epoch")
ax_lr.set_title("learning rate (StepDecay)")
fig.tight_layout()
plt.show()

# %%
# Reloading the best checkpoint
# -----------------------------
# The checkpoint file is a complete estimator: ``sklkeras.load`` returns a fitted
# ``CNNClassifier`` that predicts and scores like the original.

(best_file,) = Path(tmp).glob("*.skk")
best = sklkeras.load(best_file)
print(f"best checkpoint reloaded: held-out accuracy {best.score(X_test, y_test):.3f}")

# %%
# Saving for production
# ---------------------
# ``save`` writes the final estimator to one file; loaded back, it makes the same
# predictions.

final_file = Path(tmp) / "final.skk"
clf.save(final_file)
reloaded = sklkeras.load(final_file)
assert (reloaded.predict(X_test) == clf.predict(X_test)).all()

# %%
# Continuing with new data
# ------------------------
# New photos arrive: ``partial_fit`` trains the reloaded model one epoch per call
# on them, starting from its current weights.

X_new, y_new = synthetic_faces(seed=1)
for _ in range(2 if args.quick else 5):
    reloaded.partial_fit(X_new, y_new)
print(f"after new data: held-out accuracy {reloaded.score(X_test, y_test):.3f}")

workdir.cleanup()

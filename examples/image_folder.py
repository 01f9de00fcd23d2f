"""
Image folders: a folder-per-class tree into a CNN
=================================================

Task T8 of the book: the face-recognition lab's way of loading images, one folder
per class, then a CNN trained on them.

The lab reads grey photos of 16 people, one folder each. To run offline this script
first writes a small synthetic tree (each "person" a different pattern plus noise),
then loads it with ``load_image_folder`` as one would the real photos.

Run it with::

    python examples/image_folder.py [--quick] [--folder PATH]

``--folder`` points at an existing folder-per-class tree to use instead of the
synthetic one. The full settings train 30 epochs; ``--quick`` (the setting this
gallery was built with) trains 2 epochs.
"""

import pathlib
import tempfile

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from _common import make_parser
from sklearn.model_selection import train_test_split

from sklkeras import CNNClassifier
from sklkeras.datasets import load_image_folder

parser = make_parser(__doc__)
parser.add_argument("--folder", help="an existing folder-per-class tree to use instead")
args = parser.parse_args()

# %%
# A synthetic folder tree
# -----------------------
# ``write_synthetic_tree`` writes 30 PNG files for each of 4 "people", in
# ``person_00/``, ``person_01/`` and so on: one wave pattern per person plus
# random noise.


def write_synthetic_tree(root, n_people=4, per_person=30, size=48):
    rng = np.random.RandomState(0)
    yy, xx = np.mgrid[:size, :size]
    for p in range(n_people):
        folder = root / f"person_{p:02d}"
        folder.mkdir(parents=True)
        pattern = 100 + 80 * np.sin(xx * (p + 1) / 6.0) * np.cos(yy * (p + 2) / 9.0)
        for i in range(per_person):
            img = np.clip(pattern + rng.normal(0, 25, pattern.shape), 0, 255)
            png = tf.io.encode_png(img.astype(np.uint8)[..., np.newaxis])
            tf.io.write_file(str(folder / f"{i:03d}.png"), png)
    return root


# %%
# Loading the tree
# ----------------
# ``load_image_folder`` makes each sub-folder a class, in alphabetical order,
# and resizes every image to ``image_size``. It returns a Bunch: ``images`` as
# uint8 arrays, ``target`` as integer labels and ``target_names`` as the folder
# names.

with tempfile.TemporaryDirectory() as tmp:
    folder = args.folder or write_synthetic_tree(pathlib.Path(tmp) / "faces")
    data = load_image_folder(folder, image_size=(42, 42), color_mode="grayscale")
print(
    f"{len(data.images)} images of {len(data.target_names)} people, "
    f"shape {data.images.shape[1:]}"
)

# %%
# The first image of each class (of the first eight, for a larger tree):

names = data.target_names[:8]  # at most 8 classes
fig, axes = plt.subplots(1, len(names), figsize=(2 * len(names), 2.4), squeeze=False)
for label, ax in enumerate(axes[0]):
    ax.imshow(data.images[data.target == label][0, ..., 0], cmap="gray")
    ax.set_title(names[label])
    ax.axis("off")
plt.show()

# %%
# Split and train
# ---------------
# The lab holds out 15% of the images, stratified by person. The CNN has three
# blocks of two convolutions (32, 64 and 128 filters) and a dense layer of 256
# units, with dropout after each block and before the output.

X_train, X_test, y_train, y_test = train_test_split(
    data.images, data.target, test_size=0.15, stratify=data.target, random_state=7
)
clf = CNNClassifier(
    filters=(32, 64, 128),
    convs_per_block=2,
    block_dropout=0.2,
    dense_units=(256,),
    dropout=0.5,
    epochs=2 if args.quick else 30,
    random_state=7,
)
clf.fit(X_train, y_train)

# %%
# Held-out accuracy
# -----------------
# ``predict`` returns the integer labels it was trained on; ``target_names``
# turns them back into folder names.

print(f"held-out accuracy: {clf.score(X_test, y_test):.3f}")
print("predicted:", data.target_names[clf.predict(X_test[:5])].tolist())

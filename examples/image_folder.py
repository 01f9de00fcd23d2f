"""T8 a folder-per-class image tree into a CNN (the face-recognition lab's loading).

The lab reads grey photos of 16 people, one folder each. To run offline this script
first writes a small synthetic tree (each "person" a different pattern plus noise),
then loads it with ``load_image_folder`` as one would the real photos.

    python examples/image_folder.py [--quick] [--folder PATH]
"""

import argparse
import pathlib
import tempfile

import numpy as np
import tensorflow as tf
from sklearn.model_selection import train_test_split

from sklkeras import CNNClassifier
from sklkeras.datasets import load_image_folder

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--quick", action="store_true")
parser.add_argument("--folder", help="an existing folder-per-class tree to use instead")
args = parser.parse_args()


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


with tempfile.TemporaryDirectory() as tmp:
    folder = args.folder or write_synthetic_tree(pathlib.Path(tmp) / "faces")
    data = load_image_folder(folder, image_size=(42, 42), color_mode="grayscale")
print(
    f"{len(data.images)} images of {len(data.target_names)} people, "
    f"shape {data.images.shape[1:]}"
)

# The lab's 85/15 split.
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
print(f"held-out accuracy: {clf.score(X_test, y_test):.3f}")
print("predicted:", data.target_names[clf.predict(X_test[:5])].tolist())

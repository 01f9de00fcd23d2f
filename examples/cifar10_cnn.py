"""
CIFAR-10: small CNNs, augmentation and global pooling
=====================================================

Task T7 of the book: a small CNN, the same with augmentation, and a VGG-like CNN
with global average pooling, each trained on the 50,000 CIFAR-10 training images
and scored on the 10,000 test images.

Downloads CIFAR-10 (170 MB) into Keras's cache on first use. The full run takes
hours on a laptop CPU. Run it with::

    python examples/cifar10_cnn.py [--quick]

The full settings train 25 epochs. ``--quick`` (the setting this gallery was
built with) trains 1 epoch on the first 1,000 training images, and when CIFAR-10
is not already cached it uses random stand-in images instead of downloading, so
its scores then mean nothing; it checks the code path in seconds.
"""

import keras
from _common import parse_args
from _images import load_or_stand_in

from sklkeras import CNNClassifier
from sklkeras.datasets import load_cifar10

args = parse_args(__doc__)

# %%
# Data
# ----
# Colour images of shape (32, 32, 3) with uint8 pixels, in ten classes.

((X_train, y_train), (X_test, y_test)), _ = load_or_stand_in(
    load_cifar10, args.quick, (32, 32, 3)
)
epochs = 1 if args.quick else 25
if args.quick:
    X_train, y_train = X_train[:1000], y_train[:1000]

# %%
# The models
# ----------
# The small CNN is one block of two 3x3 convolutions with 32 filters, then a
# dense layer of 512 units, trained with the book's SGD settings. The second
# model is the same network with random shifts and horizontal flips of the
# training images (augmentation is applied during training only). The third
# stacks three blocks with batch normalization and replaces the flattening by
# global average pooling.


def sgd():
    # The book: SGD, learning rate 0.01, momentum 0.9.
    return keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)


small = dict(
    filters=(32,),
    convs_per_block=2,
    block_dropout=0.2,
    dense_units=(512,),
    dropout=0.5,
    optimizer=sgd(),
    epochs=epochs,
    random_state=7,
)
models = {
    "small CNN": CNNClassifier(**small),
    "small CNN + augmentation": CNNClassifier(
        **small, augmentation={"translation": 0.1, "flip": "horizontal"}
    ),
    "VGG-like + global avg pooling": CNNClassifier(
        filters=(32, 64, 128),
        convs_per_block=2,
        batch_normalization=True,
        block_dropout=0.2,
        global_pooling="avg",
        dense_units=(128,),
        dropout=0.5,
        batch_size=64,
        epochs=epochs,
        random_state=7,
    ),
}

# %%
# Training and test accuracy
# --------------------------
# Each model is fitted on the training images and scored on the test images.

for name, model in models.items():
    model.fit(X_train, y_train)
    print(f"{name:<32} test accuracy {model.score(X_test, y_test):.4f}")

"""T7 CIFAR-10: a small CNN, the same with augmentation, and a global-pooling CNN.

Downloads CIFAR-10 (170 MB) into Keras's cache on first use. The full run takes
hours on a laptop CPU; --quick checks the code path in seconds.

    python examples/cifar10_cnn.py [--quick]
"""

import keras
from _common import parse_args
from _images import load_or_stand_in

from sklkeras import CNNClassifier
from sklkeras.datasets import load_cifar10

args = parse_args(__doc__)
((X_train, y_train), (X_test, y_test)), _ = load_or_stand_in(
    load_cifar10, args.quick, (32, 32, 3)
)
epochs = 1 if args.quick else 25
if args.quick:
    X_train, y_train = X_train[:1000], y_train[:1000]


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
for name, model in models.items():
    model.fit(X_train, y_train)
    print(f"{name:<32} test accuracy {model.score(X_test, y_test):.4f}")

"""T5 MNIST: the book's MLP, simple CNN and larger CNN, scored on the test set.

Downloads MNIST (11 MB) into Keras's cache on first use.

    python examples/mnist_cnn.py [--quick]
"""

from _common import parse_args
from _images import load_or_stand_in
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklkeras import CNNClassifier, MLPClassifier
from sklkeras.datasets import load_mnist
from sklkeras.tasks import flatten_images

args = parse_args(__doc__)
((X_train, y_train), (X_test, y_test)), _ = load_or_stand_in(
    load_mnist, args.quick, (28, 28, 1)
)
epochs = 1 if args.quick else 10
if args.quick:
    X_train, y_train = X_train[:2000], y_train[:2000]

models = {
    # 784 -> Dense(784, relu) -> Dense(10, softmax), pixels scaled to [0, 1]
    "MLP 784-784-10": make_pipeline(
        FunctionTransformer(flatten_images),
        MLPClassifier(
            hidden_layer_sizes=(784,), batch_size=200, epochs=epochs, random_state=7
        ),
    ),
    # Conv 32 5x5 -> MaxPool -> Dropout 0.2 -> Flatten -> Dense 128 -> softmax
    "simple CNN": CNNClassifier(
        filters=(32,),
        kernel_size=5,
        block_dropout=0.2,
        dense_units=(128,),
        batch_size=200,
        epochs=epochs,
        random_state=7,
    ),
    # Conv 30 5x5 -> pool -> Conv 15 3x3 -> pool -> Dropout 0.2 -> Dense 128 -> 50
    "larger CNN": CNNClassifier(
        filters=(30, 15),
        kernel_size=(5, 3),
        block_dropout=(0.0, 0.2),
        dense_units=(128, 50),
        batch_size=200,
        epochs=epochs,
        random_state=7,
    ),
}
for name, model in models.items():
    model.fit(X_train, y_train)  # uint8 pixels: rescaled to [0, 1] by the estimator
    error = 1.0 - model.score(X_test, y_test)
    print(f"{name:<16} test error {100 * error:.2f}%")

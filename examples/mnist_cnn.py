"""
MNIST: the book's MLP, simple CNN and larger CNN
================================================

Task T5 of the book: three networks trained on the 60,000 MNIST training images
and scored on the 10,000 test images.

Downloads MNIST (11 MB) into Keras's cache on first use. Run it with::

    python examples/mnist_cnn.py [--quick]

The full settings train 10 epochs. ``--quick`` (the setting this gallery was built
with) trains 1 epoch on the first 2,000 training images, and when MNIST is not
already cached it uses random stand-in images instead of downloading, so its
scores and figure then mean nothing.
"""

import matplotlib.pyplot as plt
from _common import parse_args
from _images import load_or_stand_in
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklkeras import CNNClassifier, MLPClassifier
from sklkeras.datasets import load_mnist
from sklkeras.tasks import flatten_images

args = parse_args(__doc__)

# %%
# Data
# ----
# Images of shape (28, 28, 1) with uint8 pixels, and the digit as the label. The
# CNNs rescale the pixels to [0, 1] themselves; for the MLP, ``flatten_images``
# does it while flattening.

((X_train, y_train), (X_test, y_test)), _ = load_or_stand_in(
    load_mnist, args.quick, (28, 28, 1)
)
epochs = 1 if args.quick else 10
if args.quick:
    X_train, y_train = X_train[:2000], y_train[:2000]

# %%
# The book's three networks
# -------------------------
# The MLP sees each image as a flat row of 784 pixels; the two CNNs take the
# images as they are. All three train in batches of 200.

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

# %%
# Training and test error
# -----------------------
# Each model is fitted on the training images and scored on the test images;
# the book reports the error rate, one minus the accuracy.

for name, model in models.items():
    model.fit(X_train, y_train)  # uint8 pixels: rescaled to [0, 1] by the estimator
    error = 1.0 - model.score(X_test, y_test)
    print(f"{name:<16} test error {100 * error:.2f}%")

# %%
# Confusion matrix of the larger CNN
# ----------------------------------
# Rows are the true digits of the test images, columns the predicted ones; the
# off-diagonal cells are the errors.

ConfusionMatrixDisplay.from_estimator(models["larger CNN"], X_test, y_test)
plt.title("larger CNN, test images")
plt.show()

"""T5 offline: a CNN against MLPs on scikit-learn's 8x8 digits (no download).

python examples/digits_cnn.py [--quick]
"""

from _common import parse_args
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neural_network import MLPClassifier as SkMLP
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklkeras import CNNClassifier, MLPClassifier
from sklkeras.datasets import load_digits_images
from sklkeras.tasks import flatten_images

args = parse_args(__doc__)
epochs, folds = (3, 3) if args.quick else (40, 5)

X, y = load_digits_images(return_X_y=True)  # (1797, 8, 8, 1), pixels in [0, 1]
flat = FunctionTransformer(flatten_images)

models = {
    "CNNClassifier": CNNClassifier(
        filters=(32, 64),
        dense_units=(128,),
        dropout=0.3,
        block_dropout=0.2,
        epochs=epochs,
        random_state=7,
    ),
    "MLPClassifier (flat pixels)": make_pipeline(
        flat, MLPClassifier(epochs=5 * epochs, random_state=7)
    ),
    "scikit-learn MLP (flat)": make_pipeline(flat, SkMLP(max_iter=500, random_state=7)),
}
cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
for name, model in models.items():
    scores = cross_val_score(model, X, y, cv=cv)
    print(f"{name:<30} {scores.mean():.4f} +/- {scores.std():.4f}")

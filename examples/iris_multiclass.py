"""T2 iris: multiclass classification straight from the string labels.

The notes encode the labels with LabelEncoder and one-hot vectors; sklkeras takes the
strings as they are and returns them from predict.

    python examples/iris_multiclass.py [--quick]
"""

from _common import parse_args
from sklearn.datasets import load_iris
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklkeras import MLPClassifier

args = parse_args(__doc__)
epochs, folds = (10, 3) if args.quick else (200, 10)

iris = load_iris()
X, y = iris.data, iris.target_names[iris.target]  # "setosa", "versicolor", ...

model = make_pipeline(
    StandardScaler(),
    MLPClassifier(hidden_layer_sizes=(8,), epochs=epochs, batch_size=5, random_state=7),
)
cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
scores = cross_val_score(model, X, y, cv=cv)
print(f"{folds}-fold accuracy: {scores.mean():.3f} +/- {scores.std():.3f}")

model.fit(X, y)
print("classes:", model[-1].classes_.tolist())
print("first rows:", model.predict(X[:3]).tolist())
print("probabilities of row 0:", model.predict_proba(X[:1]).round(3))

"""T9 offline: sentiment of 3,000 review sentences with sequence models vs TF-IDF.

Raw strings go into a Pipeline: TextVectorizer learns the vocabulary inside each
training fold, SequenceClassifier learns the embedding and the network.

    python examples/sentiment_sentences.py [--quick]
"""

from _common import parse_args
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from sklkeras import SequenceClassifier
from sklkeras.datasets import load_sentiment_sentences
from sklkeras.text import TextVectorizer

args = parse_args(__doc__)
epochs, folds = (2, 2) if args.quick else (10, 10)
texts, y = load_sentiment_sentences(return_X_y=True)
if args.quick:
    texts, y = texts[::10], y[::10]


def seq(**params):
    return make_pipeline(
        TextVectorizer(max_tokens=5000, sequence_length=40),
        SequenceClassifier(embedding_dim=64, epochs=epochs, random_state=7, **params),
    )


models = {
    "LSTM(64)": seq(layer="lstm", units=(64,), dropout=0.3),
    "GRU(64)": seq(layer="gru", units=(64,), dropout=0.3),
    "Conv1D(64) + global max pool": seq(layer="conv1d", units=(64,), dropout=0.5),
    "bag of embeddings (Flatten-Dense)": seq(layer="mlp", units=(16,), dropout=0.5),
    "TF-IDF 1-2 grams + logistic regression": make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(max_iter=2000)
    ),
}
cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
for name, model in models.items():
    scores = cross_val_score(model, texts, y, cv=cv)
    print(f"{name:<40} {scores.mean():.3f} +/- {scores.std():.3f}")

grid = GridSearchCV(
    seq(layer="lstm", units=(32,)),
    {"sequenceclassifier__layer": ["lstm", "gru", "conv1d"]},
    cv=2 if args.quick else 3,
).fit(texts, y)
print(f"grid search: best layer {grid.best_params_}, accuracy {grid.best_score_:.3f}")

"""
Sentiment sentences: sequence models against TF-IDF
===================================================

Task T9 of the book, offline: the sentiment (positive or negative) of 3,000 review
sentences, packaged with sklkeras, classified with sequence models and with a
TF-IDF baseline.

Raw strings go into a Pipeline: ``TextVectorizer`` learns the vocabulary inside each
training fold, ``SequenceClassifier`` learns the embedding and the network.

Run it with::

    python examples/sentiment_sentences.py [--quick]

The full settings train 10 epochs and use 10 folds. ``--quick`` (the setting this
gallery was built with) trains 2 epochs, uses 2 folds and keeps every tenth
sentence.
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

# %%
# Data
# ----
# 1,000 sentences each from IMDb, Amazon and Yelp reviews, half of them positive,
# as an array of strings and a 0/1 target.

texts, y = load_sentiment_sentences(return_X_y=True)
if args.quick:
    texts, y = texts[::10], y[::10]

# %%
# From raw text to a network
# --------------------------
# ``TextVectorizer`` keeps the 5,000 most frequent tokens and turns each sentence
# into 40 token ids, padded or cut at the end. ``SequenceClassifier`` embeds each
# id in 64 dimensions and passes the sequence to the chosen layer.


def seq(**params):
    return make_pipeline(
        TextVectorizer(max_tokens=5000, sequence_length=40),
        SequenceClassifier(embedding_dim=64, epochs=epochs, random_state=7, **params),
    )


# %%
# Models compared
# ---------------
# An LSTM, a GRU, a 1-D convolution with global max pooling and a flattened bag
# of embeddings, against TF-IDF features of words and word pairs with logistic
# regression. All are scored on the same stratified folds.

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

# %%
# Grid search over the layer type
# -------------------------------
# The recurrent or convolutional layer is an ordinary parameter, so
# ``GridSearchCV`` can choose it; the vocabulary is again learned inside each
# training fold.

grid = GridSearchCV(
    seq(layer="lstm", units=(32,)),
    {"sequenceclassifier__layer": ["lstm", "gru", "conv1d"]},
    cv=2 if args.quick else 3,
).fit(texts, y)
print(f"grid search: best layer {grid.best_params_}, accuracy {grid.best_score_:.3f}")

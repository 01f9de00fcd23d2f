"""The text tasks' models: the sentiment sentences and IMDB reviews, sequence
networks against TF-IDF with logistic regression."""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from ..sequence import SequenceClassifier
from ..text import TextVectorizer


def sentiment_models(seed, quick):
    def seq(**params):
        return make_pipeline(
            TextVectorizer(max_tokens=5000, sequence_length=40),
            SequenceClassifier(random_state=seed, **params),
        )

    epochs = 2 if quick else 10
    return {
        # 10-fold 0.833 (all 3,000 sentences): the best SequenceClassifier found.
        "sklkeras Conv1D": seq(
            layer="conv1d", units=(64,), embedding_dim=64, dropout=0.5, epochs=epochs
        ),
        "sklkeras BiGRU": seq(
            layer="gru",
            units=(32,),
            bidirectional=True,
            embedding_dim=64,
            dropout=0.3,
            epochs=2 if quick else 8,
        ),
        "TF-IDF + logistic regression": make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(max_iter=2000)
        ),
    }


def imdb_models(seed, quick):
    epochs = 1 if quick else 2
    common = dict(batch_size=128, epochs=epochs, random_state=seed)
    return {
        # Embedding(5000, 32) -> Flatten -> Dense(250) -> sigmoid
        "sklkeras Embedding-MLP": SequenceClassifier(
            layer="mlp", units=(250,), vocabulary_size=5000, **common
        ),
        # Embedding -> Conv1D(32, 3) -> MaxPooling1D -> Flatten -> Dense(250)
        "sklkeras Conv1D": SequenceClassifier(
            layer="conv1d",
            units=(32,),
            global_pooling=None,
            dense_units=(250,),
            vocabulary_size=5000,
            **common,
        ),
        # Embedding -> LSTM(100)
        "sklkeras LSTM": SequenceClassifier(
            layer="lstm",
            units=(100,),
            vocabulary_size=5000,
            **{**common, "epochs": 1 if quick else 3},
        ),
    }

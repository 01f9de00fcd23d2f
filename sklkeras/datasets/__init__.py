"""Dataset loaders: small files shipped with the package, larger ones downloaded."""

from ._images import (
    load_cifar10,
    load_digits_images,
    load_image_folder,
    load_mnist,
)
from ._tabular import (
    load_bank_marketing,
    load_boston,
    load_pima_diabetes,
)
from ._text import (
    load_imdb,
    load_sentiment_sentences,
    make_sequence_classification,
)

__all__ = [
    "load_bank_marketing",
    "load_boston",
    "load_cifar10",
    "load_digits_images",
    "load_image_folder",
    "load_imdb",
    "load_mnist",
    "load_pima_diabetes",
    "load_sentiment_sentences",
    "make_sequence_classification",
]

"""Hooks for sphinx-gallery, named by string in conf.py so the config pickles."""

import gc

#: Gallery order: the tasks of the book, tabular first, then images, then text,
#: then the general-purpose examples.
ORDER = [
    "pima_diabetes.py",
    "iris_multiclass.py",
    "boston_regression.py",
    "bank_marketing.py",
    "digits_cnn.py",
    "mnist_cnn.py",
    "cifar10_cnn.py",
    "image_folder.py",
    "sentiment_sentences.py",
    "imdb_sequences.py",
    "recurrent_numeric.py",
    "training_lifecycle.py",
    "pima_callbacks.py",
    "serving_onnx.py",
    "bring_your_own_model.py",
]


def reset_argv(gallery_conf, script_vars):
    """Every example runs with its --quick settings during the docs build."""
    return ["--quick"]


def reset_keras(gallery_conf, fname):
    """Drop the previous example's Keras graphs and models."""
    import keras

    keras.backend.clear_session()
    gc.collect()


class TaskOrder:
    """Sort key for sphinx-gallery: the order of ORDER, unknown files last."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        try:
            return (ORDER.index(filename), filename)
        except ValueError:
            return (len(ORDER), filename)

"""scikit-learn estimators backed by Keras 3 networks."""

from ._onnx import (
    register_converters,
    to_onnx,
)
from ._persistence import (
    export_json_weights,
    import_json_weights,
    load,
    save,
)
from ._utils import keras_backend
from .cnn import CNNClassifier
from .mlp import (
    MLPClassifier,
    MLPRegressor,
)
from .plotting import plot_history
from .sequence import SequenceClassifier
from .wrappers import (
    KerasClassifier,
    KerasRegressor,
)

__version__ = "0.1.0"

__all__ = [
    "CNNClassifier",
    "KerasClassifier",
    "KerasRegressor",
    "MLPClassifier",
    "MLPRegressor",
    "SequenceClassifier",
    "export_json_weights",
    "import_json_weights",
    "keras_backend",
    "load",
    "plot_history",
    "register_converters",
    "save",
    "to_onnx",
    "__version__",
]

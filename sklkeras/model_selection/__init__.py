"""scikit-learn's cross-validation and searches, with the networks trained together.

``cross_validate``, ``cross_val_score``, ``cross_val_predict``, ``GridSearchCV`` and
``RandomizedSearchCV`` take the arguments of scikit-learn's functions and classes
of the same names and return the same structures, because scikit-learn's own code
computes them. What changes is the training: when the estimator is an sklkeras
estimator, or a Pipeline ending in one, the networks of all folds and all
candidates are trained first, those of the same shape and batch size as one
program: on JAX one vectorised program (``sklkeras/_engine/_fused_jax.py``), on TensorFlow
dense networks as stacked weights (``sklkeras/_engine/_fused_tf.py``, each network with its own
learning rate; other networks train one by one). scikit-learn's code then runs with those
fits instead of training again. Preprocessing steps are fitted per fold as
scikit-learn fits them.

The functions are in ``_validation.py``, the searches in ``_search.py``, as in
scikit-learn's own package.

Everything else (another estimator, another backend, fit parameters other than
``sample_weight``) goes to scikit-learn's functions unchanged. ``fit_time`` in the
results is each fit's share of the fused training.
"""

from ._search import (
    GridSearchCV,
    RandomizedSearchCV,
)
from ._validation import (
    cross_val_predict,
    cross_val_score,
    cross_validate,
)

__all__ = [
    "GridSearchCV",
    "RandomizedSearchCV",
    "cross_val_predict",
    "cross_val_score",
    "cross_validate",
]

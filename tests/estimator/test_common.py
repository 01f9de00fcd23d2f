"""scikit-learn's estimator checks on every sklkeras estimator."""

import keras
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklkeras import (
    CNNClassifier,
    KerasClassifier,
    KerasRegressor,
    MLPClassifier,
    MLPRegressor,
    SequenceClassifier,
)


def tiny_classifier(n_features_in_, n_outputs_, target_type_, units=32):
    """A bring-your-own model for the checks: one hidden layer."""
    inputs = keras.Input((n_features_in_,))
    hidden = keras.layers.Dense(units, activation="relu")(inputs)
    activation = "softmax" if target_type_ == "multiclass" else "sigmoid"
    return keras.Model(
        inputs, keras.layers.Dense(n_outputs_, activation=activation)(hidden)
    )


def tiny_regressor(n_features_in_, n_outputs_, units=32):
    inputs = keras.Input((n_features_in_,))
    hidden = keras.layers.Dense(units, activation="relu")(inputs)
    return keras.Model(inputs, keras.layers.Dense(n_outputs_)(hidden))


# Fast settings per estimator: small networks, few epochs, a high learning rate.
FAST = [
    # max_iter, scikit-learn's spelling: some checks set it (epochs would clash).
    MLPClassifier(
        hidden_layer_sizes=(32,), max_iter=30, learning_rate_init=0.02, random_state=0
    ),
    MLPRegressor(
        hidden_layer_sizes=(32,), max_iter=60, learning_rate_init=0.02, random_state=0
    ),
    # Flat rows seen as 1 x n_features one-channel images, whatever n_features is.
    CNNClassifier(
        filters=(8,),
        kernel_size=1,
        dense_units=(16,),
        image_shape=(1, -1, 1),
        epochs=30,
        learning_rate_init=0.02,
        random_state=0,
    ),
    KerasClassifier(
        tiny_classifier, epochs=30, learning_rate_init=0.02, random_state=0
    ),
    KerasRegressor(tiny_regressor, epochs=60, learning_rate_init=0.02, random_state=0),
    # 2-D float input is read as sequences of one feature per step.
    SequenceClassifier(
        layer="gru", units=(16,), epochs=30, learning_rate_init=0.02, random_state=0
    ),
]

MINIBATCH_REASON = (
    "Mini-batch stochastic training: a weight of 2 and a repeated row change the "
    "batches, so the fits differ (scikit-learn's own MLP fails it too)."
)
BUILDER_PARAMS_REASON = (
    "Hyperparameters of the user's model function are estimator parameters "
    "(searchable, cloned), kept as attributes; the check only knows the named "
    "arguments of __init__."
)

# Checks that fail for a reason, with that reason.
EXPECTED_FAILED_CHECKS = {
    "MLPClassifier": {
        "check_sample_weight_equivalence_on_dense_data": MINIBATCH_REASON,
        "check_sample_weight_equivalence_on_sparse_data": MINIBATCH_REASON,
    },
    "MLPRegressor": {
        "check_sample_weight_equivalence_on_dense_data": MINIBATCH_REASON,
        "check_sample_weight_equivalence_on_sparse_data": MINIBATCH_REASON,
    },
    "KerasClassifier": {
        "check_no_attributes_set_in_init": BUILDER_PARAMS_REASON,
        "check_sample_weight_equivalence_on_dense_data": MINIBATCH_REASON,
        "check_sample_weight_equivalence_on_sparse_data": MINIBATCH_REASON,
    },
    "KerasRegressor": {
        "check_no_attributes_set_in_init": BUILDER_PARAMS_REASON,
        "check_sample_weight_equivalence_on_dense_data": MINIBATCH_REASON,
        "check_sample_weight_equivalence_on_sparse_data": MINIBATCH_REASON,
    },
    "SequenceClassifier": {
        "check_sample_weight_equivalence_on_dense_data": MINIBATCH_REASON,
    },
    "CNNClassifier": {
        "check_sample_weight_equivalence_on_dense_data": MINIBATCH_REASON,
    },
}


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


@parametrize_with_checks(FAST, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)

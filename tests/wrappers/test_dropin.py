"""scikeras 0.13 code that sklkeras's wrappers must run as scikeras does: the
Keras-``fit`` path, subclasses of the wrappers and of ``BaseWrapper``, sparse X,
early and clear errors on a loss that does not fit the target."""

import math

import keras
import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.datasets import make_classification

from sklkeras import KerasClassifier


class TwoOutputEncoder(BaseEstimator, TransformerMixin):
    """y, twice: one copy for each output of a two-output model."""

    def fit(self, y):
        self.n_outputs_expected_ = 2
        return self

    def transform(self, y):
        y = np.asarray(y).astype("float32")
        return [y, y]

    def inverse_transform(self, y):
        return (np.asarray(y[0]).ravel() > 0.5).astype(int)

    def get_metadata(self):
        return {"n_outputs_expected_": 2}


class TwoOutputClassifier(KerasClassifier):
    @property
    def target_encoder(self):
        return TwoOutputEncoder()


def two_outputs(meta):
    inp = keras.Input((meta["n_features_in_"],))
    out1 = keras.layers.Dense(1, activation="sigmoid")(inp)
    out2 = keras.layers.Dense(1, activation="sigmoid")(inp)
    model = keras.Model(inp, [out1, out2])
    model.compile(loss=["binary_crossentropy", "binary_crossentropy"])
    return model


@pytest.fixture(scope="module")
def two_features():
    X, y = make_classification(100, 2, n_informative=2, n_redundant=0, random_state=0)
    return X.astype("float32"), y


def test_keras_fit_path_steps_per_epoch(two_features):
    """One array X (2 features) with a two-output model: Keras's ``fit`` runs
    ceil(n_samples / batch_size) steps an epoch (it ran 50: batch size 2)."""
    X, y = two_features
    clf = TwoOutputClassifier(two_outputs, epochs=1, random_state=0).fit(X, y)
    assert int(clf.model_.optimizer.iterations) == math.ceil(100 / 32)
    clf.fit(X, y, batch_size=10)
    assert int(clf.model_.optimizer.iterations) == 10
    clf.fit(X, y, batch_size=-1)  # scikeras's "all the rows in one batch"
    assert int(clf.model_.optimizer.iterations) == 1
    assert clf.predict(X).shape == (100,)


class TutorialClassifier(KerasClassifier):
    """scikeras's MLPClassifier tutorial subclass, as printed: it declares
    ``optimizer__learning_rate`` but never assigns it."""

    def __init__(
        self,
        hidden_layer_sizes=(8,),
        optimizer="adam",
        optimizer__learning_rate=0.001,
        epochs=2,
        verbose=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.hidden_layer_sizes = hidden_layer_sizes
        self.optimizer = optimizer
        self.epochs = epochs
        self.verbose = verbose

    def _keras_build_fn(self, compile_kwargs):
        model = keras.Sequential([keras.Input((self.n_features_in_,))])
        for units in self.hidden_layer_sizes:
            model.add(keras.layers.Dense(units, activation="relu"))
        model.add(keras.layers.Dense(1, activation="sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer=compile_kwargs["optimizer"])
        return model


def test_unassigned_routed_parameter_in_a_subclass_signature(two_features):
    """As in scikeras: a routed name is read from the instance; one the subclass
    declares without assigning is no parameter (no AttributeError)."""
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV

    X, y = two_features
    clf = TutorialClassifier(random_state=0)
    params = clf.get_params()
    assert "optimizer__learning_rate" not in params
    assert params["hidden_layer_sizes"] == (8,)
    assert "TutorialClassifier(" in repr(clf)
    assert clone(clf).get_params() == params
    clf.fit(X, y)
    assert float(clf.model_.optimizer.learning_rate) == pytest.approx(0.001)
    clf.set_params(optimizer__learning_rate=0.05)  # routed, as in scikeras
    assert clf.get_params()["optimizer__learning_rate"] == 0.05
    assert float(clf.fit(X, y).model_.optimizer.learning_rate) == pytest.approx(0.05)
    grid = {"hidden_layer_sizes": [(4,), (8,)]}
    search = GridSearchCV(TutorialClassifier(random_state=0), grid, cv=2).fit(X, y)
    assert search.best_params_["hidden_layer_sizes"] in ((4,), (8,))


class DoubledFeatures(KerasClassifier):
    @property
    def feature_encoder(self):
        from sklearn.preprocessing import FunctionTransformer

        return FunctionTransformer(lambda X: X * 2)


def one_output(meta):
    inp = keras.Input((meta["n_features_in_"],))
    return keras.Model(inp, keras.layers.Dense(1, activation="sigmoid")(inp))


def test_custom_encoders_keep_the_target_fitting(two_features):
    """A subclass overriding an encoder still gets sklkeras's target fitting
    (``_target_type_``, ``classes_``), so ``validation_split`` runs, shuffled and
    stratified, on the compiled loop and on Keras's ``fit``."""
    X, y = two_features
    clf = DoubledFeatures(
        one_output, loss="binary_crossentropy", epochs=2, validation_split=0.2
    ).fit(X, y)
    assert clf._target_type_ == "binary" and list(clf.classes_) == [0, 1]
    assert len(clf.history_["val_loss"]) == 2
    two = TwoOutputClassifier(two_outputs, epochs=2, validation_split=0.2)
    two.fit(X, y, batch_size=10)
    assert len(two.history_["val_loss"]) == 2
    assert int(two.model_.optimizer.iterations) == 2 * 8  # 80 training rows / 10
    assert two.predict(X).shape == (100,)


def test_base_wrapper_autoencoder_notebook():
    """scikeras's AutoEncoders notebook, its import switched: ``BaseWrapper`` is a
    concrete estimator (neither classifier nor regressor), ``BaseWrapper(model,
    verbose=0)`` wraps a model, and ``_initialize`` / ``fit`` / ``predict`` overrides
    work; the encoder wrapper shares the trained layers."""
    from sklearn.base import is_classifier, is_regressor
    from sklearn.datasets import load_digits
    from sklearn.metrics import mean_squared_error

    from sklkeras.wrappers import BaseWrapper

    class AutoEncoder(BaseWrapper):
        encoder_model_: BaseWrapper
        decoder_model_: BaseWrapper

        def _keras_build_fn(self, encoding_dim: int, meta):
            n_features_in = meta["n_features_in_"]
            encoder_input = keras.Input(shape=(n_features_in,))
            encoder_output = keras.layers.Dense(encoding_dim, activation="relu")(
                encoder_input
            )
            encoder_model = keras.Model(encoder_input, encoder_output)
            decoder_input = keras.Input(shape=(encoding_dim,))
            decoder_output = keras.layers.Dense(
                n_features_in, activation="sigmoid", name="decoder"
            )(decoder_input)
            decoder_model = keras.Model(decoder_input, decoder_output)
            autoencoder_input = keras.Input(shape=(n_features_in,))
            encoded_img = encoder_model(autoencoder_input)
            reconstructed_img = decoder_model(encoded_img)
            autoencoder_model = keras.Model(autoencoder_input, reconstructed_img)
            self.encoder_model_ = BaseWrapper(encoder_model, verbose=self.verbose)
            self.decoder_model_ = BaseWrapper(decoder_model, verbose=self.verbose)
            return autoencoder_model

        def _initialize(self, X, y=None):
            X, _ = super()._initialize(X=X, y=y)
            X_tf = self.encoder_model_.initialize(X).predict(X)
            self.decoder_model_.initialize(X_tf)
            return X, X

        def initialize(self, X, y=None):
            self._initialize(X=X, y=X)
            return self

        def fit(self, X, *, sample_weight=None) -> "AutoEncoder":
            super().fit(X=X, y=X, sample_weight=sample_weight)
            return self

        def score(self, X) -> float:
            return 1 - mean_squared_error(self.predict(X), X)

        def transform(self, X) -> np.ndarray:
            X = self.feature_encoder_.transform(X)
            return self.encoder_model_.predict(X)

        def inverse_transform(self, X_tf: np.ndarray):
            X = self.decoder_model_.predict(X_tf)
            return self.feature_encoder_.inverse_transform(X)

    X = (load_digits().data / 16.0).astype("float32")
    autoencoder = AutoEncoder(
        loss="binary_crossentropy",
        encoding_dim=16,
        random_state=0,
        epochs=5,
        verbose=False,
        optimizer="adam",
    )
    assert not is_classifier(autoencoder) and not is_regressor(autoencoder)
    untrained = autoencoder.initialize(X).score(X)
    autoencoder.fit(X)
    assert len(autoencoder.history_["loss"]) == 5
    assert autoencoder.score(X) > untrained
    encoded = autoencoder.transform(X)
    assert encoded.shape == (len(X), 16)
    roundtrip = autoencoder.inverse_transform(encoded)  # the trained layers, shared
    np.testing.assert_allclose(roundtrip, autoencoder.predict(X), atol=1e-5)
    with pytest.raises(NotImplementedError, match="BaseWrapper"):
        BaseWrapper(one_output, loss="mse").fit(X, X[:, 0]).score(X, X[:, 0])


def test_sparse_X(two_features):
    """scipy sparse X, as scikeras takes it: the compiled loop densifies one batch
    at a time (the same answers as dense X), and Keras's ``fit`` path takes it."""
    import scipy.sparse as sp

    from sklkeras import KerasRegressor

    X, y = two_features
    common = dict(loss="binary_crossentropy", epochs=2, random_state=0)
    for matrix in (sp.csr_matrix, sp.csc_matrix):
        sparse = KerasClassifier(one_output, **common).fit(matrix(X), y)
        dense = KerasClassifier(one_output, **common).fit(X, y)
        np.testing.assert_allclose(
            sparse.predict_proba(matrix(X)), dense.predict_proba(X), atol=1e-6
        )
    assert sparse.predict(sp.csr_matrix(X[:3]), batch_size=2).shape == (3,)
    assert sparse.__sklearn_tags__().input_tags.sparse
    two = TwoOutputClassifier(two_outputs, epochs=1).fit(sp.csr_matrix(X), y)
    assert two.predict(sp.csr_matrix(X)).shape == (100,)
    reg = KerasRegressor(lambda meta: one_output(meta), loss="mse", epochs=1)
    assert reg.fit(sp.csr_matrix(X), y.astype(float)).predict(X).shape == (100,)


def test_custom_feature_encoder_is_applied_at_predict(two_features):
    """A single-array feature_encoder (X * 2) encodes X at predict as at fit (the
    compiled prediction path took the raw X)."""
    X, y = two_features
    clf = DoubledFeatures(one_output, loss="binary_crossentropy", epochs=1).fit(X, y)
    expected = clf.model_.predict(X * 2, verbose=0).ravel()
    np.testing.assert_allclose(clf.predict_proba(X)[:, 1], expected, atol=1e-6)


def test_compiled_loss_that_cannot_take_the_target_is_a_clear_error():
    """A model function compiled with ``loss="mse"`` for 3 classes (or a ``loss=``
    that does not fit) fails before training, naming the loss and the target,
    not inside TensorFlow ("Dimensions must be equal...")."""
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)

    def compiled_mse(meta):
        inp = keras.Input((meta["n_features_in_"],))
        model = keras.Model(inp, keras.layers.Dense(3, activation="softmax")(inp))
        model.compile(loss="mse")
        return model

    with pytest.raises(ValueError, match=r"loss='mse' expects.*y has 3 classes"):
        KerasClassifier(compiled_mse, epochs=1).fit(X, y)
    with pytest.raises(ValueError, match=r"loss='hinge' expects.*3 classes"):
        KerasClassifier(compiled_mse, loss="hinge", epochs=1).fit(X, y)
    binary = (y == 0).astype(int)
    with pytest.raises(ValueError, match=r"sparse_categorical.*2 classes"):
        KerasClassifier(
            one_output, loss="sparse_categorical_crossentropy", epochs=1
        ).fit(X, binary)
    ok = KerasClassifier(compiled_mse, loss="categorical_crossentropy", epochs=1)
    assert ok.fit(X, y).predict_proba(X).shape == (150, 3)


def test_regressor_predictions_keep_float32(two_features):
    """As scikit-learn's MLPRegressor and scikeras: float32 X, float32 predictions;
    float64 X, float64 as scikit-learn's; integer X, float32 as scikeras's
    (its test_output_shapes_and_dtypes_against_sklearn_reg)."""
    from sklearn.neural_network import MLPRegressor as SkMLPRegressor

    from sklkeras import KerasRegressor

    X, y = two_features
    target = y.astype("float32")
    reg = KerasRegressor(one_output, loss="mse", epochs=1).fit(X, target)
    sk = SkMLPRegressor(max_iter=5).fit(X, target)
    assert reg.predict(X).dtype == sk.predict(X).dtype == np.float32
    assert reg.predict(X.astype("float64")).dtype == np.float64
    # integer X: the network's float32, as scikeras (scikit-learn: float64)
    assert reg.predict(np.round(X * 10).astype("int64")).dtype == np.float32
    assert reg.predict(X).shape == sk.predict(X).shape == (100,)


def test_partial_fit_infers_classes_on_the_first_call(two_features):
    """scikeras's partial_fit: without ``classes=`` the first call takes y's."""
    X, y = two_features
    clf = KerasClassifier(one_output, loss="binary_crossentropy")
    clf.partial_fit(X, y).partial_fit(X, y)
    assert list(clf.classes_) == [0, 1] and clf.current_epoch == 2

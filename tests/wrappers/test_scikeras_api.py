"""scikeras 0.13 code with only its import switched (issue 14).

The examples are scikeras's own (quickstart, the MLPClassifier / MLPRegressor
tutorial, the advanced-usage multi-input / multi-output recipes), copied with
``from scikeras.wrappers import ...`` replaced by ``from sklkeras import ...`` and
with smaller data or fewer epochs where they would be slow.
"""

import warnings

import keras
import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.datasets import load_iris, make_classification, make_regression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import FunctionTransformer, LabelEncoder

from sklkeras import KerasClassifier, KerasRegressor
from sklkeras.wrappers import BaseWrapper


@pytest.fixture(scope="module")
def binary():
    X, y = make_classification(300, 20, n_informative=10, random_state=0)
    return X.astype(np.float32), y.astype(np.int64)


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


# ------------------------------------------------------------- 1. constructor
def test_constructor_defaults_are_scikeras():
    clf = KerasClassifier()
    params = clf.get_params()
    assert params["optimizer"] == "rmsprop" and params["loss"] is None
    assert params["batch_size"] is None and params["epochs"] == 1
    assert params["validation_split"] == 0.0 and params["shuffle"] is True
    assert params["run_eagerly"] is False and params["warm_start"] is False
    assert params["verbose"] == 0  # sklkeras keeps quiet (defect 9 in docs/design.md)
    assert params["n_iter_no_change"] is None  # exactly `epochs`, as Keras


def test_batch_size_none_is_keras_32(iris):
    X, y = iris
    clf = KerasClassifier(_iris_model, epochs=1).fit(X, y)
    assert clf.model_.steps_per_execution == 5  # ceil(150 / 32)
    whole = KerasClassifier(_iris_model, epochs=1, batch_size=-1).fit(X, y)
    assert whole.model_.steps_per_execution == 1


def test_build_fn_is_a_deprecated_alias(iris):
    X, y = iris
    with pytest.warns(DeprecationWarning, match="build_fn"):
        clf = KerasClassifier(build_fn=_iris_model, epochs=1).fit(X, y)
    assert clf.predict(X[:2]).shape == (2,)


def test_unknown_kwargs_are_parameters():
    clf = KerasClassifier(_iris_model, units=8, model__depth=2, fit__epochs=3)
    params = clf.get_params()
    assert params["units"] == 8 and params["model__depth"] == 2
    assert params["fit__epochs"] == 3
    assert clone(clf).get_params()["model__depth"] == 2
    clf.set_params(model__depth=5, optimizer__learning_rate=0.1)
    assert clone(clf).get_params()["optimizer__learning_rate"] == 0.1


def _iris_model(meta, units=8):
    inp = keras.Input((meta["n_features_in_"],))
    hidden = keras.layers.Dense(units, activation="relu")(inp)
    return keras.Model(
        inp, keras.layers.Dense(meta["n_classes_"], activation="softmax")(hidden)
    )


# ------------------------------------------------------------ 2. model functions
def test_quickstart(binary):
    """scikeras's README quickstart, import switched."""
    X, y = binary

    def get_model(hidden_layer_dim, meta):
        # note that meta is a special argument that will be
        # handed a dict containing input metadata
        n_features_in_ = meta["n_features_in_"]
        X_shape_ = meta["X_shape_"]
        n_classes_ = meta["n_classes_"]

        model = keras.models.Sequential()
        model.add(keras.layers.Input(shape=X_shape_[1:]))
        model.add(keras.layers.Dense(n_features_in_))
        model.add(keras.layers.Activation("relu"))
        model.add(keras.layers.Dense(hidden_layer_dim))
        model.add(keras.layers.Activation("relu"))
        model.add(keras.layers.Dense(n_classes_))
        model.add(keras.layers.Activation("softmax"))
        return model

    clf = KerasClassifier(
        get_model,
        loss="sparse_categorical_crossentropy",
        hidden_layer_dim=100,
        epochs=10,
        random_state=0,
    )
    clf.fit(X, y)
    y_proba = clf.predict_proba(X)
    assert y_proba.shape == (300, 2)
    assert clf.score(X, y) > 0.85


def test_meta_compile_kwargs_and_params(iris):
    X, y = iris
    seen = {}

    def model_fn(meta, compile_kwargs, params, units=4):
        seen.update(meta=meta, compile_kwargs=compile_kwargs, params=params)
        return _iris_model(meta, units)

    KerasClassifier(model_fn, model__units=6, optimizer="adam", epochs=1).fit(X, y)
    meta = seen["meta"]
    for key in (
        "n_features_in_",
        "X_shape_",
        "X_dtype_",
        "n_classes_",
        "classes_",
        "n_outputs_",
        "n_outputs_expected_",
        "target_type_",
        "y_dtype_",
    ):
        assert key in meta, key
    assert meta["X_shape_"] == (150, 4) and meta["n_classes_"] == 3
    assert meta["target_type_"] == "multiclass"
    assert isinstance(seen["compile_kwargs"]["optimizer"], keras.optimizers.Adam)
    assert seen["params"]["model__units"] == 6


def test_by_name_metadata_still_works(iris):
    X, y = iris

    def classic(n_features_in_, n_classes_, input_shape_, units=4):
        inp = keras.Input(input_shape_)
        hidden = keras.layers.Dense(units)(inp)
        return keras.Model(inp, keras.layers.Dense(n_classes_, "softmax")(hidden))

    assert KerasClassifier(classic, units=5, epochs=1).fit(X, y).n_classes_ == 3


def test_feature_names_in_meta(iris):
    pd = pytest.importorskip("pandas")
    X, y = iris
    frame = pd.DataFrame(X, columns=list("abcd"))
    seen = {}

    def model_fn(meta):
        seen.update(meta)
        return _iris_model(meta)

    KerasClassifier(model_fn, epochs=1).fit(frame, y)
    assert list(seen["feature_names_in_"]) == list("abcd")


# ------------------------------------------------------------- 3. routed params
def test_grid_over_routed_parameters(iris):
    X, y = iris
    clf = KerasClassifier(_iris_model, optimizer="adam", epochs=3, random_state=0)
    grid = GridSearchCV(
        clf,
        {"optimizer__learning_rate": [0.01, 0.05], "model__units": [4, 8]},
        cv=2,
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_estimator_.model_.optimizer.learning_rate.numpy() in (
        pytest.approx(0.01),
        pytest.approx(0.05),
    )


def test_notes_create_model_grid(iris):
    """The classic ``create_model(optimizer=..., init=...)``, grid over both."""
    X, y = iris

    def create_model(optimizer="adam", init="glorot_uniform"):
        model = keras.Sequential(
            [
                keras.Input((4,)),
                keras.layers.Dense(8, kernel_initializer=init, activation="relu"),
                keras.layers.Dense(3, kernel_initializer=init, activation="softmax"),
            ]
        )
        model.compile(
            loss="sparse_categorical_crossentropy",
            optimizer=optimizer,
            metrics=["accuracy"],
        )
        return model

    clf = KerasClassifier(model=create_model, epochs=2, batch_size=16, verbose=0)
    grid = GridSearchCV(
        clf,
        {"optimizer": ["rmsprop", "adam"], "init": ["glorot_uniform", "normal"]},
        cv=2,
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    best = grid.best_estimator_
    assert type(best.model_.optimizer).__name__.lower() == best.optimizer


def test_set_params_model_units():
    clf = KerasClassifier(_iris_model)
    clf.set_params(model__units=8)  # scikeras's AttributeError before issue 14
    assert clf.get_params()["model__units"] == 8


@pytest.mark.parametrize(
    "optimizer",
    ["sgd", keras.optimizers.SGD, keras.optimizers.SGD(learning_rate=0.2)],
    ids=["name", "class", "instance"],
)
def test_optimizer_forms(iris, optimizer):
    X, y = iris
    clf = KerasClassifier(
        _iris_model, optimizer=optimizer, optimizer__momentum=0.5, epochs=1
    ).fit(X, y)
    assert isinstance(clf.model_.optimizer, keras.optimizers.SGD)
    assert float(clf.model_.optimizer.momentum) == 0.5


def test_loss_metrics_callbacks_forms(iris):
    X, y = iris

    class Count(keras.callbacks.Callback):
        def __init__(self, every=1):
            super().__init__()
            self.every, self.epochs = every, 0

        def on_epoch_end(self, epoch, logs=None):
            self.epochs += 1

    clf = KerasClassifier(
        _iris_model,
        loss=keras.losses.SparseCategoricalCrossentropy,
        loss__from_logits=False,
        metrics=[keras.metrics.SparseCategoricalAccuracy],
        metrics__0__name="acc0",
        callbacks={"count": Count},
        callbacks__count__every=2,
        epochs=3,
    ).fit(X, y)
    assert "acc0" in clf.history_
    assert isinstance(clf.model_.loss, keras.losses.SparseCategoricalCrossentropy)


# ---------------------------------------------------------- 4. compiled models
def test_compiled_model_is_respected(iris):
    X, y = iris

    def compiled(meta):
        model = _iris_model(meta)
        model.compile(
            optimizer=keras.optimizers.SGD(
                learning_rate=0.05, momentum=0.9, nesterov=True
            ),
            loss="sparse_categorical_crossentropy",
            metrics=["sparse_categorical_accuracy"],
        )
        return model

    clf = KerasClassifier(compiled, epochs=3, random_state=0).fit(X, y)
    optimizer = clf.model_.optimizer
    assert isinstance(optimizer, keras.optimizers.SGD) and optimizer.nesterov
    assert "sparse_categorical_accuracy" in clf.history_
    # The estimator's own loss recompiles, as in scikeras.
    recompiled = KerasClassifier(
        compiled, loss="sparse_categorical_crossentropy", epochs=1
    ).fit(X, y)
    assert isinstance(recompiled.model_.optimizer, keras.optimizers.RMSprop)


# ---------------------------------------------------------- 5. public surface
def test_initialize_then_predict(iris):
    X, y = iris
    clf = KerasClassifier(_iris_model).initialize(X, y)
    assert clf.initialized_ and clf.current_epoch == 0
    assert clf.predict_proba(X[:3]).shape == (3, 3)


def test_fit_kwargs_reach_keras(iris):
    X, y = iris
    clf = KerasClassifier(_iris_model, epochs=1)
    clf.fit(X, y, epochs=4, batch_size=50, validation_split=0.2)
    assert len(clf.history_["loss"]) == 4 and "val_loss" in clf.history_
    assert clf.model_.steps_per_execution == 3  # 120 training rows / 50
    with pytest.raises(TypeError, match="unexpected keyword"):
        clf.fit(X, y, nonsense=1)
    clf.set_params(fit__epochs=2)
    assert len(clf.fit(X, y).history_["loss"]) == 2
    assert clf.predict(X[:4], batch_size=2).shape == (4,)


def test_partial_fit_and_warm_start(iris):
    X, y = iris
    clf = KerasClassifier(_iris_model, epochs=2)
    clf.partial_fit(X, y, classes=[0, 1, 2]).partial_fit(X, y)
    assert clf.current_epoch == 2


def test_one_hot_target_categorical_crossentropy(iris):
    X, y = iris
    y_onehot = np.eye(3)[y]
    clf = KerasClassifier(
        _iris_model,
        loss="categorical_crossentropy",
        epochs=30,
        optimizer="adam",
        optimizer__learning_rate=0.05,
        random_state=0,
    ).fit(X, y_onehot)
    assert clf.target_type_ == "multiclass-onehot"
    pred = clf.predict(X)
    assert pred.shape == (150, 3) and set(np.unique(pred)) <= {0, 1}
    assert clf.predict_proba(X).shape == (150, 3)
    assert accuracy_score(y_onehot, pred) > 0.7


def test_keras_build_fn_subclass(binary):
    """scikeras's MLPClassifier tutorial, the subclass version."""
    X, y = binary

    class MLPClassifier(KerasClassifier):
        def __init__(
            self,
            hidden_layer_sizes=(100,),
            optimizer="adam",
            optimizer__learning_rate=0.001,
            epochs=200,
            verbose=0,
            **kwargs,
        ):
            super().__init__(**kwargs)
            self.hidden_layer_sizes = hidden_layer_sizes
            self.optimizer = optimizer
            self.epochs = epochs
            self.verbose = verbose
            self.optimizer__learning_rate = optimizer__learning_rate

        def _keras_build_fn(self, compile_kwargs):
            model = keras.Sequential()
            inp = keras.layers.Input(shape=(self.n_features_in_,))
            model.add(inp)
            for hidden_layer_size in self.hidden_layer_sizes:
                layer = keras.layers.Dense(hidden_layer_size, activation="relu")
                model.add(layer)
            if self.target_type_ == "binary":
                n_output_units = 1
                output_activation = "sigmoid"
                loss = "binary_crossentropy"
            elif self.target_type_ == "multiclass":
                n_output_units = self.n_classes_
                output_activation = "softmax"
                loss = "sparse_categorical_crossentropy"
            else:
                raise NotImplementedError(f"Unsupported task type: {self.target_type_}")
            out = keras.layers.Dense(n_output_units, activation=output_activation)
            model.add(out)
            model.compile(loss=loss, optimizer=compile_kwargs["optimizer"])
            return model

    clf = MLPClassifier(epochs=10, optimizer__learning_rate=0.01, random_state=0)
    clf.fit(X, y)
    assert float(clf.model_.optimizer.learning_rate) == pytest.approx(0.01)
    assert clf.score(X, y) > 0.85
    assert clone(clf).get_params()["hidden_layer_sizes"] == (100,)


def test_mlp_tutorial_functions(binary):
    """scikeras's MLPClassifier / MLPRegressor tutorial, the function version."""
    X, y = binary

    def get_clf_model(hidden_layer_sizes, meta, compile_kwargs):
        model = keras.Sequential()
        inp = keras.layers.Input(shape=(meta["n_features_in_"],))
        model.add(inp)
        for hidden_layer_size in hidden_layer_sizes:
            layer = keras.layers.Dense(hidden_layer_size, activation="relu")
            model.add(layer)
        if meta["target_type_"] == "binary":
            n_output_units = 1
            output_activation = "sigmoid"
            loss = "binary_crossentropy"
        elif meta["target_type_"] == "multiclass":
            n_output_units = meta["n_classes_"]
            output_activation = "softmax"
            loss = "sparse_categorical_crossentropy"
        else:
            raise NotImplementedError(f"Unsupported task type: {meta['target_type_']}")
        out = keras.layers.Dense(n_output_units, activation=output_activation)
        model.add(out)
        model.compile(loss=loss, optimizer=compile_kwargs["optimizer"])
        return model

    clf = KerasClassifier(
        model=get_clf_model,
        hidden_layer_sizes=(100,),
        optimizer="adam",
        optimizer__learning_rate=0.001,
        epochs=10,
        verbose=0,
        random_state=0,
    )
    clf.fit(X, y)
    assert clf.score(X, y) > 0.85

    Xr, yr = make_regression(300, 10, noise=1.0, random_state=0)
    yr = yr / yr.std()

    def get_reg_model(hidden_layer_sizes, meta, compile_kwargs):
        model = keras.Sequential()
        inp = keras.layers.Input(shape=(meta["n_features_in_"],))
        model.add(inp)
        for hidden_layer_size in hidden_layer_sizes:
            layer = keras.layers.Dense(hidden_layer_size, activation="relu")
            model.add(layer)
        out = keras.layers.Dense(1)
        model.add(out)
        model.compile(loss="mse", optimizer=compile_kwargs["optimizer"])
        return model

    reg = KerasRegressor(
        model=get_reg_model,
        loss="mse",
        hidden_layer_sizes=(100,),
        optimizer="adam",
        optimizer__learning_rate=0.01,
        epochs=30,
        random_state=0,
    )
    reg.fit(Xr, yr)
    assert reg.score(Xr, yr) > 0.8


def test_multi_input_feature_encoder(iris):
    """scikeras's advanced-usage multi-input recipe."""
    X, y = iris

    def get_model(meta, compile_kwargs):
        inp1 = keras.Input((1,))
        inp2 = keras.Input((3,))
        merged = keras.layers.concatenate(
            [keras.layers.Dense(4)(inp1), keras.layers.Dense(8)(inp2)]
        )
        out = keras.layers.Dense(meta["n_classes_"], activation="softmax")(merged)
        model = keras.Model([inp1, inp2], out)
        model.compile(
            loss="sparse_categorical_crossentropy",
            optimizer=compile_kwargs["optimizer"],
        )
        return model

    class MultiInputClassifier(KerasClassifier):
        @property
        def feature_encoder(self):
            return FunctionTransformer(func=lambda X: [X[:, :1], X[:, 1:]])

    clf = MultiInputClassifier(
        get_model,
        optimizer="adam",
        optimizer__learning_rate=0.05,
        epochs=20,
        random_state=0,
    ).fit(X, y)
    assert clf.predict(X).shape == (150,)
    assert clf.score(X, y) > 0.7


class MultiOutputTransformer(BaseEstimator, TransformerMixin):
    def fit(self, y):
        y_bin, y_cat = y[:, 0], y[:, 1]
        self.binary_encoder_ = LabelEncoder()
        self.cat_encoder_ = LabelEncoder()
        self.binary_encoder_.fit(y_bin)
        self.cat_encoder_.fit(y_cat)
        self.n_classes_ = [
            self.binary_encoder_.classes_.size,
            self.cat_encoder_.classes_.size,
        ]
        self.n_outputs_expected_ = 2
        return self

    def transform(self, y):
        y_bin = self.binary_encoder_.transform(y[:, 0])
        y_cat = self.cat_encoder_.transform(y[:, 1])
        return [y_bin, y_cat]

    def inverse_transform(self, y):
        y_pred_proba = y
        y_pred_bin = self.binary_encoder_.inverse_transform(
            (y_pred_proba[0] > 0.5).astype(int).reshape(-1)
        )
        y_pred_cat = self.cat_encoder_.inverse_transform(
            np.argmax(y_pred_proba[1], axis=1)
        )
        return np.column_stack([y_pred_bin, y_pred_cat])

    def get_metadata(self):
        return {
            "n_classes_": self.n_classes_,
            "n_outputs_expected_": self.n_outputs_expected_,
        }


def test_multi_output_target_encoder(iris):
    """scikeras's advanced-usage multi-output recipe."""
    X, y_cat = iris
    y_bin = (y_cat == 0).astype(int)
    y = np.column_stack([y_bin, y_cat])

    def get_clf_model(meta):
        inp = keras.layers.Input(shape=(meta["n_features_in_"],))
        x1 = keras.layers.Dense(32, activation="relu")(inp)
        out_bin = keras.layers.Dense(1, activation="sigmoid")(x1)
        out_cat = keras.layers.Dense(meta["n_classes_"][1], activation="softmax")(x1)
        model = keras.Model(inputs=inp, outputs=[out_bin, out_cat])
        model.compile(
            loss=["binary_crossentropy", "sparse_categorical_crossentropy"],
            optimizer=keras.optimizers.Adam(0.05),
        )
        return model

    class MultiOutputClassifier(KerasClassifier):
        @property
        def target_encoder(self):
            return MultiOutputTransformer()

        @staticmethod
        def scorer(y_true, y_pred, **kwargs):
            y_bin, y_cat = y_true[:, 0], y_true[:, 1]
            y_pred_bin, y_pred_cat = y_pred[:, 0], y_pred[:, 1]
            return np.mean(
                [accuracy_score(y_bin, y_pred_bin), accuracy_score(y_cat, y_pred_cat)]
            )

    clf = MultiOutputClassifier(model=get_clf_model, epochs=20, random_state=0)
    clf.fit(X, y)
    assert clf.predict(X).shape == (150, 2)
    assert clf.score(X, y) > 0.7


def test_base_wrapper_is_public():
    assert issubclass(KerasClassifier, BaseWrapper)
    assert issubclass(KerasRegressor, BaseWrapper)


def test_no_warnings_from_a_plain_fit(iris):
    X, y = iris
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*__array__ implementation.*")
        KerasClassifier(_iris_model, epochs=1).fit(X, y)


def test_fit_class_weight_and_routed_fit_args_are_used_or_refused(iris):
    X, y = iris
    weights = {0: 5.0, 1: 1.0, 2: 1.0}
    common = dict(model=_iris_model, epochs=3, random_state=0)
    as_param = KerasClassifier(**common, class_weight=weights).fit(X, y)
    as_arg = KerasClassifier(**common).fit(X, y, class_weight=weights)
    plain = KerasClassifier(**common).fit(X, y)
    np.testing.assert_allclose(as_arg.predict_proba(X), as_param.predict_proba(X))
    assert not np.allclose(plain.predict_proba(X), as_param.predict_proba(X))
    with pytest.raises(TypeError, match="fit__"):
        KerasClassifier(**common, fit__nonsense=1).fit(X, y)
    reg = KerasRegressor(lambda meta: keras.Sequential([keras.layers.Dense(1)]))
    with pytest.raises(TypeError, match="class_weight"):
        reg.fit(X, X[:, 0], class_weight=weights)


def test_run_eagerly(iris):
    X, y = iris
    clf = KerasClassifier(_iris_model, run_eagerly=True, epochs=1).fit(X, y)
    assert clf.model_.run_eagerly


def test_compile_with_compile_kwargs(iris):
    """scikeras's common pattern: ``model.compile(**compile_kwargs)``."""
    X, y = iris
    from sklkeras.wrappers import KerasClassifier as FromWrappers  # scikeras's path

    def get_model(meta, compile_kwargs):
        model = _iris_model(meta)
        model.compile(**compile_kwargs)
        return model

    clf = FromWrappers(
        get_model,
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        optimizer="adam",
        optimizer__learning_rate=0.05,
        epochs=20,
        random_state=0,
    ).fit(X, y)
    assert isinstance(clf.model_.optimizer, keras.optimizers.Adam)
    assert "accuracy" in clf.history_ and clf.score(X, y) > 0.8
    # loss=None: compile_kwargs has no loss, the estimator picks the target's.
    default = FromWrappers(get_model, epochs=1).fit(X, y)
    assert default.predict_proba(X[:1]).shape == (1, 3)


def test_build_fn_warning_points_at_the_caller(iris):
    X, y = iris
    with pytest.warns(DeprecationWarning) as record:
        KerasClassifier(build_fn=_iris_model, epochs=1).fit(X, y)
    ours = [r for r in record if "build_fn" in str(r.message)]
    assert ours and ours[0].filename == __file__


def test_model_and_keras_build_fn_together_is_an_error(iris):
    X, y = iris

    class Both(KerasClassifier):
        def _keras_build_fn(self, meta):
            return _iris_model(meta)

    with pytest.raises(ValueError, match="_keras_build_fn"):
        Both(model=_iris_model, epochs=1).fit(X, y)
    assert Both(epochs=1).fit(X, y).predict(X[:2]).shape == (2,)


def test_compiled_model_instance_is_never_trained_in_place(iris):
    """Defect 6 in docs/design.md, compiled model: its compilation is kept on a copy."""
    X, y = iris
    inp = keras.Input((4,))
    user_model = keras.Model(inp, keras.layers.Dense(3, activation="softmax")(inp))
    user_model.compile(
        optimizer=keras.optimizers.SGD(0.1, momentum=0.9),
        loss="sparse_categorical_crossentropy",
    )
    before = [w.copy() for w in user_model.get_weights()]
    clf = KerasClassifier(user_model, epochs=2, random_state=0).fit(X, y)
    assert isinstance(clf.model_.optimizer, keras.optimizers.SGD)
    assert clf.model_.optimizer is not user_model.optimizer
    assert int(user_model.optimizer.iterations) == 0
    for w0, w1 in zip(before, user_model.get_weights(), strict=True):
        np.testing.assert_array_equal(w0, w1)

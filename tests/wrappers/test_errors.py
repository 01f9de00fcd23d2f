"""The wrappers' errors on bad input, in scikeras's words where scikeras code (and
its test suite) matches on them, each a clear ValueError / TypeError raised before
TensorFlow runs."""

import keras
import numpy as np
import pytest

from sklkeras import KerasClassifier, KerasRegressor, MLPRegressor
from sklkeras.wrappers import BaseWrapper


def dense(meta, compile_kwargs=None, compile=False):
    inputs = keras.Input(meta["X_shape_"][1:])
    hidden = keras.layers.Flatten()(inputs)
    model = keras.Model(inputs, keras.layers.Dense(meta["n_outputs_"])(hidden))
    if compile:
        model.compile(**compile_kwargs)
    return model


X = np.array([[1, 2], [2, 3], [3, 4]])
y = np.array([1, 3, 1])


def test_model_param_errors():
    class NotAModel:
        pass

    with pytest.raises(TypeError, match="``model`` must be a callable"):
        KerasClassifier(model=NotAModel()).fit(X, y)

    class NoBuildFn(KerasClassifier):
        pass

    with pytest.raises(ValueError, match="must implement ``_keras_build_fn``"):
        NoBuildFn().fit(X, y)

    class Both(KerasClassifier):
        def _keras_build_fn(self, meta):
            return dense(meta)

    with pytest.raises(ValueError, match="cannot implement ``_keras_build_fn``"):
        Both(model=dense).fit(X, y)


@pytest.mark.parametrize("keyword", [{"bar": 1}, {"model__bar": 1}])
def test_unknown_model_keyword_is_a_type_error_naming_it(keyword):
    def no_bar(meta, foo=42):
        return dense(meta)

    with pytest.raises(TypeError, match="got an unexpected keyword argument 'bar'"):
        KerasRegressor(no_bar, **keyword).fit(X, y)
    with pytest.raises(ValueError, match=r"\['bar'\].*does not take"):  # as before
        KerasRegressor(no_bar, **keyword).fit(X, y)


def test_set_params_unknown_name_says_how_to_set_it():
    with pytest.raises(ValueError, match=r"Invalid parameter test for estimator "):
        BaseWrapper().set_params(test=1)
    with pytest.raises(ValueError, match=r"`BaseWrapper\(test=1\)`"):
        BaseWrapper().set_params(test=1)


@pytest.mark.parametrize("compile", [False, True])
def test_no_optimizer(compile):
    est = KerasRegressor(dense, loss="mse", optimizer=None, compile=compile)
    with pytest.raises(ValueError, match="You must provide an optimizer"):
        est.fit(X, y)


@pytest.mark.parametrize("compile", [False, True])
@pytest.mark.parametrize("loss", [[None], {"dense": None}])
def test_a_loss_holding_no_loss(compile, loss):
    est = KerasRegressor(dense, loss=loss, compile=compile)
    with pytest.raises(ValueError, match="You must provide a loss"):
        est.fit(X, y)


def test_loss_none_is_the_default_loss():
    """A deliberate difference (docs/switching.md): scikeras refuses loss=None."""
    reg = KerasRegressor(dense, loss=None).fit(X, y)
    assert getattr(reg.model_.loss, "__name__", None) == "mean_squared_error"


def test_partial_fit_refuses_a_change_of_dtype_or_dimensions():
    clf = KerasClassifier(dense).fit(X, y)
    clf.partial_fit(X.astype(np.uint8), y.astype(np.uint8))  # casts safely
    assert clf.X_dtype_ == X.dtype and clf.y_dtype_ == y.dtype  # as given
    with pytest.raises(ValueError, match="Got X with dtype float64"):
        clf.partial_fit(X.astype(np.float64), y)
    with pytest.raises(ValueError, match="Got y with dtype float64"):
        clf.partial_fit(X, y.astype(np.float64))
    with pytest.raises(ValueError, match="y has 2 dimensions, but this "):
        clf.partial_fit(X, y.reshape(-1, 1))
    with pytest.raises(ValueError, match="Found unknown categories \\[10\\]"):
        clf.partial_fit(X, np.array([10, 3, 1]))


def test_change_of_y_columns():
    clf = KerasClassifier(dense).fit(X, y.reshape(-1, 1))
    with pytest.raises(ValueError, match="y has 2 features"):
        clf.partial_fit(X, np.column_stack([y, y]))
    reg = KerasRegressor(dense).fit(X, y.reshape(-1, 1))
    with pytest.raises(ValueError, match="Detected ``y`` to have 2 outputs"):
        reg.partial_fit(X, np.column_stack([y, y]))
    mlp = MLPRegressor(max_iter=1).fit(X, y)
    with pytest.raises(ValueError, match="Detected ``y`` to have 2 outputs"):
        mlp.partial_fit(X, np.column_stack([y, y]))


def test_change_of_X_dimensions_is_a_value_error():
    X3 = X.reshape(3, 2, 1)
    reg = KerasRegressor(dense).fit(X3, y)
    with pytest.raises(ValueError, match="X has 2 dimensions, .* 3 dimensions in X"):
        reg.partial_fit(X, y)
    with pytest.raises(ValueError, match="X has 2 dimensions, .* 3 dimensions in X"):
        reg.predict(X)


def test_scikeras_class_sets_meta_keys_and_kwargs_order():
    """scikeras's ``_fit_kwargs`` / ``_predict_kwargs`` / ``_compile_kwargs``, its
    ``meta`` keys (no ``input_shape_``) and its keyword order for ``**kwargs``."""
    assert {"optimizer", "loss", "metrics"} <= BaseWrapper._compile_kwargs
    assert "class_weight" in KerasClassifier._fit_kwargs
    assert "class_weight" not in KerasRegressor._fit_kwargs
    assert BaseWrapper._predict_kwargs == {"batch_size", "verbose", "steps"}
    seen = {}

    def build(**kwargs):
        seen.update(kwargs, order=tuple(kwargs))
        return dense(kwargs["meta"])

    KerasRegressor(build, model__units=3).fit(X.astype(float), y)
    assert seen["order"] == ("units", "meta", "compile_kwargs", "params")
    assert "input_shape_" not in seen["meta"]
    assert set(seen["compile_kwargs"]) <= KerasRegressor._compile_kwargs


def test_warm_start_fit_history_is_its_own():
    """As scikeras: partial_fit continues ``current_epoch``; a ``fit`` (also with
    ``warm_start``, which keeps the weights) counts its own epochs."""
    reg = KerasRegressor(dense, warm_start=True, epochs=2)
    reg.partial_fit(X, y).partial_fit(X, y)
    assert reg.current_epoch == 2
    model = reg.model_
    reg.set_params(epochs=3).fit(X, y)
    assert reg.current_epoch == 3 and len(reg.history_["loss"]) == 3
    assert reg.model_ is model  # the same network, trained on
    assert reg.partial_fit(X, y).current_epoch == 4


@pytest.mark.parametrize("kwargs", [{"epochs": 2}, {"initial_epoch": 1}])
def test_partial_fit_refuses_epoch_arguments(kwargs):
    with pytest.raises(TypeError, match="Invalid argument `.*` to `partial_fit`"):
        KerasRegressor(dense).partial_fit(X, y, **kwargs)


def test_history_records_shorthand_metrics_by_their_full_name():
    """As scikeras: ``metrics=["mse"]`` is ``history_["mean_squared_error"]``."""
    reg = KerasRegressor(dense, metrics=["mse", "mae"], epochs=2).fit(X, y)
    reg.partial_fit(X, y)
    assert set(reg.history_) == {"loss", "mean_squared_error", "mean_absolute_error"}
    assert len(reg.history_["mean_squared_error"]) == 3


def test_batch_size_minus_one_is_the_whole_data_also_for_a_list_of_inputs():
    """scikeras raises for X without ``shape``; the rows of a list are counted here
    (a deliberate difference, docs/switching.md)."""
    from sklearn.preprocessing import FunctionTransformer

    class ListFeatures(KerasRegressor):
        @property
        def feature_encoder(self):
            return FunctionTransformer(lambda x: [x])

    reg = ListFeatures(dense, loss="mse", batch_size=-1, predict__batch_size=-1)
    assert reg.fit(X.astype(float), y).predict(X.astype(float)).shape == (3,)


def test_build_fn_warns_as_scikeras_and_as_a_deprecation():
    for category in (UserWarning, DeprecationWarning):
        with pytest.warns(category, match="build_fn"):
            KerasRegressor(build_fn=dense).fit(X, y)


def test_multi_output_model_with_default_encoders():
    def two_outputs(meta):
        inputs = keras.Input((2,))
        return keras.Model(inputs, [keras.layers.Dense(1)(inputs)] * 2)

    with pytest.raises(ValueError, match="input of size 1.* has 2 outputs"):
        KerasClassifier(two_outputs).fit(X, y)


def test_one_dimensional_X_at_predict_gets_scikit_learns_message():
    reg = KerasRegressor(dense).fit(X, y)
    with pytest.raises(ValueError, match="Reshape your data"):
        reg.predict(X[0])

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

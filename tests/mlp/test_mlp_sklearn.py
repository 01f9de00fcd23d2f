"""MLPClassifier / MLPRegressor as drop-ins for scikit-learn's: parameters, solvers,
fitted attributes and behaviour, each checked against scikit-learn where it can be.

scikit-learn's own ``test_mlp.py`` runs against sklkeras through
``benchmarks/compat/sklearn_test_mlp.py`` (too slow for the suite).
"""

import pickle
import warnings

import keras
import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.neural_network import MLPRegressor as SkMLPRegressor

import sklkeras
from sklkeras import MLPClassifier, MLPRegressor
from sklkeras._engine._tf_loop import _EPOCH_FUNCTIONS

QUIET = dict(hidden_layer_sizes=(8,), random_state=0, n_iter_no_change=None)


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    return X, y, X[:, 0] - 2 * X[:, 2]


# ------------------------------------------------------------------ parameters
@pytest.mark.parametrize(
    "ours, theirs", [(MLPClassifier, SkMLPClassifier), (MLPRegressor, SkMLPRegressor)]
)
def test_every_sklearn_parameter_with_its_default(ours, theirs):
    mine = ours().get_params()
    for name, default in theirs().get_params().items():
        assert name in mine, name
        if isinstance(default, float) and np.isnan(default):
            continue
        assert mine[name] == default, (name, mine[name], default)
    extras = {"epochs", "optimizer", "dropout", "input_dropout", "kernel_constraint"}
    assert extras <= set(mine)


def test_epochs_and_max_iter_are_one_budget(data):
    X, y, _ = data
    assert MLPClassifier(**QUIET, max_iter=3).fit(X, y).n_iter_ == 3
    assert MLPClassifier(**QUIET, epochs=2).fit(X, y).n_iter_ == 2
    assert MLPClassifier(**QUIET, epochs=2, max_iter=2).fit(X, y).n_iter_ == 2
    with pytest.raises(ValueError, match="epochs=2 and max_iter=5 disagree"):
        MLPClassifier(**QUIET, epochs=2, max_iter=5).fit(X, y)
    for grid in ({"max_iter": [1, 2]}, {"epochs": [1, 2]}):
        search = GridSearchCV(MLPClassifier(**QUIET), grid, cv=2).fit(X, y)
        assert search.best_estimator_.n_iter_ == list(search.best_params_.values())[0]


def test_solver_settings_reach_the_keras_optimizer(data):
    X, y, _ = data
    adam = MLPClassifier(**QUIET, max_iter=1, beta_1=0.8, beta_2=0.99, epsilon=1e-6)
    config = adam.fit(X, y).model_.optimizer.get_config()
    assert (config["beta_1"], config["beta_2"], config["epsilon"]) == (0.8, 0.99, 1e-6)
    sgd = MLPClassifier(**QUIET, max_iter=1, solver="sgd", momentum=0.5)
    config = sgd.fit(X, y).model_.optimizer.get_config()
    assert (config["momentum"], config["nesterov"]) == (0.5, True)
    assert config["learning_rate"] == pytest.approx(0.001)
    named = MLPClassifier(
        **QUIET, max_iter=1, optimizer="rmsprop", learning_rate_init=0.02
    )
    config = named.fit(X, y).model_.optimizer.get_config()
    assert isinstance(named.model_.optimizer, keras.optimizers.RMSprop)
    assert config["learning_rate"] == pytest.approx(0.02)
    obj = keras.optimizers.SGD(learning_rate=0.3, momentum=0.9)
    config = (
        MLPClassifier(**QUIET, max_iter=1, optimizer=obj).fit(X, y).model_.optimizer
    )
    assert float(config.learning_rate) == pytest.approx(0.3)  # its own rate is kept


def _start_from(est, coefs, intercepts, sklearn=False):
    est.coefs_ = [c.copy() for c in coefs]
    est.intercepts_ = [i.copy() for i in intercepts]
    if sklearn:  # what scikit-learn's partial_fit needs to continue from them
        est.n_layers_, est.n_outputs_, est.t_, est.n_iter_ = 3, 1, 0, 0
        est.out_activation_ = (
            "logistic" if est.__class__ is SkMLPClassifier else "identity"
        )
        est.loss_curve_, est.best_loss_, est._no_improvement_count = [], np.inf, 0
    return est


@pytest.mark.parametrize(
    "solver, settings",
    [
        ("sgd", dict(momentum=0.9, learning_rate_init=0.1)),
        ("sgd", dict(momentum=0.5, nesterovs_momentum=False, learning_rate_init=0.1)),
        ("adam", dict(learning_rate_init=0.01)),
    ],
)
@pytest.mark.parametrize("regression", [False, True])
def test_updates_are_sklearns_step_for_step(data, solver, settings, regression):
    X, y, y_reg = data
    rng = np.random.RandomState(1)
    coefs = [rng.normal(size=(3, 4)) * 0.5, rng.normal(size=(4, 1)) * 0.5]
    intercepts = [rng.normal(size=4) * 0.1, rng.normal(size=1) * 0.1]
    kw = dict(
        hidden_layer_sizes=(4,),
        activation="tanh",
        solver=solver,
        alpha=0.1,
        batch_size=len(X),
        **settings,
    )
    target = y_reg if regression else y
    fit_kw = {} if regression else {"classes": [0, 1]}
    theirs = (SkMLPRegressor if regression else SkMLPClassifier)(**kw)
    ours = (MLPRegressor if regression else MLPClassifier)(**kw)
    _start_from(theirs, coefs, intercepts, sklearn=True)
    _start_from(ours, coefs, intercepts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(3):
            theirs.partial_fit(X, target, **fit_kw)
            ours.partial_fit(X, target, **fit_kw)
    for a, b in zip(
        ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_, strict=True
    ):
        np.testing.assert_allclose(a, b, atol=1e-6)
    assert ours.loss_ == pytest.approx(theirs.loss_, rel=1e-6)
    assert ours.t_ == theirs.t_ == 3 * len(X)


def test_invscaling_and_adaptive_rates(data):
    X, y, _ = data
    inv = MLPClassifier(
        **QUIET,
        solver="sgd",
        learning_rate="invscaling",
        power_t=0.25,
        max_iter=2,
        batch_size=len(X),
    ).fit(X, y)
    expected = 0.001 / (2 * len(X) + 1) ** 0.25
    assert inv._optimizer.learning_rate == expected  # computed as scikit-learn does
    assert float(inv.model_.optimizer.learning_rate) == pytest.approx(expected)
    ada = MLPClassifier(
        hidden_layer_sizes=(4,),
        tol=0.5,
        max_iter=3000,
        solver="sgd",
        learning_rate="adaptive",
        random_state=0,
    ).fit(X[:2], [1, 0])
    assert ada.n_iter_ < 3000 and ada._optimizer.learning_rate < 1e-6
    with pytest.raises(ValueError, match="two learning-rate schedules"):
        MLPClassifier(
            solver="sgd",
            learning_rate="adaptive",
            learning_rate_schedule=lambda epoch: 0.1,
        ).fit(X, y)


# ----------------------------------------------------------------------- lbfgs
def test_lbfgs_loss_and_gradient_are_sklearns(data):
    X, y, _ = data
    ours = MLPClassifier(
        hidden_layer_sizes=(5,), solver="lbfgs", alpha=0.3, max_iter=1, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours.fit(X, y)
        theirs = SkMLPClassifier(
            hidden_layer_sizes=(5,), solver="lbfgs", alpha=0.3, max_iter=1
        ).fit(X, y)
    theta = np.hstack([w.ravel() for w in ours.coefs_ + ours.intercepts_])
    Y = y.reshape(-1, 1)
    loss, grad = ours._loss_grad_lbfgs(theta, X, Y)
    work = [
        [X, None, None],
        [None, None],
        [np.empty((3, 5)), np.empty((5, 1))],
        [np.empty(5), np.empty(1)],
    ]
    expected_loss, expected_grad = theirs._loss_grad_lbfgs(theta, X, Y, None, *work)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(grad, expected_grad, atol=1e-12)


def test_lbfgs_fits_and_honours_its_limits(data):
    X, _, y_reg = data
    reg = MLPRegressor(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0)
    assert reg.fit(X, y_reg).score(X, y_reg) > 0.99
    assert (
        reg.n_iter_ == len(reg.loss_curve_) <= 200 and reg.loss_ == reg.loss_curve_[-1]
    )
    assert reg.t_ == 0
    with pytest.warns(ConvergenceWarning, match="lbfgs failed to converge"):
        short = MLPRegressor(
            hidden_layer_sizes=(8,), solver="lbfgs", max_fun=5, tol=0.0, random_state=0
        ).fit(X, y_reg)
    assert short.n_iter_ <= 5
    assert not hasattr(MLPRegressor(solver="lbfgs"), "partial_fit")
    assert hasattr(MLPRegressor(solver="adam"), "partial_fit")
    with pytest.raises(ValueError, match="lbfgs.*dropout"):
        MLPRegressor(solver="lbfgs", dropout=0.2).fit(X, y_reg)


# ------------------------------------------------------------ fitted attributes
def test_sklearn_attributes(data):
    X, y, _ = data
    clf = MLPClassifier(
        hidden_layer_sizes=(8, 4), max_iter=5, random_state=0, n_iter_no_change=None
    ).fit(X, y)
    assert [c.shape for c in clf.coefs_] == [(3, 8), (8, 4), (4, 1)]
    assert [i.shape for i in clf.intercepts_] == [(8,), (4,), (1,)]
    assert (clf.n_layers_, clf.n_outputs_, clf.out_activation_) == (4, 1, "logistic")
    assert clf.loss_ == clf.loss_curve_[-1] and clf.best_loss_ == min(clf.loss_curve_)
    assert clf.t_ == 5 * len(X)
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(clf.predict_proba(X)))
    multi = MLPClassifier(**QUIET, max_iter=1).fit(X, np.arange(60) % 3)
    assert (multi.n_outputs_, multi.out_activation_) == (3, "softmax")
    with pytest.raises(ValueError, match="read-only"):
        clf.coefs_[0][0, 0] = 1.0  # in place would be lost: refused
    assert not hasattr(MLPClassifier(), "coefs_")


def test_assigned_weights_are_used(data):
    X, y, _ = data
    clf = MLPClassifier(**QUIET, max_iter=2).fit(X, y)
    zeros = [np.zeros_like(c) for c in clf.coefs_]
    clf.coefs_ = zeros
    np.testing.assert_allclose(
        clf.predict_proba(X)[:, 1], clf.predict_proba(X[:1])[0, 1]
    )
    clf.coefs_[1] = np.ones((8, 1))  # item assignment writes through too
    np.testing.assert_array_equal(clf.coefs_[1], np.ones((8, 1)))
    with pytest.raises(ValueError, match=r"coefs_\[0\] has shape \(2, 2\)"):
        clf.coefs_ = [np.zeros((2, 2)), np.zeros((8, 1))]
        clf.predict(X)


def test_worked_example_from_assigned_weights():
    # scikit-learn's test_fit: one SGD step from weights set by hand.
    X, y = np.array([[0.6, 0.8, 0.7]]), np.array([0])
    mlp = MLPClassifier(
        solver="sgd",
        learning_rate_init=0.1,
        alpha=0.1,
        momentum=0,
        activation="logistic",
        max_iter=1,
        hidden_layer_sizes=2,
    )
    mlp.coefs_ = [
        np.array([[0.1, 0.2], [0.3, 0.1], [0.5, 0]]),
        np.array([[0.1], [0.2]]),
    ]
    mlp.intercepts_ = [np.array([0.1, 0.1]), np.array([1.0])]
    mlp.partial_fit(X, y, classes=[0, 1])
    np.testing.assert_allclose(
        mlp.coefs_[0],
        [[0.098, 0.195756], [0.2956664, 0.096008], [0.4939998, -0.002244]],
        atol=1e-3,
    )
    assert mlp.predict_proba(X)[0, 1] == pytest.approx(0.739, abs=1e-3)


# ------------------------------------------------------------------- behaviour
def test_convergence_warning_rule(data):
    X, y, _ = data
    with pytest.warns(ConvergenceWarning, match=r"Maximum iterations \(3\) reached"):
        MLPClassifier(hidden_layer_sizes=(8,), max_iter=3, random_state=0).fit(X, y)
    with pytest.warns(ConvergenceWarning):
        MLPClassifier(
            hidden_layer_sizes=(8,), max_iter=3, n_iter_no_change=np.inf, random_state=0
        ).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        MLPClassifier(**QUIET, max_iter=3).fit(X, y)  # a fixed number of epochs
        MLPClassifier(hidden_layer_sizes=(8,), random_state=0).partial_fit(
            X, y, classes=[0, 1]
        )
        MLPClassifier(
            hidden_layer_sizes=(4,), tol=0.5, max_iter=500, random_state=0
        ).fit(X, y)  # converged: stopped by the rule


def test_n_iter_per_fit_under_warm_start(data):
    X, y, _ = data
    clf = MLPClassifier(**QUIET, max_iter=3, warm_start=True).fit(X, y)
    clf.set_params(max_iter=5)
    clf.fit(X, y)
    assert clf.n_iter_ == 5 and len(clf.loss_curve_) == 8 and clf.t_ == 8 * len(X)
    clf.partial_fit(X, y)
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 9


def test_stopping_counts_as_sklearn(data):
    X, y, _ = data
    clf = MLPClassifier(
        hidden_layer_sizes=(4,),
        solver="sgd",
        tol=1e9,
        n_iter_no_change=np.inf,
        max_iter=20,
        random_state=0,
    )
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, y)
    assert clf.n_iter_ == 20 and clf._no_improvement_count == 19
    clf = MLPClassifier(
        hidden_layer_sizes=(4,), tol=1e9, n_iter_no_change=3, random_state=0
    ).fit(X, y)
    assert clf.n_iter_ == 5 and clf._no_improvement_count == 4


def test_early_stopping_attributes(data):
    X, y, y_reg = data
    for est, target in ((MLPClassifier, y), (MLPRegressor, y_reg)):
        model = est(
            hidden_layer_sizes=(8,),
            early_stopping=True,
            max_iter=30,
            n_iter_no_change=3,
            learning_rate_init=0.05,
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, target)
        assert model.best_loss_ is None
        assert len(model.validation_scores_) == model.n_iter_
        assert model.best_validation_score_ == max(model.validation_scores_)
        assert est(**QUIET, max_iter=2).fit(X, target).validation_scores_ is None


@pytest.mark.parametrize(
    "X, y, match",
    [
        (np.zeros((2, 3)), np.array([0.0, 1.0]), "validation set is too small"),
        (
            np.arange(8.0).reshape(4, 2),
            np.array([0, 0, 0, 1]),
            r"too few members.*\[1\]",
        ),
    ],
)
def test_early_stopping_refuses_what_it_cannot_split(X, y, match):
    est = MLPRegressor if y.dtype.kind == "f" else MLPClassifier
    with pytest.raises(ValueError, match=match):
        est(early_stopping=True, max_iter=2).fit(X, y)


def test_classes_cannot_change(data):
    X, y, _ = data
    clf = MLPClassifier(**QUIET).partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="not the same as on the first call"):
        clf.partial_fit(X, y, classes=[0, 1, 2])
    warm = MLPClassifier(**QUIET, max_iter=1, warm_start=True).fit(X, y)
    with pytest.raises(
        ValueError,
        match=r"warm_start can only be used where `y` has "
        r"the same classes.*Previously got \[0 1\]",
    ):
        warm.fit(X, np.arange(60) % 3)
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping"):
        MLPClassifier(early_stopping=True).partial_fit(X, y, classes=[0, 1])


@pytest.mark.parametrize("est", [MLPClassifier, MLPRegressor])
def test_weights_in_X_dtype(data, est):
    X, y, y_reg = data
    target = y if est is MLPClassifier else y_reg
    fits = {}
    for dtype in (np.float32, np.float64):
        model = est(**QUIET, max_iter=5).fit(X.astype(dtype), target)
        assert all(w.dtype == dtype for w in model.coefs_ + model.intercepts_)
        assert model.model_.weights[0].dtype == np.dtype(dtype).name
        fits[dtype] = model
    if est is MLPRegressor:
        assert fits[np.float32].predict(X.astype(np.float32)).dtype == np.float32
        assert fits[np.float64].predict(X).dtype == np.float64
    # Same initial weights in both dtypes, so the fits agree to float32 precision.
    np.testing.assert_allclose(
        fits[np.float32].coefs_[0], fits[np.float64].coefs_[0], rtol=1e-4, atol=1e-5
    )
    MLPRegressor(**QUIET, max_iter=1).fit(X.astype(int), y_reg)  # ints train float64


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_X_trains_as_dense(data, fmt):
    X, y, _ = data
    Xs = sp.random(60, 30, density=0.1, format=fmt, random_state=0)
    Xs.data[:] = 1.0
    dense = MLPClassifier(**QUIET, max_iter=3, batch_size=16).fit(Xs.toarray(), y)
    sparse = MLPClassifier(**QUIET, max_iter=3, batch_size=16).fit(Xs, y)
    np.testing.assert_allclose(
        sparse.predict_proba(Xs), dense.predict_proba(Xs.toarray()), rtol=1e-10
    )
    lbfgs = MLPClassifier(
        hidden_layer_sizes=(4,), solver="lbfgs", max_iter=5, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        np.testing.assert_array_equal(
            lbfgs.fit(Xs, y).predict(Xs),
            lbfgs.fit(Xs.toarray(), y).predict(Xs.toarray()),
        )
    es = MLPClassifier(**QUIET, max_iter=2, early_stopping=True).fit(Xs, y)
    assert len(es.validation_scores_) == 2


def test_poisson_has_an_exponential_output(data):
    X, _, _ = data
    y = np.random.RandomState(0).poisson(np.exp(0.5 * X[:, 0] + 1))
    reg = MLPRegressor(
        loss="poisson", hidden_layer_sizes=(8,), solver="lbfgs", random_state=0
    ).fit(X, y)
    assert reg.out_activation_ == "exp" and np.all(reg.predict(X) > 0)
    assert np.isfinite(reg.loss_)
    # The log link's score equation with an intercept: mean prediction = mean of y.
    assert reg.predict(X).mean() == pytest.approx(y.mean(), rel=0.02)
    with pytest.raises(ValueError, match="non-negative"):
        MLPRegressor(loss="poisson").fit(X, -np.ones(60))


def test_partial_fit_reuses_the_compiled_epoch(data):
    X, y, _ = data
    clf = MLPClassifier(hidden_layer_sizes=(8,), random_state=0)
    clf.partial_fit(X, y, classes=[0, 1])
    (epoch_fn,) = _EPOCH_FUNCTIONS[clf.model_].values()
    traces = epoch_fn.experimental_get_tracing_count()
    for _ in range(3):
        clf.partial_fit(X, y)
    clf.partial_fit(X[:30], y[:30])  # other row counts: at most one more trace
    clf.partial_fit(X[:20], y[:20])
    assert len(_EPOCH_FUNCTIONS[clf.model_]) == 1
    assert epoch_fn.experimental_get_tracing_count() <= traces + 1


def test_input_dropout_and_kernel_constraint(data):
    X, y, _ = data
    clf = MLPClassifier(
        hidden_layer_sizes=(8,),
        input_dropout=0.2,
        max_iter=30,
        kernel_constraint=keras.constraints.MaxNorm(0.5),
        solver="sgd",
        learning_rate_init=0.5,
        random_state=0,
        n_iter_no_change=None,
    ).fit(X, y)
    assert clf.model_.get_layer("input_dropout").rate == 0.2
    for kernel in clf.coefs_:
        assert np.linalg.norm(kernel, axis=0).max() <= 0.5 + 1e-6


def test_verbose_prints_sklearns_lines(data, capsys):
    X, y, _ = data
    MLPClassifier(**QUIET, max_iter=2, verbose=True, early_stopping=True).fit(X, y)
    out = capsys.readouterr().out
    assert "Iteration 2, loss = " in out and "Validation score: " in out


def test_non_finite_weights_refused():
    X = np.finfo(np.float64).max * np.random.RandomState(0).uniform(size=(10, 2))
    # scikit-learn's exact sentence (its test_nonfinite_params matches on it)
    msg = (
        "Solver produced non-finite parameter weights. The input data may contain "
        "large values and need to be preprocessed."
    )
    with pytest.raises(ValueError, match=msg):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            MLPRegressor(max_iter=2).fit(X, np.arange(10.0))


@pytest.mark.parametrize("loss", ["squared_error", "poisson"])
def test_save_load_and_pickle_keep_sklearn_state(data, tmp_path, loss):
    X, _, y_reg = data
    reg = MLPRegressor(**QUIET, loss=loss, max_iter=3).fit(X, np.abs(y_reg))
    path = tmp_path / "reg.skk"
    reg.save(path)
    for again in (sklkeras.load(path), pickle.loads(pickle.dumps(reg))):
        np.testing.assert_array_equal(again.predict(X), reg.predict(X))
        assert (again.t_, again.n_iter_, again.out_activation_) == (
            reg.t_,
            reg.n_iter_,
            reg.out_activation_,
        )
        again.partial_fit(X, np.abs(y_reg))  # a loaded float64 network trains on
        assert again.coefs_[0].dtype == np.float64

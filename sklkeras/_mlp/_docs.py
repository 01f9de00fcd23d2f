"""Parameter and attribute texts of MLPClassifier and MLPRegressor, written once.

Entries shared with the other estimators are taken from ``_docstrings``; defaults
are filled in from the signatures by ``fill_doc``.
"""

from __future__ import annotations

from .._utils import (
    _SHARED,
    param_entries,
)

_COMMON = param_entries(_SHARED["common_params"])
_FITTED = param_entries(_SHARED["fitted_attributes"])


def _join(*texts: str) -> str:
    return "\n    ".join(texts)


_HEAD = """\
hidden_layer_sizes : int or array-like of int, default=(100,)
        Units of each hidden layer, in order.
    activation : str or callable, default="relu"
        Hidden-layer activation: scikit-learn's "identity", "logistic", "tanh",
        "relu", or any Keras name ("elu", "gelu", "selu", "swish", ...)."""

_SKLEARN = """\
solver : {"adam", "sgd", "lbfgs"}, default="adam"
        "adam" and "sgd" train by mini-batches with Keras's ``Adam`` / ``SGD``,
        whose update rules are scikit-learn's; "lbfgs" minimises the full-batch
        loss with ``scipy.optimize.minimize(method="L-BFGS-B")``, often better on
        small data sets. ``optimizer``, when set, replaces the solver's optimizer.
    alpha : float, default=1e-4
        L2 penalty with scikit-learn's scaling: ``alpha / 2 * ||W||^2`` divided by
        the batch size is added to each batch's loss (kernels only).
    batch_size : int or "auto", default="auto"
        Samples per gradient step of "adam" / "sgd" (capped at the number of
        samples). "auto" is ``min(512, max(32, ceil(n_samples / 8)))``, capped at
        ``n_samples``: about 8 steps per epoch between 32 and 512 rows a batch,
        where scikit-learn's ``min(200, n_samples)`` takes one or two steps on a
        small table.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        scikit-learn's schedules for ``solver="sgd"``: "invscaling" uses
        ``learning_rate_init / (t_ + 1) ** power_t`` after each epoch; "adaptive"
        divides the rate by 5 each time ``n_iter_no_change`` epochs fail to improve
        by ``tol``, and stops once it is at most 1e-6. Ignored by other solvers, as
        in scikit-learn.
    learning_rate_init : float or None, default=0.001
        Initial learning rate of the solver's optimizer, or of an ``optimizer``
        given by name. None is Keras's default for the optimizer. An ``optimizer``
        object keeps its own rate.
    power_t : float, default=0.5
        Exponent of ``learning_rate="invscaling"``.
    max_iter : int, default=200
        Maximum number of epochs ("adam", "sgd") or of L-BFGS iterations. The
        ``epochs`` parameter is the same budget under Keras's name.
    shuffle : bool, default=True
        Reshuffle the training rows before every epoch.
    random_state : int, RandomState instance or None, default=None
        Seed for weight initialisation, dropout, shuffling and the validation split.
        An int makes fits repeatable; the process's global random state is left as
        it was.
    tol : float, default=1e-4
        Smallest improvement of the training loss (or of the validation score with
        ``early_stopping``) that counts; for "lbfgs", scipy's ``gtol``.
    verbose : bool or int, default=False
        Print scikit-learn's progress lines ("Iteration 3, loss = 0.41", and the
        validation score with ``early_stopping``).
    warm_start : bool, default=False
        When True, ``fit`` continues from the current weights; the classes must be
        the same as at the previous fit.
    momentum : float, default=0.9
        Momentum of ``solver="sgd"``.
    nesterovs_momentum : bool, default=True
        Nesterov's momentum for ``solver="sgd"``.
    early_stopping : bool, default=False
        Set aside ``validation_fraction`` of the training data (shuffled, and
        stratified for a single-label classifier: every class needs two samples),
        stop when the validation score (accuracy, or R^2) has not improved by
        ``tol`` for more than ``n_iter_no_change`` epochs, and restore the weights
        of the best epoch, as scikit-learn does. Needs a validation set of at least
        2 samples. Stochastic solvers only.
    validation_fraction : float, default=0.1
        Share of the training data held out when ``early_stopping=True``.
    beta_1 : float, default=0.9
        Decay of Adam's first-moment estimates.
    beta_2 : float, default=0.999
        Decay of Adam's second-moment estimates.
    epsilon : float, default=1e-8
        Adam's numerical-stability constant (scikit-learn's default, not Keras's
        1e-7).
    n_iter_no_change : int, np.inf or None, default=10
        Training stops once more than this many epochs in a row failed to improve
        by ``tol``. A fit that uses up ``max_iter`` without stopping so warns with
        ``ConvergenceWarning``, also with ``np.inf`` (never stop), as scikit-learn
        does. None trains exactly ``max_iter`` epochs, without the test and without
        the warning.
    max_fun : int, default=15000
        Maximum number of loss evaluations of "lbfgs"."""

_EPOCHS = """\
epochs : int or None, default=None
        Keras's name for the epoch budget: None (the default) uses ``max_iter``;
        an int is the budget, and ``max_iter`` must then be left at its default
        or equal it (both spellings work in grids).
    optimizer : str, keras.optimizers.Optimizer or None, default=None
        None: the ``solver``'s optimizer with the settings above. A Keras name
        ("adam", "sgd", "rmsprop", "adamw", "nadam", ...) is that optimizer at
        ``learning_rate_init`` with Keras's other defaults; an object is copied for
        every fit with all its settings, never trained in place."""

_KERAS = """\
metrics : list or None, default=None
        Extra Keras metrics (names, objects or functions) recorded per epoch in
        ``history_``.
    dropout : float or array-like of float, default=0.0
        Dropout rate after each hidden layer (one value for all, or one per layer).
    input_dropout : float, default=0.0
        Dropout rate on the input features (the notes use 0.2 with a ``MaxNorm(3)``
        kernel constraint).
    kernel_initializer : str or keras.initializers.Initializer, default="glorot_uniform"
        Weight initializer of every layer (the book's ``init``); biases start at 0.
    kernel_constraint : str, keras.constraints.Constraint or None, default=None
        Constraint on every kernel after each step, e.g.
        ``keras.constraints.MaxNorm(3)``.
    learning_rate_schedule : schedule, callable or None, default=None
        Learning rate per epoch: ``sklkeras.callbacks.TimeDecay``, ``StepDecay``,
        ``ReduceOnPlateau``, or a function ``epoch -> rate``; recorded in
        ``history_["learning_rate"]``. Not together with ``learning_rate``."""

_CLASSIFIER_LOSS = """\
loss : str, callable, keras.losses.Loss or None, default=None
        None is scikit-learn's log-loss (binary cross-entropy summed over the
        labels of a multilabel target; categorical cross-entropy otherwise).
        Keras losses by name or object; "categorical_crossentropy" one-hot
        encodes the labels."""

_REGRESSOR_LOSS = """\
loss : str, callable or keras.losses.Loss, default="squared_error"
        scikit-learn's "squared_error" (half the mean squared error) or "poisson"
        (half the Poisson deviance, with an exponential output so predictions
        are positive; needs ``y >= 0``), or any Keras loss by name or object
        ("mean_squared_error", "mean_absolute_error", "huber", ...)."""

_CLASS_WEIGHT = """\
class_weight : dict, "balanced" or None, default=None
        Weights per class, multiplied into ``sample_weight`` (a copy; the caller's
        array is never changed)."""

_TAIL = _join(
    _COMMON["callbacks"],
    _COMMON["checkpoint_dir"],
    _COMMON["checkpoint_best_only"],
    _COMMON["distribution"],
)

_ATTRIBUTES = _join(
    """\
coefs_ : list of ndarray
        ``coefs_[i]`` is the kernel of layer i, of shape ``(fan_in, fan_out)``, in
        the training dtype (X's float dtype). Assign it (or one of its items) to
        set the weights; the arrays it returns are read-only copies.
    intercepts_ : list of ndarray
        ``intercepts_[i]`` is the bias of layer i, of shape ``(fan_out,)``.
    n_layers_ : int
        Number of layers, input and output layers included.
    n_outputs_ : int
        Number of output units.
    out_activation_ : str
        Output activation: "logistic", "softmax", "identity" or "exp".
    loss_ : float
        Loss of the last epoch (or the final L-BFGS loss), penalty included.
    t_ : int
        Training samples seen by the stochastic solvers (``n_iter_`` times the
        training rows, over all fits).""",
    _FITTED["model_"],
    _FITTED["history_"],
    """\
loss_curve_ : list of float
        Training loss per epoch (per iteration for "lbfgs"), over all fits.
    validation_scores_ : list of float or None
        Validation accuracy (classifier) or R^2 (regressor) per epoch with
        ``early_stopping``, else None.
    best_validation_score_ : float or None
        Best of ``validation_scores_``.""",
    _FITTED["best_loss_"],
    """\
n_iter_ : int
        Epochs (or L-BFGS iterations) run by the last ``fit``, 1 after
        ``partial_fit``, as in scikit-learn.""",
    _FITTED["n_features_in_"],
    _FITTED["feature_names_in_"],
)

MLP_DOCS = {
    "mlp_head": _HEAD,
    "mlp_sklearn_params": _SKLEARN,
    "mlp_epochs_params": _EPOCHS,
    "mlp_keras_params": _KERAS,
    "mlp_classifier_loss": _CLASSIFIER_LOSS,
    "mlp_regressor_loss": _REGRESSOR_LOSS,
    "mlp_class_weight": _CLASS_WEIGHT,
    "mlp_tail_params": _TAIL,
    "mlp_attributes": _ATTRIBUTES,
}

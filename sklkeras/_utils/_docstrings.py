"""Parameter descriptions shared by several estimators, written once.

Estimator docstrings contain ``{training_params}`` (and friends), filled in with
``fill_doc`` so the text stays the same everywhere.
"""

from __future__ import annotations

import inspect
import re

_SHARED = {
    "training_params": """\
optimizer : str or keras.optimizers.Optimizer, default="adam"
        Optimizer name ("adam", "sgd", "rmsprop", "adamw", "nadam", "adagrad",
        "adadelta", "adamax", "ftrl", "lion") or a Keras optimizer object. An object is
        copied through its config for every fit, never trained in place.
    learning_rate_init : float or None, default=None
        Initial learning rate. None keeps the optimizer's own (0.001 for Adam, 0.01
        for SGD, or the rate of a given optimizer object).
    learning_rate_schedule : schedule, callable or None, default=None
        Learning rate per epoch: ``sklkeras.callbacks.TimeDecay`` (``lr / (1 +
        decay * epoch)``), ``StepDecay`` (``lr * drop ** floor((1 + epoch) /
        epochs_drop)``), ``ReduceOnPlateau``, or a function ``epoch -> rate``. The
        rate used is recorded in ``history_["learning_rate"]``; the schedule's
        settings are searchable (``learning_rate_schedule__drop``).
    batch_size : int or "auto", default="auto"
        Samples per gradient step; "auto" is ``min(200, n_samples)``, as in
        scikit-learn.
    epochs : int, default=200
        Maximum number of passes over the training data (scikit-learn's
        ``max_iter``).
    loss : str, callable, keras.losses.Loss or None, default=None
        Training loss. None picks the usual one for the target.
    metrics : list or None, default=None
        Extra Keras metrics (names, objects or functions) recorded per epoch in
        ``history_``.
    early_stopping : bool, default=False
        Set aside ``validation_fraction`` of the training data (shuffled, and
        stratified for classifiers: every class needs two samples), stop when the
        validation loss has not improved by ``tol`` for more than
        ``n_iter_no_change`` epochs, and restore the best weights.
    validation_fraction : float, default=0.1
        Share of the training data held out when ``early_stopping=True``.
    n_iter_no_change : int, np.inf or None, default=10
        Training stops once more than this many epochs in a row failed to improve
        the best loss by ``tol`` (the validation loss with ``early_stopping``, the
        training loss without), scikit-learn's rule. A fit that uses up ``epochs``
        without stopping so warns with ``ConvergenceWarning``, also with
        ``np.inf`` (never stop). None trains exactly ``epochs`` epochs, without
        the test and without the warning.
    tol : float, default=1e-4
        Smallest change of the monitored loss that counts as an improvement.""",
    "common_params": """\
callbacks : list of keras.callbacks.Callback or None, default=None
        Extra Keras callbacks for every fit.
    checkpoint_dir : str, path-like or None, default=None
        Save a checkpoint here after every epoch (one ``.skk`` file per
        configuration and training data, replaced atomically; ``sklkeras.load``
        reads it). A ``fit`` of the same configuration on the same data (X, y and
        sample_weight) on a directory holding one resumes after its last saved
        epoch, optimizer state included, up to ``epochs`` in total; with early
        stopping's state, the random generators of dropout and the per-epoch
        shuffle order also restored, the resumed run equals the uninterrupted one
        bit for bit (TensorFlow's compiled loop; seeded runs), and a finished run
        is not trained again. The folds of a cross-validation each get their own
        file. Delete the file to start over.
    checkpoint_best_only : bool, default=False
        Save only when the monitored loss (validation loss with
        ``early_stopping``, else training loss) improves: the notes' "keep only the
        best model".
    distribution : tf.distribute.Strategy or None, default=None
        Train one network across devices: the network is built and compiled in
        the strategy's scope and each batch of ``batch_size`` rows is split across
        its replicas (e.g. ``tf.distribute.MirroredStrategy()`` over the GPUs of a
        machine, ``MultiWorkerMirroredStrategy`` over machines). Not kept by
        pickle or ``save`` (it holds devices).
    random_state : int, RandomState instance or None, default=None
        Seed for weight initialisation, dropout, shuffling and the validation split.
        An int makes fits repeatable; the process's global random state is left as
        it was.
    warm_start : bool, default=False
        When True, ``fit`` continues training the existing network instead of
        building a new one.
    verbose : int, default=0
        Keras's verbosity: 0 silent, 1 progress bar, 2 one line per epoch.""",
    "fitted_attributes": """\
model_ : keras.Model
        The trained network.
    history_ : dict of str to list of float
        Loss and metrics per epoch, as Keras records them (``val_`` prefixed for
        the validation split).
    loss_curve_ : list of float
        Training loss per epoch.
    validation_scores_ : list of float or None
        Validation score (accuracy or R^2) per epoch with ``early_stopping``, else
        None.
    best_validation_score_ : float or None
        Best of ``validation_scores_``.
    best_loss_ : float or None
        Lowest training loss reached; None with ``early_stopping`` (the
        validation split decides there), as in scikit-learn.
    n_iter_ : int
        Epochs run by the last ``fit`` (1 after ``partial_fit``); with
        ``warm_start`` each fit counts its own, as in scikit-learn, while
        ``loss_curve_`` and ``history_`` keep every epoch.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names, when X was a DataFrame with string column names.""",
}


_PARAM_LINE = re.compile(r"^(    (\w+) : .*?, default=)(.*)$", re.MULTILINE)


def _default_text(value) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def param_entries(block: str) -> dict:
    """``name -> text`` of each parameter entry of a shared block (for reuse)."""
    entries: dict = {}
    name = None
    for line in block.splitlines():
        match = re.match(r"^(?:    )?(\w+) : ", line)
        if match and not line.startswith("        "):
            name = match.group(1)
            entries[name] = [line.lstrip()]
        elif name is not None:
            entries[name].append(line)
    return {key: "\n".join(lines) for key, lines in entries.items()}


def fill_doc(obj=None, **blocks):
    """Substitute the shared parameter texts into ``obj.__doc__``.

    The ``default=`` of every parameter line is then taken from the signature, so a
    shared text never states another estimator's default (SequenceClassifier trains
    20 epochs by default, the MLPs 200). ``fill_doc(**blocks)`` adds blocks of
    one's own.
    """
    if obj is None:
        return lambda target: fill_doc(target, **blocks)
    if obj.__doc__:
        params = inspect.signature(obj).parameters

        def from_signature(match):
            param = params.get(match.group(2))
            if param is None or param.default is param.empty:
                return match.group(0)
            return match.group(1) + _default_text(param.default)

        text = obj.__doc__.format(**{**_SHARED, **blocks})
        obj.__doc__ = _PARAM_LINE.sub(from_signature, text)
    return obj

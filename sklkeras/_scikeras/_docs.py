"""Parameter texts of KerasClassifier / KerasRegressor, written once (``fill_doc``)."""

WRAPPER_DOCS = {
    "wrapper_model": """\
``model`` is called at every fit (unless ``warm_start``) as scikeras calls it:
    with ``meta`` (the fitted metadata: ``n_features_in_``, ``X_shape_``,
    ``X_dtype_``, ``y_dtype_``, ``target_type_``, ``classes_``, ``n_classes_``,
    ``n_outputs_``, ``n_outputs_expected_``, ``feature_names_in_``, ...),
    ``compile_kwargs`` (the resolved optimizer, loss and metrics) and ``params``
    (``get_params()``) when it names them, with its own keywords (``units=8`` or
    ``model__units=8``) by name, and with any fitted value (``n_features_in_``,
    ``input_shape_``, ...) or estimator parameter its signature names. A keyword
    it does not take is a ``TypeError`` (also a ``ValueError``) naming it, raised
    before the call, never silently dropped. A model it
    compiled itself keeps its optimizer, loss and metrics unless ``loss`` is
    given; otherwise the estimator compiles it. Training runs sklkeras's compiled
    epoch loop.""",
    "wrapper_params": """\
model : callable, keras.Model or None, default=None
        A function returning a ``keras.Model`` (called at every fit, see above) or
        a ``keras.Model`` (every fit trains a fresh copy holding its weights, its
        compilation kept; ``initialize`` predicts with the model itself). None: the subclass's ``_keras_build_fn``.
    build_fn : callable, keras.Model or None, default=None
        scikeras's deprecated name of ``model`` (a ``DeprecationWarning``).
    warm_start : bool, default=False
        Continue from the current weights at the next ``fit``.
    random_state : int, RandomState or None, default=None
        Seeds the weights, shuffling and dropout of each fit, for that fit only
        (TensorFlow's op determinism is never switched on).
    optimizer : str, class or keras.optimizers.Optimizer, default="rmsprop"
        As in scikeras: a name, a class (built with the ``optimizer__`` parameters)
        or an instance (copied through its config for every fit).
    loss : str, callable, class, keras.losses.Loss, list, dict or None, default=None
        Training loss (``loss__`` parameters build a class). None: the loss the
        model was compiled with, else the usual one for the target.
    metrics : list, dict, str, class or None, default=None
        Keras metrics recorded per epoch in ``history_`` (``metrics__`` parameters).
    batch_size : int, -1 or None, default=None
        Samples per gradient step; None is Keras's 32, -1 the whole data.
    validation_batch_size : int or None, default=None
        Accepted for scikeras compatibility; validation runs on whole arrays.
    verbose : int, default=0
        Keras's progress output; 0 (silent) by default, unlike scikeras's 1.
    callbacks : list, dict, keras.callbacks.Callback, class or None, default=None
        Keras callbacks for every fit (classes built with ``callbacks__``
        parameters).
    validation_split : float, default=0.0
        Share of the training rows held out for validation each fit: a shuffled
        split, stratified for classifiers (not Keras's last rows).
    shuffle : bool, default=True
        Shuffle the rows every epoch.
    run_eagerly : bool, default=False
        Run the training steps eagerly (through Keras's ``fit``), for debugging.
    epochs : int, default=1
        Passes over the training data per ``fit`` (Keras's and scikeras's default).""",
    "wrapper_extras": """\
learning_rate_init : float or None, default=None
        sklkeras extra: the optimizer's learning rate (below
        ``optimizer__learning_rate``).
    learning_rate_schedule : schedule, callable or None, default=None
        sklkeras extra: learning rate per epoch (``sklkeras.callbacks``).
    early_stopping : bool, default=False
        sklkeras extra: hold out ``validation_fraction``, stop on the validation
        loss (scikit-learn's rule), restore the best weights.
    validation_fraction : float, default=0.1
        sklkeras extra: share held out when ``early_stopping=True``.
    n_iter_no_change : int, np.inf or None, default=None
        sklkeras extra: scikit-learn's stopping rule; None (the default here) trains
        exactly ``epochs`` epochs, as Keras and scikeras do.
    tol : float, default=1e-4
        sklkeras extra: smallest improvement for ``n_iter_no_change``.
    checkpoint_dir : str, path-like or None, default=None
        sklkeras extra: checkpoint every epoch here and resume an interrupted fit.
    checkpoint_best_only : bool, default=False
        sklkeras extra: keep only the best epoch's checkpoint.
    distribution : tf.distribute.Strategy or None, default=None
        sklkeras extra: build and train under this strategy.
    **kwargs : dict
        As in scikeras: plain keywords go to the model function by name, routed
        ones (``model__``, ``optimizer__``, ``loss__``, ``metrics__``,
        ``callbacks__``, ``compile__``, ``fit__``, ``predict__``,
        ``partial_fit__``) where their prefix says; all are searchable parameters.""",
    "wrapper_attributes": """\
model_ : keras.Model
        The trained network.
    history_ : dict
        Per-epoch values of the loss and metrics.
    n_features_in_ : int
        Number of features seen at fit.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Column names of a DataFrame X.
    target_type_ : str
        scikeras's target type ("binary", "multiclass", "multiclass-onehot",
        "multilabel-indicator", "continuous", ...).
    X_shape_ : tuple of int
        Shape of X at fit (scikeras's metadata, like ``X_dtype_`` and
        ``y_dtype_``).
    target_encoder_ : transformer
        The fitted ``target_encoder``.
    feature_encoder_ : transformer
        The fitted ``feature_encoder``.""",
}

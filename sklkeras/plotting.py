"""Learning curves of a fitted estimator, drawn with matplotlib."""

from __future__ import annotations

from sklearn.utils.validation import check_is_fitted


def plot_history(estimator, metrics=None, *, ax=None):
    """Draw loss and metrics per epoch, training and validation, from ``history_``.

    Parameters
    ----------
    estimator : fitted sklkeras estimator
        Anything with a ``history_`` dict (a Pipeline's last step too).
    metrics : str, list of str or None, default=None
        Names to draw, as keys of ``history_`` (``"loss"``, ``"accuracy"`` for
        every classifier, or the names given in ``metrics=``);
        None draws every training series. Each validation series
        (``val_<name>``) is drawn next to its training one, dashed.
    ax : matplotlib Axes or None, default=None
        Where to draw; a new figure when None.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")  # no display needed
    >>> from sklearn.datasets import load_iris
    >>> from sklkeras import MLPClassifier, plot_history
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MLPClassifier(epochs=5, early_stopping=True, random_state=0).fit(X, y)
    >>> ax = plot_history(clf, "loss")
    >>> [line.get_label() for line in ax.get_lines()]
    ['loss', 'val_loss']
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "plot_history needs matplotlib: pip install 'sklkeras[plot]'."
        ) from None
    if hasattr(estimator, "steps"):  # a Pipeline: its final estimator
        estimator = estimator.steps[-1][1]
    check_is_fitted(estimator, "history_")
    history = estimator.history_
    if metrics is None:
        names = [
            k for k in history if not k.startswith("val_") and k != "learning_rate"
        ]
    else:
        names = [metrics] if isinstance(metrics, str) else list(metrics)
    unknown = [n for n in names if n not in history]
    if unknown:
        raise ValueError(
            f"history_ has no {unknown}; recorded series: {sorted(history)}."
        )
    if ax is None:
        _, ax = plt.subplots()
    for name in names:
        epochs = range(1, len(history[name]) + 1)
        (line,) = ax.plot(epochs, history[name], label=name)
        if f"val_{name}" in history:
            ax.plot(
                epochs,
                history[f"val_{name}"],
                linestyle="--",
                color=line.get_color(),
                label=f"val_{name}",
            )
    ax.set_xlabel("epoch")
    ax.set_title(f"{type(estimator).__name__} training history")
    ax.legend()
    return ax

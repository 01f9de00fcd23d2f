"""``solver="lbfgs"``: full-batch L-BFGS over a Keras network, through scipy.

As scikit-learn's ``_fit_lbfgs``: the network's weights are flattened into one
vector (every kernel, then every bias, scikit-learn's packing order), and
``scipy.optimize.minimize(method="L-BFGS-B", jac=True)`` minimises the full-batch
loss (the compiled loss plus the L2 penalty) with ``maxiter=max_iter``,
``maxfun=max_fun`` and ``gtol=tol``. Loss and gradient come from one compiled
TensorFlow function; scipy works in float64. ``LBFGSSolver`` is the solver
object the estimator asks at a fit with ``solver="lbfgs"``.
"""

from __future__ import annotations

import keras
import numpy as np
import scipy.optimize
import scipy.sparse as sp

from .._engine import warn_not_converged
from ._solver import MLPSolver

# Settings a full-batch L-BFGS cannot honour.
_NOT_WITH_LBFGS = (
    "optimizer",
    "callbacks",
    "checkpoint_dir",
    "learning_rate_schedule",
    "distribution",
    "kernel_constraint",
)


def packed_variables(model) -> list:
    """The trainable weights in scikit-learn's order: all kernels, then all biases."""
    variables = list(model.trainable_variables)
    kernels = [v for v in variables if v.path.endswith("kernel")]
    others = [v for v in variables if not v.path.endswith("kernel")]
    return kernels + others


class LbfgsProblem:
    """Loss and gradient of ``model`` on ``(X, y)`` as a function of one vector."""

    def __init__(self, model, X, y, sample_weight=None):
        import tensorflow as tf

        self.model = model
        self.variables = packed_variables(model)
        self.sizes = [int(np.prod(v.shape)) for v in self.variables]
        self.dtype = self.variables[0].dtype
        X = X.toarray() if sp.issparse(X) else X  # full batch: dense once
        self.X = tf.constant(X)
        self.y = tf.constant(y)
        self.sample_weight = (
            None if sample_weight is None else tf.constant(sample_weight)
        )
        model._symbolic_build(data_batch=(X[:1], y[:1]))
        self._function = tf.function(self._value_and_grad, autograph=False)

    def _value_and_grad(self, theta, X, y, sample_weight):
        import tensorflow as tf

        pieces = tf.split(tf.cast(theta, self.dtype), self.sizes)
        for variable, piece in zip(self.variables, pieces, strict=True):
            variable.assign(tf.reshape(piece, variable.shape))
        with tf.GradientTape() as tape:
            y_pred = self.model(X, training=True)
            loss = self.model.compute_loss(
                x=X, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True
            )
        grads = tape.gradient(loss, self.variables)
        flat = tf.concat([tf.reshape(g, [-1]) for g in grads], axis=0)
        return tf.cast(loss, tf.float64), tf.cast(flat, tf.float64)

    def pack(self) -> np.ndarray:
        return np.concatenate(
            [np.asarray(v.numpy(), dtype=np.float64).ravel() for v in self.variables]
        )

    def __call__(self, theta):
        loss, grad = self._function(
            np.asarray(theta, dtype=np.float64), self.X, self.y, self.sample_weight
        )
        return float(loss), grad.numpy()

    def assign(self, theta) -> None:
        import tensorflow as tf

        pieces = np.split(np.asarray(theta), np.cumsum(self.sizes)[:-1])
        for variable, piece in zip(self.variables, pieces, strict=True):
            variable.assign(tf.cast(piece.reshape(variable.shape), self.dtype))


def fit_lbfgs(
    model, X, y, sample_weight, *, max_iter, max_fun, tol, verbose, tasks=None
):
    """Minimise the full-batch loss; returns (n_iter, final loss, loss per iteration).

    Warns with ``ConvergenceWarning`` when scipy stops for another reason than
    convergence (``max_iter`` or ``max_fun`` reached, a failed line search).
    ``tasks`` (the fit's ``EpochTasks``, or None) has one task per iteration, with
    the network holding the iteration's weights; one whose hook returns True stops
    the optimisation there (no warning then).
    """
    problem = LbfgsProblem(model, X, y, sample_weight)
    losses = []
    stopped = []

    def record(intermediate_result):
        losses.append(float(intermediate_result.fun))
        if verbose:
            print(f"Iteration {len(losses)}, loss = {losses[-1]:.8f}")
        if tasks is not None:
            problem.assign(intermediate_result.x)
            tasks.begin()
            if tasks.end():
                stopped.append(len(losses))
                raise StopIteration

    result = scipy.optimize.minimize(
        problem,
        problem.pack(),
        method="L-BFGS-B",
        jac=True,
        callback=record,
        options={"maxfun": max_fun, "maxiter": max_iter, "gtol": tol},
    )
    problem.assign(result.x)
    n_iter = min(int(result.nit), max_iter)
    if stopped:
        n_iter = stopped[0]
    elif result.status != 0:
        message = result.message
        if isinstance(message, bytes):
            message = message.decode("latin1")
        warn_not_converged(
            f"lbfgs failed to converge after {n_iter} iteration(s) (status="
            f"{result.status}): {message}. Increase the number of iterations "
            f"(max_iter={max_iter}) or of function evaluations (max_fun={max_fun}), "
            "or scale the data (e.g. with StandardScaler)."
        )
    return n_iter, float(result.fun), losses


class LBFGSSolver(MLPSolver):
    """Full-batch L-BFGS: one scipy minimisation instead of the engine's epochs.

    No partial_fit, no solver callbacks; its budget is the same ``max_iter`` /
    ``epochs`` (iterations), its batch every row, and it warns on its own when
    scipy stops short (``fit_lbfgs``).
    """

    @staticmethod
    def partial_fit_available() -> bool:
        raise AttributeError(
            "partial_fit is only available for stochastic optimizers. lbfgs is not "
            "stochastic."
        )

    def check(self, est) -> None:
        if keras.backend.backend() != "tensorflow":
            raise ValueError(
                "solver='lbfgs' computes its gradients with TensorFlow; the Keras "
                f"backend is {keras.backend.backend()!r}. Use solver='adam' or "
                "'sgd' there."
            )
        bad = [name for name in _NOT_WITH_LBFGS if getattr(est, name) is not None]
        if np.any(np.asarray(est.dropout, dtype=float) > 0) or est.input_dropout:
            bad.append("dropout / input_dropout")
        if bad:
            raise ValueError(
                f"solver='lbfgs' minimises the full-batch loss with scipy and cannot "
                f"use {', '.join(bad)}; use solver='adam' or 'sgd' for these."
            )
        super().check(est)

    def batch_size(self, est, n_samples: int) -> int:
        return n_samples

    def optimise(self, est, X, y_enc, sample_weight, y_raw, **run) -> None:
        n_iter, loss, losses = fit_lbfgs(
            est.model_,
            X,
            y_enc,
            sample_weight,
            max_iter=run["epochs"],
            max_fun=est.max_fun,
            tol=est.tol,
            verbose=est.verbose,
            tasks=None if run["partial"] else est._epoch_tasks(),
        )
        est.history_.setdefault("loss", []).extend(losses)
        est._set_training_attributes()
        est.n_iter_, est.loss_ = n_iter, loss

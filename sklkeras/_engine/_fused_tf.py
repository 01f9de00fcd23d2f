"""Many dense networks trained as one on the TensorFlow backend: stacked weights.

Keras's TensorFlow optimizers have no stateless form, so the JAX way (``vmap`` over
``train_step``, ``_fused.py``) does not carry over. Here the K networks of a group
become one set of stacked variables: every ``Dense`` kernel ``(in, out)`` becomes
``(K, in, out)``, applied with one ``einsum`` per layer, and one optimizer of the
networks' class and settings (a copy; Keras's own update code) updates them. The
optimizers sklkeras uses (Adam, SGD, RMSprop, ...) update each element from its own
gradient and state, and the summed loss gives each slice exactly its network's
gradient, so each slice trains as its network would alone, up to float rounding.
An epoch is one XLA-compiled ``tf.while_loop``.

Each network keeps its own learning rate: the stacked optimizer's update step
takes a ``(K, 1, ...)`` rate (``per_network_rates``), read from each network's
optimizer at the start of every epoch, so a grid over learning rates is one
group. Only what this reproduces is fused (``_fused_tf_key.py``): Keras ``Dense``
and ``Activation`` layers (no dropout, constraints or bias/activity penalties),
no compiled metrics other than per-sample means, no validation data, the same number of steps per epoch, and
callbacks that only read logs and weights (the divergence check, the stopping
rule without restored weights). Anything else trains alone. A network that stops
keeps the weights and optimizer state of the epoch it stopped at.
"""

from __future__ import annotations

import dataclasses

import keras
import numpy as np

from ._epochs import (
    callback_list,
    epoch_order,
    stack_padded,
)
from ._fused_tf_key import dense_layers, mean_metrics
from ._tf_loop import (
    gradient_names,
    unregister_gradients,
)


def fit_fused_tf(requests) -> list:
    """Train the networks of ``requests`` (one ``tf_group_key``) together; return
    each one's History or exception."""
    return _StackedGroup(requests).train()


@dataclasses.dataclass
class _Run:
    """One network's run in a stacked group."""

    cbks: object
    rng: np.random.Generator
    epoch: int = 0
    error: BaseException | None = None
    done: bool = False
    logs: dict = dataclasses.field(default_factory=dict)
    weights: list | None = None
    opt: list | None = None


class _StackedGroup:
    """K dense networks of one ``tf_group_key`` as stacked variables, one
    XLA-compiled epoch for all of them, and each network's callbacks around it."""

    def __init__(self, requests):
        import tensorflow as tf

        self.requests = requests
        self.models = models = [r.model for r in requests]
        for r in requests:
            _build_optimizer(r)
        ref = models[0]
        self.dt = dt = ref.trainable_variables[0].dtype  # float32, or float64 data
        self.K, self.bs = len(models), requests[0].batch_size
        self.ns = [r.n_samples for r in requests]
        n_max = max(self.ns)
        self.steps = -(-min(self.ns) // self.bs)
        self.layers = dense_layers(ref)
        self.X = tf.constant(stack_padded([r.arrays[0] for r in requests], n_max))
        self.Y = tf.constant(stack_padded([r.arrays[1] for r in requests], n_max))
        self.SW = tf.constant(
            stack_padded([r.arrays[2] for r in requests], n_max, dt)
            if requests[0].weighted
            else np.ones((self.K, n_max), dt)
        )
        # Stacked variables in ref.trainable_variables order (kernel, bias per layer).
        self.stacked = [
            keras.Variable(
                np.stack([np.asarray(m.trainable_variables[i]) for m in models])
            )
            for i in range(len(ref.trainable_variables))
        ]
        self.factors = self._penalty_factors()
        self.optimizer = ref.optimizer.__class__.from_config(ref.optimizer.get_config())
        self.optimizer.build(self.stacked)
        self.rates = per_network_rates(self.optimizer, self.K, self.dt)
        self.loss_obj = keras.losses.get(ref.loss)
        self.metrics = mean_metrics(ref)
        position = {id(v): i for i, v in enumerate(ref.trainable_variables)}
        self.slots = [
            (position[id(layer.kernel)], position.get(id(layer.bias)))
            for layer in self.layers
        ]
        self.epoch = self._compiled_epoch()

    def _penalty_factors(self) -> list:
        """Each layer's L2 factor, one per network (0 where it has none)."""
        import tensorflow as tf

        per_model = [dense_layers(m) for m in self.models]
        factors = []
        for j, layer in enumerate(self.layers):
            reg = layer.kernel_regularizer
            values = [
                float(ls[j].kernel_regularizer.l2) if reg is not None else 0.0
                for ls in per_model
            ]
            factors.append(tf.constant(values, self.dt))
        return factors

    def _forward(self, x):
        import tensorflow as tf

        for layer, (ki, bi) in zip(self.layers, self.slots, strict=True):
            x = tf.einsum("kbi,kio->kbo", x, self.stacked[ki].value)
            if bi is not None:
                x = x + self.stacked[bi].value[:, None, :]
            x = layer.activation(x)
        return x

    def _losses(self, yb, pred, wb, count):
        """Each network's batch loss: its weighted data loss plus its penalty."""
        import tensorflow as tf

        dt = self.dt
        per = self.loss_obj.call(yb, pred)
        per = tf.reshape(tf.cast(per, dt), (self.K, tf.shape(per)[1], -1))
        data = tf.reduce_sum(per * wb[:, :, None], axis=[1, 2])
        losses = data / (count * tf.cast(tf.shape(per)[2], dt))
        for (ki, _), f in zip(self.slots, self.factors, strict=True):
            w = self.stacked[ki].value
            losses = losses + f * tf.reduce_sum(tf.square(w), axis=[1, 2])
        return losses

    def _compiled_epoch(self):
        import tensorflow as tf

        X, Y, SW, K, dt = self.X, self.Y, self.SW, self.K, self.dt
        stacked, metrics, steps = self.stacked, self.metrics, self.steps

        @tf.function(jit_compile=True, autograph=False)
        def epoch(idx, mask, counts):
            def body(s, total, sums, weights):
                xb = tf.gather(X, idx[s], batch_dims=1)
                yb = tf.gather(Y, idx[s], batch_dims=1)
                wb = tf.gather(SW, idx[s], batch_dims=1) * mask[s]
                with tf.GradientTape() as tape:
                    pred = self._forward(xb)
                    losses = self._losses(yb, pred, wb, counts[s])
                    objective = tf.reduce_sum(losses)
                grads = tape.gradient(objective, [v.value for v in stacked])
                self.optimizer.apply(grads, stacked)
                # Keras's accuracy-like metrics: weighted per-sample means
                values = [
                    tf.reshape(tf.cast(m._fn(yb, pred, **m._fn_kwargs), dt), (K, -1))
                    for m in metrics
                ]
                if values:
                    sums = sums + tf.stack(
                        [tf.reduce_sum(v * wb, axis=1) for v in values]
                    )
                weights = weights + tf.reduce_sum(wb, axis=1)
                return s + 1, total + losses * counts[s], sums, weights

            start = (
                tf.constant(0),
                tf.zeros(K, dt),
                tf.zeros((len(metrics), K), dt),
                tf.zeros(K, dt),
            )
            _, total, sums, weights = tf.while_loop(
                lambda s, *_: s < steps, body, start
            )
            return total, sums / weights

        return epoch

    def _begin(self) -> list:
        runs = []
        for r, m in zip(self.requests, self.models, strict=True):
            cbks = callback_list(m, r.callbacks, epochs=r.epochs, steps=self.steps)
            m.stop_training = False
            cbks.on_train_begin()
            runs.append(_Run(cbks=cbks, rng=np.random.default_rng(r.seed)))
        return runs

    def _batches(self, runs):
        """The epoch's row indices, masks and batch sizes, per step and network."""
        steps, K, bs = self.steps, self.K, self.bs
        idx = np.zeros((steps, K, bs), np.int32)
        mask = np.zeros((steps, K, bs), self.dt)
        counts = np.ones((steps, K), self.dt)
        for k, (r, run) in enumerate(zip(self.requests, runs, strict=True)):
            if run.done:
                continue
            run.cbks.on_epoch_begin(run.epoch)
            order = epoch_order(run.rng, self.ns[k], r.seed, run.epoch, r.shuffle)
            for s in range(steps):
                rows = order[s * bs : (s + 1) * bs]
                idx[s, k, : len(rows)], mask[s, k, : len(rows)] = rows, 1.0
                counts[s, k] = len(rows)
        return idx, mask, counts

    def _end_epoch(self, runs, total, means) -> None:
        """Each network's logs and callbacks for the epoch just trained."""
        weights = [np.asarray(v) for v in self.stacked]
        for k, (r, run, m) in enumerate(
            zip(self.requests, runs, self.models, strict=True)
        ):
            if run.done:
                continue
            logs = {"loss": float(total[k] / self.ns[k])}
            logs.update(
                {
                    metric.name: float(means[j, k])
                    for j, metric in enumerate(self.metrics)
                }
            )
            mine = [w[k] for w in weights]
            m.get_weights = lambda w=mine, m=m: _in_weight_order(m, w)
            try:
                run.cbks.on_train_batch_end(self.steps - 1, logs)
                run.cbks.on_epoch_end(run.epoch, logs)
            except Exception as exc:  # this network failed; the others go on
                run.error = exc
            run.epoch += 1
            run.logs, run.weights = logs, mine
            if run.error or m.stop_training or run.epoch >= r.epochs:
                run.done = True
                # the rate stays the network's own, not the stacked optimizer's
                run.opt = [
                    None if v is self.optimizer._learning_rate else np.asarray(v)
                    for v in self.optimizer.variables
                ]

    def train(self) -> list:
        import tensorflow as tf

        runs = self._begin()
        before = gradient_names()
        try:
            while not all(run.done for run in runs):
                idx, mask, counts = self._batches(runs)
                # after on_epoch_begin: a callback may have set a network's rate
                self.rates.assign(
                    [float(m.optimizer.learning_rate) for m in self.models]
                )
                total, means = self.epoch(
                    tf.constant(idx), tf.constant(mask), tf.constant(counts)
                )
                self._end_epoch(runs, total.numpy(), means.numpy())
        finally:
            for m in self.models:
                m.__dict__.pop("get_weights", None)
            # the traces' gradient functions go with this group (see _tf_loop.py)
            unregister_gradients(gradient_names() - before)
        return [
            _finish(m, run, k, self.K)
            for k, (m, run) in enumerate(zip(self.models, runs, strict=True))
        ]


def _build_optimizer(request) -> None:
    """What the group needs of each network before training: its optimizer's
    variables (the state ``_finish`` writes back). A built network skips Keras's
    ``_symbolic_build`` (a symbolic trace of the loss and metrics, ~90 ms a
    network), which its next ``fit`` or ``evaluate`` still does for itself."""
    model = request.model
    if not model.built:
        model._symbolic_build(
            data_batch=tuple(a[: request.batch_size] for a in request.arrays)
        )
    elif not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)


def per_network_rates(optimizer, K, dtype):
    """Give ``optimizer`` (of K stacked networks) one learning rate per network.

    Keras's optimizers compute each variable's update elementwise from the rate
    their ``update_step`` receives; handed a ``(K, 1, ...)`` tensor instead of the
    scalar, network k's slice moves with rate k. Returns the ``(K,)`` variable to
    assign the rates to.
    """
    import tensorflow as tf

    rates = tf.Variable(np.zeros(K, dtype), trainable=False)
    update_step = optimizer.update_step

    def per_network(gradient, variable, learning_rate):
        shape = [K] + [1] * (len(variable.shape) - 1)
        rate = tf.cast(tf.reshape(rates, shape), variable.dtype)
        return update_step(gradient, variable, rate)

    optimizer.update_step = per_network
    return rates


def _in_weight_order(model, trainable_values) -> list:
    position = {id(v): i for i, v in enumerate(model.trainable_variables)}
    return [trainable_values[position[id(v)]] for v in model.weights]


def _finish(model, run, k, K):
    if run.error is not None:
        return run.error
    for variable, value in zip(model.trainable_variables, run.weights, strict=True):
        variable.assign(value)
    for variable, value in zip(model.optimizer.variables, run.opt, strict=True):
        if value is None:
            continue
        variable.assign(
            value[k]
            if value.ndim and value.shape[0] == K and value.ndim > len(variable.shape)
            else value
        )
    try:
        model.optimizer.finalize_variable_values(model.trainable_weights)
        run.cbks.on_train_end(run.logs)
    except Exception as exc:
        return exc
    return model.history

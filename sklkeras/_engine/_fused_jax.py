"""Many networks trained as one compiled program on the JAX backend.

Networks of the same shape and batch size (the folds of a cross-validation, the
candidates of a search) train together: their variables are stacked along a new
leading axis and one ``jax.jit`` of ``jax.vmap`` over a ``lax.scan`` runs an epoch of
all of them, each step being the networks' own stateless ``train_step`` (forward
pass, compiled loss with regularisation and sample weights, gradient,
``optimizer.stateless_apply``, metrics). On small networks the cost of training is
the per-step dispatch, not the arithmetic, so K networks cost about one.

What may differ between the networks of one group, and how:

- data and row order: each network has its own training rows (padded to the
  longest), its own per-epoch permutation and so its own batches; a network with
  fewer full batches masks the extra steps out, and the last, shorter batch of
  each size gets one more masked step;
- learning rates and seeds: they are state (the optimizer's ``learning_rate``
  variable, the dropout seed generators), stacked like the weights;
- L2 penalties: the factor of every ``L2`` / ``ExactL2`` kernel regularizer is an
  argument of the compiled step, one per network;
- epochs and stopping: a network that stopped, or ran its epochs, is masked out
  and stops changing.

Everything else (layers, activations, dropout rates, optimizer settings other
than the rate, loss, metrics, batch size, dtypes) must be equal: ``group_key``
says so (``_fused_keys.py``). Around each epoch the loop is the single-network loop's
(``_jax_loop.py``): every network's callbacks see its epoch logs, its weights
(``get_weights``) and may change its learning rate or stop it; validation data is
scored after each epoch as ``Model.fit`` does.

jax is imported lazily: nothing here runs on other backends.
"""

from __future__ import annotations

import threading

import keras
import numpy as np

from .._utils import ExactL2, use_jax_compilation_cache
from ._epochs import (
    callback_list,
    epoch_order,
    stack_padded,
)
from ._jax_loop import (
    COMPILER_OPTIONS,
    assign_state,
    read_state,
)


def _regularizers(model) -> list:
    """The L2 kernel regularizers whose factor becomes an argument of the step."""
    found = []
    for layer in model._flatten_layers(include_self=False):
        reg = getattr(layer, "kernel_regularizer", None)
        if isinstance(reg, ExactL2 | keras.regularizers.L2):
            found.append(reg)
    return found


class _Member:
    """One network of a fused group and its run (callbacks, order, logs)."""

    def __init__(self, request):
        self.request = request
        self.model = request.model
        arrays = request.arrays
        self.n = arrays[0].shape[0]
        self.batch_size = request.batch_size
        self.n_full, self.rest = divmod(self.n, self.batch_size)
        seed = request.seed
        self.rng = np.random.default_rng(seed)
        self.epochs = request.epochs
        self.epoch = request.initial_epoch
        self.error = None
        self.stopped = False
        model = self.model
        model._symbolic_build(data_batch=tuple(a[: self.batch_size] for a in arrays))
        steps = self.n_full + (self.rest > 0)
        self.callbacks = callback_list(
            model, request.callbacks, epochs=self.epochs, steps=steps
        )
        self.logs = {}

    @property
    def active(self) -> bool:
        return self.error is None and not self.stopped and self.epoch < self.epochs

    def order(self, epoch) -> np.ndarray:
        request = self.request
        return epoch_order(
            self.rng, self.n, request.seed, epoch, request.shuffle
        ).astype(np.int32)


class _Functions:
    """The compiled, vectorised epoch of a group: one call per epoch.

    ``epoch`` runs, for every network at once, the scan over full batches, one
    step for each size of last batch (``rest_sizes``, static) and the validation
    for each size of validation set (``val_sizes``, static); it returns the new
    state and, packed into one array each, the epoch logs, the validation logs and
    the weights (what ``get_weights`` returns), so that one transfer per epoch
    brings back all that the callbacks read.

    Tracing sets the reference network's penalty factors and records the log
    names, so calls go through ``lock``: fits running in threads (Dask's threaded
    workers, joblib's threading backend) share one entry of the cache.
    """

    def __init__(self, ref):
        import jax
        import jax.numpy as jnp

        self.lock = threading.Lock()

        regs = _regularizers(ref)
        variables = ref.trainable_variables + ref.non_trainable_variables
        position = {id(v): i for i, v in enumerate(variables)}
        self.weight_positions = [position[id(v)] for v in ref.weights]
        self.weight_shapes = [tuple(v.shape) for v in ref.weights]
        self.weight_dtypes = [np.dtype(v.dtype) for v in ref.weights]
        pack_dtype = np.result_type(*self.weight_dtypes) if ref.weights else "float32"
        self.names = None  # log names, in packing order (set at the first trace)
        ref.reset_metrics()  # each epoch starts from the metrics' reset values
        metrics0 = [jnp.asarray(v.value) for v in ref.metrics_variables]

        epoch = self._vectorised_epoch(ref, regs, metrics0, pack_dtype)
        use_jax_compilation_cache()
        self.epoch = jax.jit(epoch, compiler_options=COMPILER_OPTIONS)

    def _vectorised_epoch(self, ref, regs, metrics0, pack_dtype):
        """The epoch of one network (``one``), vectorised over the group."""
        import jax
        import jax.numpy as jnp

        def with_factors(factors, fn):
            saved = [r.l2 for r in regs]
            for r, f in zip(regs, factors, strict=True):
                r.l2 = f
            try:
                return fn()
            finally:
                for r, f in zip(regs, saved, strict=True):
                    r.l2 = f

        def pick(take, new, old):
            return jax.tree_util.tree_map(lambda a, b: jnp.where(take, a, b), new, old)

        def pack(logs):
            if self.names is None:
                self.names = sorted(logs)
            return jnp.stack([jnp.asarray(logs[n], jnp.float32) for n in self.names])

        def step(state, factors, tensors, idx):
            batch = tuple(t[idx] for t in tensors)
            return with_factors(factors, lambda: ref.train_step(state, batch))

        def one(state, factors, tensors, batches, valid, active, rests, takes, vals):
            state = (state[0], state[1], state[2], metrics0)
            shapes = jax.eval_shape(step, state, factors, tensors, batches[0])[0]
            logs0 = jax.tree_util.tree_map(
                lambda a: jnp.zeros(a.shape, a.dtype), shapes
            )

            def body(carry, inputs):
                st, logs = carry
                idx, ok = inputs
                new_logs, new_st = step(st, factors, tensors, idx)
                take = ok & active
                return (pick(take, new_st, st), pick(take, new_logs, logs)), None

            (state, logs), _ = jax.lax.scan(body, (state, logs0), (batches, valid))
            for idx, take in zip(rests, takes, strict=True):
                new_logs, new_st = step(state, factors, tensors, idx)
                state = pick(take & active, new_st, state)
                logs = pick(take & active, new_logs, logs)
            trainable, non_trainable = state[0], state[1]
            val_logs = []
            for val in vals:
                out, _ = with_factors(
                    factors,
                    lambda val=val: ref.test_step(
                        (trainable, non_trainable, metrics0), val
                    ),
                )
                val_logs.append(pack(out))
            flat = trainable + non_trainable
            weights = [
                flat[i].ravel().astype(pack_dtype) for i in self.weight_positions
            ]
            packed_weights = jnp.concatenate(weights) if weights else jnp.zeros(0)
            return state, pack(logs), val_logs, packed_weights

        def epoch(state, factors, tensors, batches, valid, active, rests, takes, vals):
            return jax.vmap(one)(
                state, factors, tensors, batches, valid, active, rests, takes, vals
            )

        return epoch

    def unpack_weights(self, flat) -> list:
        out, start = [], 0
        for shape, dtype in zip(self.weight_shapes, self.weight_dtypes, strict=True):
            size = int(np.prod(shape))
            out.append(flat[start : start + size].reshape(shape).astype(dtype))
            start += size
        return out


# group key -> _Functions: later fits of the same shape reuse the compiled epoch
# (a compilation costs about a second; a grid search's groups repeat across calls).
_CACHE: dict = {}
_CACHE_SIZE = 8
_CACHE_LOCK = threading.Lock()


def _functions(key, ref) -> _Functions:
    with _CACHE_LOCK:
        fns = _CACHE.pop(key, None) or _Functions(ref)
        _CACHE[key] = fns  # most recent last
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
    return fns


def _stacked_val(requests, validating):
    """Validation data of each network, as one padded tensor per distinct size."""
    import jax.numpy as jnp

    if not validating:
        return [], []
    sizes = sorted({len(r.val_arrays[0]) for r in requests})
    vals = []
    for size in sizes:
        parts = []
        for i in range(len(requests[0].val_arrays)):
            rows = [r.val_arrays[i][:size] for r in requests]
            parts.append(jnp.asarray(stack_padded(rows, size)))
        vals.append(tuple(parts))
    return sizes, vals


def _stacked_state(members, ref):
    """The members' states stacked on a new first axis (on the host: eager jnp
    ops would each compile once per shape), and where the learning rate sits in
    the optimizer's variables."""
    import jax

    states = [read_state(m.model) for m in members]
    state = jax.tree_util.tree_map(
        lambda *xs: np.stack([np.asarray(x) for x in xs]), *states
    )
    lr_index = next(
        i
        for i, v in enumerate(ref.optimizer.variables)
        if v is ref.optimizer._learning_rate
    )
    return state, lr_index


def _penalty_factors(members, ref):
    """One array per L2 regularizer of the structure: each network's factor."""
    import jax.numpy as jnp

    regs = [_regularizers(m.model) for m in members]
    dtype = ref.trainable_variables[0].dtype
    return [
        jnp.asarray(np.array([float(rs[i].l2) for rs in regs], dtype=dtype))
        for i in range(len(regs[0]))
    ]


def _epoch_inputs(members, n_steps, bs, rest_sizes):
    """Each active member's batches of this epoch (its callbacks told the epoch
    began): full batches with their validity, and each size of last batch."""
    K = len(members)
    batches = np.zeros((K, n_steps, bs), np.int32)
    valid = np.zeros((K, n_steps), bool)
    rests = [np.zeros((K, size), np.int32) for size in rest_sizes]
    takes = [np.zeros(K, bool) for _ in rest_sizes]
    for k, m in enumerate(members):
        if not m.active:
            continue
        m.callbacks.on_epoch_begin(m.epoch)
        m.callbacks.on_train_batch_begin(0)
        order = m.order(m.epoch)
        batches[k, : m.n_full] = order[: m.n_full * bs].reshape(m.n_full, bs)
        valid[k, : m.n_full] = True
        if m.rest:
            j = rest_sizes.index(m.rest)
            rests[j][k], takes[j][k] = order[m.n_full * bs :], True
    return batches, valid, rests, takes


def _end_epoch(members, active, fns, out, val_sizes, patched) -> list:
    """Hand each active member its epoch logs and weights, run its callbacks;
    return every member's learning rate for the next epoch."""
    logs, val_logs, weights = out
    rates = []
    for k, m in enumerate(members):
        if active[k]:
            epoch_logs = dict(zip(fns.names, logs[k].tolist(), strict=True))
            if val_sizes:
                row = val_logs[val_sizes.index(len(m.request.val_arrays[0]))]
                names = [f"val_{n}" for n in fns.names]
                epoch_logs.update(zip(names, row[k].tolist(), strict=True))
            patched.add(k)
            m.model.get_weights = lambda w=weights[k]: fns.unpack_weights(w)
            try:
                m.callbacks.on_train_batch_end(0, epoch_logs)
                m.callbacks.on_epoch_end(m.epoch, epoch_logs)
            except Exception as exc:  # this network failed; the others go on
                m.error = exc
            m.logs = epoch_logs
            m.epoch += 1
            if m.model.stop_training:
                m.stopped = True
        rates.append(float(m.model.optimizer._learning_rate.value))
    return rates


def fit_fused(requests, key) -> list:
    """Train the networks of ``requests`` (``TrainingRequest`` s, all with group
    key ``key``) together; return each one's History or exception."""
    import jax
    import jax.numpy as jnp

    members = [_Member(r) for r in requests]
    ref = members[0].model
    bs = members[0].batch_size
    n_max = max(m.n for m in members)
    tensors = tuple(
        jnp.asarray(stack_padded([r.arrays[i] for r in requests], n_max))
        for i in range(len(requests[0].arrays))
    )
    val_sizes, vals = _stacked_val(requests, requests[0].validating)
    fns = _functions(key, ref)
    factors = _penalty_factors(members, ref)
    for m in members:
        m.model.reset_metrics()
        m.model.stop_training = False
        m.callbacks.on_train_begin()
    state, lr_index = _stacked_state(members, ref)
    n_steps = max(m.n_full for m in members)
    rest_sizes = sorted({m.rest for m in members if m.rest})
    patched = set()  # networks whose get_weights reads the epoch's host copy
    try:
        while any(m.active for m in members):
            active = np.array([m.active for m in members])
            inputs = _epoch_inputs(members, n_steps, bs, rest_sizes)
            with fns.lock:
                state, *out = fns.epoch(
                    state, factors, tensors, *inputs[:2], active, *inputs[2:], vals
                )
            out = jax.device_get(out)
            rates = _end_epoch(members, active, fns, out, val_sizes, patched)
            opt = list(state[2])
            opt[lr_index] = np.asarray(rates, dtype=opt[lr_index].dtype)
            state = (state[0], state[1], opt, state[3])
    finally:
        for k in patched:
            members[k].model.__dict__.pop("get_weights", None)
    state = jax.device_get(state)  # sliced per network on the host below
    return [_finish(m, state, k) for k, m in enumerate(members)]


def _finish(member, state, k):
    """Write network ``k``'s final state into its model and end its run."""
    if member.error is not None:
        return member.error
    model = member.model
    assign_state(model, [[value[k] for value in group] for group in state])
    try:
        if member.epochs > 0:
            model.optimizer.finalize_variable_values(model.trainable_weights)
        member.callbacks.on_train_end(member.logs)
    except Exception as exc:
        return exc
    return model.history

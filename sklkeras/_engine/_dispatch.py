"""The engine: which trainer trains a request, in one table.

``TRAINERS`` lists the single-network trainers in the order they are tried; the
first whose ``accepts`` is true trains the request. Each one reproduces
``Model.fit`` (same batches, losses, callbacks and History) for what it accepts:

=================  =========================================================
trainer            takes
=================  =========================================================
tf-epoch-loop      TensorFlow, no strategy, not ``run_eagerly``: a whole epoch
                   as one compiled ``tf.while_loop`` (``_tf_loop.py``); sparse
                   X stays sparse
jax-fused-one      JAX with validation data: the fused trainer with one
                   network, so that a standalone fit with validation equals
                   its fused twin in a search (``_fused_jax.py``)
jax-epoch-loop     JAX, no validation data, one input and one output,
                   jit-compilable: one jitted ``lax.scan`` per epoch
                   (``_jax_loop.py``)
keras-fit          everything else (strategies, ``run_eagerly``, multi-input
                   networks, other backends): Keras's own ``Model.fit``
=================  =========================================================

``FUSING`` holds the trainers that train many networks as one program, one per
backend: ``fused-jax`` (``vmap`` over stacked states) and ``fused-tf`` (stacked
dense weights). ``train_together`` groups requests by their ``group_key`` and
hands each group of two or more to them; the rest train alone.

``Engine`` is what an estimator's ``fit`` calls (``ENGINE``, the process's only
instance of it, holds no state). A fused search gives the fits it runs an engine
of its own (``_session.SessionEngine``), explicitly, on the estimator.
"""

from __future__ import annotations

import keras

from .._utils import random_state_scope
from ._fused_jax import fit_fused
from ._fused_tf import fit_fused_tf
from ._fused_tf_key import tf_group_key
from ._jax_loop import can_use_jax_loop, fit_jax_arrays
from ._keras_fit import fit_keras
from ._keys import group_key
from ._request import Trainer, TrainingRequest
from ._tf_loop import can_use_epoch_loop, fit_epoch_loop


def _backend() -> str:
    return keras.backend.backend()


class TFEpochLoop(Trainer):
    name = "tf-epoch-loop"
    why = "TensorFlow: an epoch as one compiled while loop"
    takes_sparse = True

    def accepts(self, request):
        return not request.distributed and can_use_epoch_loop(request.model)

    def train(self, requests):
        return [fit_epoch_loop(r) for r in requests]


class JAXFusedOne(Trainer):
    name = "jax-fused-one"
    why = "JAX with validation data: as its fused twin trains"
    takes_sparse = False

    def accepts(self, request):
        if not (
            request.validating
            and can_use_jax_loop(request.model, None, request.distributed)
        ):
            return False
        # train uses the key found here instead of computing it again.
        request.group_key = group_key(request.model, request)
        return request.group_key is not None

    def train(self, requests):
        out = []
        for request in requests:
            key = request.group_key or group_key(request.model, request)
            (result,) = fit_fused([request], key)
            if isinstance(result, BaseException):
                raise result
            out.append(result)
        return out


class JAXEpochLoop(Trainer):
    name = "jax-epoch-loop"
    why = "JAX: an epoch as one jitted scan"
    takes_sparse = False

    def accepts(self, request):
        return can_use_jax_loop(request.model, request.val_arrays, request.distributed)

    def train(self, requests):
        return [fit_jax_arrays(r) for r in requests]


class KerasFit(Trainer):
    name = "keras-fit"
    why = "anything else: Keras's Model.fit"
    takes_sparse = False

    def accepts(self, request):
        return True

    def train(self, requests):
        return [fit_keras(r) for r in requests]


class Fusing(Trainer):
    """A trainer of many networks as one program, on one backend."""

    fuses = True

    def __init__(self, name, why, backend, key, train):
        self.name, self.why, self.backend = name, why, backend
        self._key, self._train = key, train

    def accepts(self, request):
        return _backend() == self.backend and self.group_key(request) is not None

    def group_key(self, request):
        return self._key(request.model, request)

    def train(self, requests, key=None):
        """Train ``requests`` as one program; ``key``: their group key, when the
        caller grouped them already (else the first request's)."""
        return self._train(requests, key or self.group_key(requests[0]))


FUSING = {
    "jax": Fusing(
        "fused-jax",
        "JAX: networks of one structure as one vmapped program",
        "jax",
        group_key,
        fit_fused,
    ),
    "tensorflow": Fusing(
        "fused-tf",
        "TensorFlow: dense networks as stacked weights",
        "tensorflow",
        tf_group_key,
        lambda requests, key: fit_fused_tf(requests),
    ),
}
TRAINERS = (TFEpochLoop(), JAXFusedOne(), JAXEpochLoop(), KerasFit())


def trainer_for(request: TrainingRequest) -> Trainer:
    """The first trainer of ``TRAINERS`` that accepts ``request``."""
    dense = None
    for trainer in TRAINERS:
        if not trainer.takes_sparse:
            dense = dense or request.dense()
        if trainer.accepts(request if trainer.takes_sparse else dense):
            return trainer
    raise AssertionError("keras-fit accepts every request")  # pragma: no cover


def train_one(request: TrainingRequest):
    """Train ``request`` with its trainer; return its History (or raise)."""
    trainer = trainer_for(request)
    (history,) = trainer.train([request if trainer.takes_sparse else request.dense()])
    return history


def can_fuse(request: TrainingRequest) -> bool:
    """Whether a fused session should collect ``request``: dense data, and a
    backend loop that reproduces it (else it trains at once, alone)."""
    if request.sparse:
        return False
    if _backend() == "tensorflow":
        return not request.distributed and can_use_epoch_loop(request.model)
    return can_use_jax_loop(request.model, None, request.distributed)


def train_together(requests: list) -> list:
    """Train ``requests``: those of one group key as one program (two or more),
    the others alone, each under its own seed. Returns a History or an exception
    for each, in order."""
    fusing = FUSING.get(_backend())
    groups: dict = {}
    alone = []
    for i, request in enumerate(requests):
        key = fusing.group_key(request) if fusing is not None else None
        (alone if key is None else groups.setdefault(key, [])).append(i)
    for key in [k for k, members in groups.items() if len(members) == 1]:
        alone += groups.pop(key)
    replies = [None] * len(requests)
    for key, members in groups.items():
        results = fusing.train([requests[i] for i in members], key)
        for i, reply in zip(members, results, strict=True):
            replies[i] = reply
    for i in sorted(alone):
        try:
            with random_state_scope(requests[i].seed):
                replies[i] = train_one(requests[i])
        except Exception as exc:
            replies[i] = exc
    return replies


class Engine:
    """What an estimator's ``fit`` hands its request to.

    ``manages_random_state`` tells the fit whether to seed the global generators
    around training itself (False) or whether the engine does (a fused session).
    """

    manages_random_state = False

    def train(self, request: TrainingRequest):
        return train_one(request)


ENGINE = Engine()


def table() -> list:
    """``[(name, why), ...]`` of the single and fusing trainers, for the docs."""
    return [(t.name, t.why) for t in (*TRAINERS, *FUSING.values())]


__all__ = [
    "ENGINE",
    "Engine",
    "FUSING",
    "TRAINERS",
    "can_fuse",
    "table",
    "train_one",
    "train_together",
    "trainer_for",
]

"""What the engine is asked to do: a ``TrainingRequest``, and the ``Trainer``
interface every trainer implements.

An estimator's ``fit`` prepares its network and arrays, then hands one request to
its engine (``_dispatch.Engine``); the fused searches hand many. A trainer says
whether it takes a request (``accepts``) and trains a list of them (``train``),
returning for each the ``keras.callbacks.History`` of its run, as
``Model.fit`` does, or the exception its training raised.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import scipy.sparse as sp


@dataclasses.dataclass
class TrainingRequest:
    """One network to train on in-memory arrays, with ``Model.fit``'s meaning.

    Parameters
    ----------
    model : keras.Model
        The compiled network; trained in place.
    arrays : list
        ``[X, y]`` or ``[X, y, sample_weight]``; X may be a scipy sparse matrix.
    batch_size : int
        Rows per step; the last step of an epoch takes what is left.
    epochs : int
        The epoch to stop at (as ``Model.fit``: counted from zero, not from
        ``initial_epoch``).
    initial_epoch : int
        The epoch to start at (``warm_start``, ``partial_fit``, a resumed run).
    val_arrays : list or None
        Validation ``[X, y(, sample_weight)]``, scored after every epoch.
    callbacks : sequence of keras.callbacks.Callback
        The run's callbacks (stopping rule, checkpoints, the user's).
    verbose : int
        Keras's verbosity: 0 silent, 1 progress bar, 2 one line per epoch.
    seed : int or None
        Seeds each epoch's row order (from ``(seed, epoch)``) and the global
        generators where the trainer reads them.
    shuffle : bool
        False keeps the row order in every epoch (stateful networks).
    distributed : bool
        Whether the network was built under a ``tf.distribute`` strategy.
    group_key : str or None
        Not an input: the fused-program key a trainer found in ``accepts``, kept
        so that its ``train`` does not compute it again. ``dense()`` copies
        start without it.
    """

    model: object
    arrays: list
    batch_size: int
    epochs: int
    initial_epoch: int = 0
    val_arrays: list | None = None
    callbacks: Sequence = ()
    verbose: int = 0
    seed: int | None = None
    shuffle: bool = True
    distributed: bool = False
    group_key: str | None = dataclasses.field(default=None, compare=False, repr=False)

    @property
    def n_samples(self) -> int:
        return self.arrays[0].shape[0]

    @property
    def weighted(self) -> bool:
        return len(self.arrays) == 3

    @property
    def validating(self) -> bool:
        return self.val_arrays is not None

    @property
    def sparse(self) -> bool:
        return any(sp.issparse(a) for a in [*self.arrays, *(self.val_arrays or [])])

    def dense(self) -> TrainingRequest:
        """This request with sparse arrays made dense (for ``Model.fit``)."""
        if not self.sparse:
            return self
        val = None if self.val_arrays is None else [_dense(a) for a in self.val_arrays]
        return dataclasses.replace(
            self,
            arrays=[_dense(a) for a in self.arrays],
            val_arrays=val,
            group_key=None,
        )


def _dense(array):
    return array.toarray() if sp.issparse(array) else array


class Trainer:
    """A way of training networks; the engine's table (``_dispatch.TRAINERS``)
    lists them in the order they are tried.

    Subclasses set ``name`` and ``why`` (one line for the table) and implement
    ``accepts`` and ``train``. A trainer that trains several networks as one
    (``fuses = True``) also implements ``group_key``: requests with equal keys
    may be trained in one call of ``train``.
    """

    name = "trainer"
    why = ""
    fuses = False

    def accepts(self, request: TrainingRequest) -> bool:
        """Whether this trainer reproduces ``Model.fit`` exactly for ``request``."""
        raise NotImplementedError

    def train(self, requests: list) -> list:
        """Train ``requests``; return each one's History, or its exception."""
        raise NotImplementedError

    def group_key(self, request: TrainingRequest):
        """For fusing trainers: a hashable key equal for requests that can train
        together, or None when ``request`` must train alone."""
        return None

    def __repr__(self) -> str:
        return f"<trainer {self.name}>"

"""Process-wide state around a fit: random seeds and TensorFlow's Python log.

Both are scoped: whatever a fit changes is put back when it ends, so nothing leaks
into the user's process or into later fits.
"""

from __future__ import annotations

import logging
import random
import sys
import threading
from contextlib import contextmanager

import numpy as np

# One fit at a time may hold the process's global generators (below).
_GLOBAL_RNG_LOCK = threading.RLock()


@contextmanager
def random_state_scope(seed: int | None):
    """Seed Python's and NumPy's global generators and Keras's for the block, then
    put them back; a no-op for ``seed=None``.

    Only what needs them runs inside: building a network (Keras draws the seed
    of every initializer and dropout layer left unseeded from Python's
    ``random``, as in a user's model function) and the ``Model.fit`` fallbacks
    (on JAX Keras shuffles with ``np.random``). The compiled TensorFlow epoch
    loop shuffles with a generator of its own and draws nothing global.

    The global generators belong to the whole process: the block holds a lock, so
    fits in threads take turns in it and each puts back exactly what it found
    (a save/restore per fit raced: two threads restored each other's seeded
    states). TensorFlow's global seed is not touched at all (it is read by every
    later ``tf.random`` op and ``tf.data`` shuffle of the process), nor is
    TensorFlow's op determinism switched on. Keras's global seed generator is
    per thread (``keras.src.backend.common.global_state`` is thread-local).
    """
    if seed is None:
        yield
        return
    from keras.src.backend.common import global_state  # private; no public getter

    with _GLOBAL_RNG_LOCK:
        py_state = random.getstate()
        np_state = np.random.get_state()
        keras_seed = global_state.get_global_attribute("global_random_seed")
        keras_gen = global_state.get_global_attribute("global_seed_generator")
        random.seed(seed)
        np.random.seed(seed % 2**32)
        global_state.set_global_attribute("global_random_seed", seed)
        global_state.set_global_attribute("global_seed_generator", None)
        try:
            yield
        finally:
            random.setstate(py_state)
            np.random.set_state(np_state)
            global_state.set_global_attribute("global_random_seed", keras_seed)
            global_state.set_global_attribute("global_seed_generator", keras_gen)


@contextmanager
def quiet_tensorflow(verbose):
    """Hold TensorFlow's Python log (retracing warnings) at ERROR while silent.

    The level is restored afterwards, so a user's own logging set-up is untouched.
    """
    if verbose:
        yield
        return
    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def op_determinism_enabled() -> bool:
    """Whether TensorFlow's op determinism is on (``enable_op_determinism``, e.g.
    by a test suite): random ops then refuse to run without a seed, so a fit
    without ``random_state`` draws one from NumPy's global generator, as
    scikit-learn's estimators do. False when TensorFlow is not imported."""
    if "tensorflow" not in sys.modules:
        return False
    # Not exported by tf.config: TensorFlow's own module (2.9 and later).
    from tensorflow.python.framework import config

    return bool(config.is_op_determinism_enabled())

"""Process-wide state around a fit: random seeds and TensorFlow's Python log.

Both are scoped: whatever a fit changes is put back when it ends, so nothing leaks
into the user's process or into later fits.
"""

from __future__ import annotations

import logging
import random
from contextlib import contextmanager

import keras
import numpy as np


@contextmanager
def random_state_scope(seed: int | None):
    """Seed Python, NumPy, TensorFlow and Keras for the block, then restore them.

    TensorFlow's op determinism is never switched on, and the global generators are
    put back as they were, so nothing leaks to later fits.
    """
    if seed is None:
        yield
        return
    from keras.src.backend.common import global_state  # private; no public getter

    py_state = random.getstate()
    np_state = np.random.get_state()
    keras_seed = global_state.get_global_attribute("global_random_seed")
    keras_gen = global_state.get_global_attribute("global_seed_generator")
    tf_seed = _tf_global_seed()
    keras.utils.set_random_seed(seed)
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
        global_state.set_global_attribute("global_random_seed", keras_seed)
        global_state.set_global_attribute("global_seed_generator", keras_gen)
        _set_tf_global_seed(tf_seed)


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


def _tf_global_seed():
    try:
        from tensorflow.python.eager import context
    except ImportError:  # pragma: no cover - TensorFlow is a dependency
        return None
    return context.global_seed()


def _set_tf_global_seed(seed) -> None:
    try:
        import tensorflow as tf
    except ImportError:  # pragma: no cover
        return
    tf.random.set_seed(seed)

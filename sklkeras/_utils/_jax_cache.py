"""JAX's persistent compilation cache, opt in with ``SKLKERAS_JAX_CACHE_DIR``.

Within a process every compiled epoch, step and prediction loop is kept and reused
by later fits and folds of the same network structure and batch size
(``_engine/_jax_loop.py``, ``_engine/_fused_jax.py``). Across processes JAX can
keep the compiled programs on disk; its own setting (``JAX_COMPILATION_CACHE_DIR``)
only stores programs that took over a second to compile, and a small network's
epoch compiles in less. Setting ``SKLKERAS_JAX_CACHE_DIR`` to a folder turns the
cache on for every program sklkeras compiles, whatever its compile time. It is off
by default: the folder grows with every new structure and JAX version, and a
one-off fit gains nothing from it.
"""

from __future__ import annotations

import functools
import os

ENV = "SKLKERAS_JAX_CACHE_DIR"


@functools.cache
def use_jax_compilation_cache() -> str | None:
    """Point JAX's persistent compilation cache at ``$SKLKERAS_JAX_CACHE_DIR``
    (once per process; called before sklkeras compiles a JAX program). Returns
    the folder, or None when the variable is unset or empty."""
    folder = os.environ.get(ENV)
    if not folder:
        return None
    import jax

    folder = os.path.abspath(os.path.expanduser(folder))
    jax.config.update("jax_compilation_cache_dir", folder)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    return folder


__all__ = ["ENV", "use_jax_compilation_cache"]

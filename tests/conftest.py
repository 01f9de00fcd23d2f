"""Shared fixtures."""

import json
import os
import subprocess
import sys

import pytest


@pytest.fixture(scope="session")
def run_job():
    """``run_job(script, backend)``: run ``tests/<script>`` (a path relative to
    tests/, e.g. ``"engine/jax_loop_job.py"``) in a process of its own
    with ``KERAS_BACKEND=backend`` (the backend is fixed when Keras is imported)
    and return the JSON of its last line of output."""

    def run(script, backend, timeout=600):
        path = os.path.join(os.path.dirname(__file__), script)
        env = {**os.environ, "KERAS_BACKEND": backend}
        proc = subprocess.run(
            [sys.executable, path],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        return json.loads(proc.stdout.strip().splitlines()[-1])

    return run

"""Every example script runs end to end with --quick (so none can rot).

The scripts run in one process of their own (``examples_job.py``), one after
the other, as the docs gallery runs them.
"""

import os
import pathlib

import pytest

EXAMPLES = sorted(
    p.stem
    for p in (pathlib.Path(__file__).parent.parent / "examples").glob("*.py")
    if not p.name.startswith("_")
)


BACKEND = os.environ.get("KERAS_BACKEND", "tensorflow")
# ran runs beside the suite from its start (conftest.py).
JOBS = {"ran": ("examples_job.py", BACKEND)}


@pytest.fixture(scope="module")
def ran(run_job):
    return run_job("examples_job.py", BACKEND, timeout=1500)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_runs_quick(ran, name):
    result = ran[name]
    assert result["ok"], result["stderr"]
    assert result["printed"], "an example prints its results"
    assert not result["retracing"], result["stderr"]

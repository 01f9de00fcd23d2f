"""Every example script runs end to end with --quick (so none can rot)."""

import pathlib
import subprocess
import sys

import pytest

EXAMPLES = sorted(
    p
    for p in (pathlib.Path(__file__).parent.parent / "examples").glob("*.py")
    if not p.name.startswith("_")
)


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.stem)
def test_example_runs_quick(script):
    proc = subprocess.run(
        [sys.executable, str(script), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=script.parent,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip(), "an example prints its results"
    assert "retracing" not in proc.stderr

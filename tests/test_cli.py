"""The task runner behind ``python -m sklkeras``."""

import json
import subprocess
import sys

import pytest

from sklkeras.__main__ import format_rows, main
from sklkeras.tasks import TASKS


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "sklkeras", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_list(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in ("pima", "iris", "boston", "bank"):
        assert name in out


def test_run_quick_json(tmp_path, capsys):
    out = tmp_path / "results.json"
    assert (
        main(["run", "iris", "--quick", "--format", "json", "--output", str(out)]) == 0
    )
    rows = json.loads(out.read_text())
    assert {r["model"] for r in rows} >= {
        "sklkeras MLPClassifier",
        "logistic regression",
    }
    row = rows[0]
    assert set(row) == {
        "task",
        "model",
        "metric",
        "mean",
        "std",
        "fit_seconds",
        "n_splits",
    }
    assert row["n_splits"] == 3 and 0 <= row["mean"] <= 1
    assert "iris" in capsys.readouterr().err  # progress goes to stderr


def test_unknown_task_is_one_line_error():
    proc = run_cli("run", "nosuchtask")
    assert proc.returncode != 0
    assert "unknown task nosuchtask" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unwritable_output(tmp_path, capsys):
    assert (
        main(["run", "iris", "--quick", "--output", str(tmp_path / "no" / "x.json")])
        == 2
    )
    assert "cannot write" in capsys.readouterr().err


def test_bad_cv(capsys):
    assert main(["run", "iris", "--cv", "1"]) == 2


def test_format_rows_table_and_csv():
    rows = [
        {
            "task": "t",
            "model": "m",
            "metric": "accuracy",
            "mean": 0.9,
            "std": 0.01,
            "fit_seconds": 1.0,
            "n_splits": 3,
        }
    ]
    table = format_rows(rows, "table", {"t": "ref 0.8"})
    assert "ref 0.8" in table and "0.900" in table
    csv_text = format_rows(rows, "csv")
    assert csv_text.splitlines()[0].startswith("task,model,metric")


@pytest.mark.parametrize("name", sorted(TASKS))
def test_every_task_builds_its_models(name):
    models = TASKS[name].models(0, True)
    assert any(k.startswith("sklkeras") for k in models)


def test_holdout_task_runs_on_cached_data(tmp_path, monkeypatch, capsys):
    """The mnist task reads Keras's cache; a small stand-in file exercises it."""
    import numpy as np

    datasets_dir = tmp_path / "datasets"
    datasets_dir.mkdir()
    rng = np.random.RandomState(0)
    np.savez(
        datasets_dir / "mnist.npz",
        x_train=rng.randint(0, 256, (60, 28, 28), dtype=np.uint8),
        y_train=np.arange(60) % 10,
        x_test=rng.randint(0, 256, (20, 28, 28), dtype=np.uint8),
        y_test=np.arange(20) % 10,
    )
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert TASKS["mnist"].available()
    assert main(["run", "mnist", "--quick", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["n_splits"] for r in rows} == {1}
    assert {r["model"] for r in rows} == {
        "sklkeras CNNClassifier",
        "sklkeras MLPClassifier",
    }

"""Run every example script with --quick in this one process (as the docs
gallery runs them), and print one JSON line: per example, whether it ran to the
end, the tail of what it printed and of its stderr.

One process instead of one per example: each example would otherwise pay the
TensorFlow import again (about 5 s of 16 scripts' runs). Between examples Keras's
session is cleared and matplotlib's figures closed, as the gallery does.
"""

import contextlib
import gc
import json
import os
import pathlib
import runpy
import sys
import tempfile
import traceback

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


@contextlib.contextmanager
def _captured():
    """Redirect file descriptors 1 and 2 (Python's and C++'s output alike)."""
    files = [tempfile.TemporaryFile(mode="w+b"), tempfile.TemporaryFile(mode="w+b")]
    saved = [os.dup(1), os.dup(2)]
    sys.stdout.flush()
    sys.stderr.flush()
    for fd, f in zip((1, 2), files, strict=True):
        os.dup2(f.fileno(), fd)
    texts = {}
    try:
        yield texts
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, s in zip((1, 2), saved, strict=True):
            os.dup2(s, fd)
            os.close(s)
        for name, f in zip(("stdout", "stderr"), files, strict=True):
            f.seek(0)
            texts[name] = f.read().decode("utf-8", "replace")
            f.close()


@contextlib.contextmanager
def _cwd(path):
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def run(script: pathlib.Path) -> dict:
    ok = True
    with _captured() as texts, _cwd(script.parent):
        sys.argv = [str(script), "--quick"]
        try:
            runpy.run_path(str(script), run_name="__main__")
        except SystemExit as exc:
            ok = exc.code in (None, 0)
        except BaseException:  # reported, and the next example runs
            ok = False
            traceback.print_exc()
    import keras
    import matplotlib.pyplot as plt

    plt.close("all")
    keras.backend.clear_session()
    gc.collect()
    return {
        "ok": ok,
        "stdout": texts["stdout"][-2000:],
        "printed": bool(texts["stdout"].strip()),
        "retracing": "retracing" in texts["stderr"],
        "stderr": texts["stderr"][-3000:],
    }


def main():
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.path.insert(0, str(EXAMPLES))  # the examples import _common, _images
    scripts = sorted(p for p in EXAMPLES.glob("*.py") if not p.name.startswith("_"))
    results = {p.stem: run(p) for p in scripts}
    print(json.dumps(results))


if __name__ == "__main__":
    main()

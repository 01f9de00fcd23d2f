"""Run scikeras's own test suite against sklkeras and compare with scikeras itself.

scikeras's ``tests/`` folder (taken from a checkout, a ``tests`` folder, or a bare
git directory at ``--commit``, default ``e92a7dc4``, the commit the baseline used)
is copied into a temporary directory twice:

* ``scikeras/tests``: unchanged; it runs against the installed scikeras.
* ``sklkeras/tests``: with only the estimator imports switched. The rule: every
  ``from scikeras.wrappers import A, B`` statement (single-line or parenthesized)
  becomes ``from sklkeras import ...`` for the names that sklkeras exports at its
  top level (its ``__all__``: ``KerasClassifier``, ``KerasRegressor``) and
  ``from sklkeras.wrappers import ...`` for the others (``BaseWrapper``, which
  sklkeras does not export at the top). Nothing else changes. In particular the
  helper imports stay scikeras's: ``tests/multi_output_models.py`` takes
  ``ClassifierLabelEncoder`` from ``scikeras.utils.transformers`` as the base of
  its test-only target encoder (its ``MultiOutputClassifier`` subclasses the
  switched ``KerasClassifier``). Any other ``scikeras.wrappers`` reference left in
  a file after the switch is reported as a warning and left as is (there are none
  at e92a7dc4).

One Keras fix goes into both copies, so that ``test_compile_kwargs.py`` collects on
Keras 3.15 (whose ``keras.src.backend.common.variables`` calls the class
``Variable``, not ``KerasVariable``): its ``from keras.src.backend.common.variables
import KerasVariable`` becomes a ``try`` of that import with ``Variable as
KerasVariable`` as the fallback (``KERAS_FIXES``).

Both copies' ``conftest.py`` also get a ``pytest_make_parametrize_id`` hook
(``CONFTEST_IDS``) so that a test parametrized with estimator instances has the same
id on both sides: pytest names such a case after the value's ``__name__``, which
scikeras's estimators have (the class name) and sklkeras's do not (``est0``). The
hook only names estimators that lack ``__name__``, so the scikeras side's ids stay
pytest's own. Test ids collected on one side only are listed in the ``--json``
output (``collected_on_one_side_only``).

pytest runs each selected test file of each copy in its own process (``-q -p
no:cacheprovider --junitxml=...``, no ``-x``, the copy's own ``conftest.py``: one
autouse fixture that sets Keras's floatx, no plugins needed) with the repository
containing this script first on ``PYTHONPATH``, so its ``sklkeras`` is the one
tested; pytest is the Python running this script (``sys.executable``), so run it
with the environment that has scikeras, sklkeras's dependencies and pytest. The
per-test outcomes come from the JUnit XML reports. A file that fails to
collect, crashes or times out counts as no passes on that side.

Printed: per file, the tests collected, those scikeras passes, those sklkeras
passes, and those sklkeras passes among scikeras's passes; the totals; and the share
(sklkeras and scikeras passes) / (scikeras passes). ``--json`` also writes every
test's outcome on both sides and the list of tests scikeras passes that sklkeras
does not, with the first line of each failure message (the work list).

A full run took 15 minutes of pytest for the scikeras side and 11 for the sklkeras
side on two shared CPU cores (Keras's TensorFlow backend); ``--scikeras-results``
skips the scikeras side. Some tests are not stable from run to run: the score
thresholds of ``test_output_shapes_and_dtypes_against_sklearn_cls`` and the
AdaBoost ``test_ensemble`` cases can flip either way.

Network: four tests of ``test_serialization.py`` (``test_custom_loss_function``,
``test_custom_model_registered``, ``test_custom_model_unregistered``,
``test_run_eagerly``) load ``fetch_california_housing``, which downloads the data
set the first time (into ``~/scikit_learn_data``); offline they fail on both sides
with ``URLError``, so they count for neither. Everything else runs offline. The
``--json`` output marks failures whose message looks like a download error
(``network: true``).

    python benchmarks/compat/scikeras_tests.py --scikeras-repo /path/to/scikeras
    python benchmarks/compat/scikeras_tests.py --scikeras-repo /path/to/repo.git \\
        --only test_errors,test_callbacks --json out.json
    python benchmarks/compat/scikeras_tests.py --scikeras-repo ... \\
        --scikeras-results baseline.json --json now.json   # rerun sklkeras only
    python benchmarks/compat/scikeras_tests.py --scikeras-repo ... --side sklkeras \\
        -- -k "not test_run_eagerly"           # extra pytest arguments after --
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import json
import os
import pathlib
import platform
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import xml.etree.ElementTree as ET

REPO = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_COMMIT = "e92a7dc4"
FILES = (
    "test_api",
    "test_callbacks",
    "test_compile_kwargs",
    "test_deprecation",
    "test_errors",
    "test_input_outputs",
    "test_param_routing",
    "test_parameters",
    "test_scikit_learn_checks",
    "test_serialization",
)
SIDES = ("scikeras", "sklkeras")
IMPORT = re.compile(
    r"^(?P<indent>[ \t]*)from[ \t]+scikeras\.wrappers[ \t]+import[ \t]+"
    r"(?:\((?P<paren>[^)]*)\)|(?P<plain>[^\n#]*?))[ \t]*(?P<comment>#[^\n]*)?$",
    re.MULTILINE,
)
# Applied to both copies: scikeras's tests reach into a Keras private module.
KERAS_FIXES = (
    (
        "from keras.src.backend.common.variables import KerasVariable\n",
        "try:\n"
        "    from keras.src.backend.common.variables import KerasVariable\n"
        "except ImportError:  # later Keras 3 releases call it Variable\n"
        "    from keras.src.backend.common.variables import (\n"
        "        Variable as KerasVariable,\n"
        "    )\n",
    ),
)
# Appended to both copies' conftest.py. pytest names a parametrized case after its
# value's ``__name__``; scikeras's estimators have one (a property: the class name),
# sklkeras's do not, so ``[float32-KerasClassifier]`` would be ``[float32-est1]`` on
# the sklkeras side and the two sides' test ids would not match. The hook gives an
# estimator without ``__name__`` its class name: a no-op for scikeras's estimators,
# and the same ids on both sides.
CONFTEST_IDS = """

# Added by sklkeras's benchmarks/compat/scikeras_tests.py: the same test ids for
# estimators with and without scikeras's ``__name__`` property.
def pytest_make_parametrize_id(config, val, argname):
    from sklearn.base import BaseEstimator

    if isinstance(val, BaseEstimator) and not isinstance(
        getattr(val, "__name__", None), str
    ):
        return type(val).__name__
    return None
"""
NETWORK = re.compile(
    r"URLError|HTTPError|urlopen|Name or service not known|Temporary failure in "
    r"name resolution|Network is unreachable|getaddrinfo",
)
# pytest processes in flight, killed if the runner is interrupted or terminated.
RUNNING: set[subprocess.Popen] = set()
STOPPING = threading.Event()
# Worst first: a test that passes its call but errors in teardown counts as error.
RANK = {"error": 0, "failed": 1, "xpassed": 2, "skipped": 3, "xfailed": 4, "passed": 5}


# --------------------------------------------------------------------------- source
def _git(git_dir: pathlib.Path, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], capture_output=True, check=False, **kw
    )


def extract_tests(source: pathlib.Path, dest: pathlib.Path, commit: str) -> dict:
    """Put scikeras's ``tests/`` folder at ``dest/tests``; return where it came from.

    ``source`` may be a work tree holding ``tests/``, a ``tests`` folder itself, or a
    git directory (bare or ``.git``), from which ``commit``'s ``tests/`` is archived.
    When ``commit`` is not in the git directory its ``HEAD`` is used, with a warning.
    """
    source = source.resolve()
    dest.mkdir(parents=True, exist_ok=True)
    if (source / "tests" / "conftest.py").is_file():
        shutil.copytree(source / "tests", dest / "tests")
        return {"source": str(source), "kind": "folder"}
    if source.name == "tests" and (source / "conftest.py").is_file():
        shutil.copytree(source, dest / "tests")
        return {"source": str(source), "kind": "folder"}
    git_dir = source / ".git" if (source / ".git").exists() else source
    if _git(git_dir, "rev-parse", "--git-dir").returncode != 0:
        raise SystemExit(f"{source}: neither a folder with tests/ nor a git directory")
    resolved = _git(git_dir, "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}")
    requested = commit
    if resolved.returncode != 0:
        print(
            f"warning: commit {commit} is not in {git_dir}; using its HEAD instead",
            file=sys.stderr,
        )
        commit = "HEAD"
        resolved = _git(git_dir, "rev-parse", "HEAD^{commit}")
    sha = resolved.stdout.decode().strip()
    archive = _git(git_dir, "archive", "--format=tar", sha, "tests")
    if archive.returncode != 0:
        raise SystemExit(archive.stderr.decode())
    tar_path = dest / "tests.tar"
    tar_path.write_bytes(archive.stdout)
    with tarfile.open(tar_path) as tar:
        tar.extractall(dest, filter="data")
    tar_path.unlink()
    return {
        "source": str(git_dir),
        "kind": "git",
        "requested_commit": requested,
        "commit": sha,
    }


# --------------------------------------------------------------------------- switch
def sklkeras_top_level() -> set[str]:
    """Names in sklkeras's ``__all__``, read without importing it (no TensorFlow)."""
    init = REPO / "sklkeras" / "__init__.py"
    if not init.is_file():
        import importlib.util

        spec = importlib.util.find_spec("sklkeras")
        if spec is None or spec.origin is None:
            raise SystemExit("sklkeras is neither next to this script nor installed")
        init = pathlib.Path(spec.origin)
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return set(ast.literal_eval(node.value))
    return set()


def switch_imports(text: str, top_level: set[str]) -> tuple[str, list[str]]:
    """Apply the import rule of the module docstring; return (text, warnings)."""

    def replace(match: re.Match) -> str:
        body = match.group("paren") if match.group("paren") is not None else ""
        body = body or match.group("plain") or ""
        names = [n.strip() for n in re.sub(r"#[^\n]*", "", body).split(",")]
        names = [n for n in names if n]
        top = [n for n in names if n.split(" as ")[0].strip() in top_level]
        rest = [n for n in names if n not in top]
        indent = match.group("indent")
        lines = []
        if top:
            lines.append(f"{indent}from sklkeras import {', '.join(top)}")
        if rest:
            lines.append(f"{indent}from sklkeras.wrappers import {', '.join(rest)}")
        if match.group("comment"):
            lines[-1] += "  " + match.group("comment")
        return "\n".join(lines)

    new = IMPORT.sub(replace, text)
    warnings = [
        f"line {i}: {line.strip()}"
        for i, line in enumerate(new.splitlines(), 1)
        if "scikeras.wrappers" in line
    ]
    return new, warnings


def prepare_copies(tests: pathlib.Path, work: pathlib.Path) -> dict[str, list[str]]:
    """Make ``work/scikeras/tests`` (as is) and ``work/sklkeras/tests`` (switched)."""
    top_level = sklkeras_top_level()
    warnings: dict[str, list[str]] = {}
    for side in SIDES:
        root = work / side
        shutil.copytree(tests, root / "tests")
        # An empty ini pins pytest's rootdir and keeps any enclosing config out.
        (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        with open(root / "tests" / "conftest.py", "a", encoding="utf-8") as conftest:
            conftest.write(CONFTEST_IDS)
        for path in sorted((root / "tests").rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            new = text
            for old, fixed in KERAS_FIXES:
                new = new.replace(old, fixed)
            if side == "sklkeras":
                new, warn = switch_imports(new, top_level)
                if warn:
                    warnings[path.name] = warn
            if new != text:
                path.write_text(new, encoding="utf-8")
    return warnings


# --------------------------------------------------------------------------- pytest
def first_line(text: str | None) -> str:
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()[:300]
    return ""


def error_lines(text: str | None, limit: int = 3) -> list[str]:
    """The first ``E   `` lines of a pytest traceback (what was raised, and why)."""
    lines = [ln[1:].strip() for ln in (text or "").splitlines() if ln.startswith("E ")]
    return [ln[:300] for ln in lines if ln][:limit]


def parse_junit(path: pathlib.Path, file: str) -> dict[str, dict]:
    """``{test id: {outcome, message, detail, time}}`` from one JUnit XML report.

    ``message`` is the first line of pytest's failure message, ``detail`` the first
    ``E`` lines of the traceback (for ``pytest.raises(match=...)`` failures these
    hold the expected pattern and the actual message).
    """
    outcomes: dict[str, dict] = {}
    module = f"tests.{file}"
    for case in ET.parse(path).getroot().iter("testcase"):
        classname = case.get("classname", "")
        name = case.get("name", "")
        if classname == module:
            test_id = f"{file}.py::{name}"
        elif classname.startswith(module + "."):
            test_id = f"{file}.py::{classname[len(module) + 1 :]}::{name}"
        else:  # a collection error: classname "" and the module as name
            test_id = f"{file}.py::<collection>" if not classname else classname
        outcome, message, detail = "passed", "", []
        for child in case:
            if child.tag in ("failure", "error"):
                kind = "failed" if child.tag == "failure" else "error"
                text = child.get("message") or child.text
            elif child.tag == "skipped":
                xfail = child.get("type") == "pytest.xfail"
                kind = "xfailed" if xfail else "skipped"
                text = child.get("message") or child.text
            else:
                continue
            if RANK[kind] < RANK[outcome]:
                outcome, message = kind, first_line(text)
                detail = error_lines(child.text) if kind in ("failed", "error") else []
        previous = outcomes.get(test_id)
        if previous is None or RANK[outcome] < RANK[previous["outcome"]]:
            outcomes[test_id] = {
                "outcome": outcome,
                "message": message,
                "detail": detail,
                "time": round(float(case.get("time") or 0.0), 3),
            }
    return outcomes


def run_file(side: str, file: str, work: pathlib.Path, args) -> dict:
    """Run one test file of one copy; return its outcomes and how the run went."""
    root = work / side
    junit = work / "reports" / f"{side}-{file}.xml"
    log = work / "reports" / f"{side}-{file}.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO)] + [p for p in [env.get("PYTHONPATH")] if p]
    )
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        f"tests/{file}.py",
        "-q",
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(root),
        f"--junitxml={junit}",
        "-o",
        "junit_family=xunit1",
        *args.pytest_args,
    ]
    if args.nice:
        cmd = ["nice", "-n", str(args.nice), *cmd]
    start = time.monotonic()
    status = "ok"
    with open(log, "w", encoding="utf-8") as out:
        if STOPPING.is_set():
            raise SystemExit("stopped")
        proc = subprocess.Popen(
            cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        RUNNING.add(proc)
        try:
            returncode = proc.wait(timeout=args.timeout or None)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            returncode, status = None, f"timed out after {args.timeout} s"
        finally:
            RUNNING.discard(proc)
    seconds = round(time.monotonic() - start, 1)
    outcomes = parse_junit(junit, file) if junit.is_file() else {}
    if not junit.is_file() and status == "ok":
        status = f"no report (exit {returncode})"
    if returncode not in (0, 1, None) and status == "ok":
        status = f"pytest exit {returncode}"  # 2: interrupted/collection, 3+: crash
    tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-1:]
    print(
        f"  {side:8} {file:26} {seconds:7.1f} s  {status}  {' '.join(tail)[:90]}",
        flush=True,
    )
    return {"outcomes": outcomes, "status": status, "seconds": seconds}


# --------------------------------------------------------------------------- report
def summarize(results: dict, files: list[str]) -> dict:
    rows, regressions, gains, unmatched = [], [], [], {side: [] for side in SIDES}
    for file in files:
        sk = results["scikeras"].get(file, {}).get("outcomes", {})
        kl = results["sklkeras"].get(file, {}).get("outcomes", {})
        sk_pass = {t for t, o in sk.items() if o["outcome"] == "passed"}
        kl_pass = {t for t, o in kl.items() if o["outcome"] == "passed"}
        rows.append(
            {
                "file": file,
                "tests": len(set(sk) | set(kl)),
                "scikeras_passed": len(sk_pass),
                "sklkeras_passed": len(kl_pass),
                "both_passed": len(sk_pass & kl_pass),
            }
        )
        status = results["sklkeras"].get(file, {}).get("status", "not run")
        for test in sorted(sk_pass - kl_pass):
            info = kl.get(test)
            if info is None:
                collection = kl.get(f"{file}.py::<collection>", {})
                info = {
                    "outcome": "not collected",
                    "message": collection.get("message") or status,
                    "detail": collection.get("detail", []),
                }
            regressions.append(
                {
                    "test": test,
                    "outcome": info["outcome"],
                    "message": info["message"],
                    "detail": info["detail"],
                    "network": bool(NETWORK.search(info["message"] or "")),
                }
            )
        gains.extend(sorted(kl_pass - sk_pass))
        if sk and kl:  # ids collected on one side only (e.g. tag-dependent checks)
            unmatched["scikeras"].extend(sorted(set(sk) - set(kl)))
            unmatched["sklkeras"].extend(sorted(set(kl) - set(sk)))
    totals = {
        key: sum(r[key] for r in rows)
        for key in ("tests", "scikeras_passed", "sklkeras_passed", "both_passed")
    }
    both_sides = all(results[side] for side in SIDES)
    if not both_sides:  # one side only: nothing to compare
        regressions, gains = [], []
    share = None
    if both_sides and totals["scikeras_passed"]:
        share = totals["both_passed"] / totals["scikeras_passed"]
    return {
        "rows": rows,
        "totals": totals,
        "share": share,
        "regressions": regressions,
        "sklkeras_only_passes": gains,
        "collected_on_one_side_only": unmatched,
    }


def load_scikeras_results(path: pathlib.Path) -> dict:
    """The scikeras side of an earlier ``--json`` report, per file, to reuse."""
    report = json.loads(path.read_text(encoding="utf-8"))
    outcomes = report.get("outcomes", {}).get("scikeras")
    if not outcomes:
        raise SystemExit(f"{path}: no scikeras outcomes")
    runs = report.get("file_runs", {}).get("scikeras", {})
    results: dict[str, dict] = {}
    for test, info in outcomes.items():
        file = test.split(".py::")[0]
        entry = results.setdefault(
            file,
            {
                "outcomes": {},
                "status": runs.get(file, {}).get("status", "ok"),
                "seconds": runs.get(file, {}).get("seconds", 0.0),
            },
        )
        entry["outcomes"][test] = info
    return {"source": str(path), "results": results}


def print_table(summary: dict) -> None:
    head = f"{'file':26} {'tests':>6} {'scikeras':>9} {'sklkeras':>9} {'both':>6}"
    print("\n" + head + "\n" + "-" * len(head))
    for r in [*summary["rows"], {"file": "total", **summary["totals"]}]:
        if r["file"] == "total":
            print("-" * len(head))
        print(
            f"{r['file']:26} {r['tests']:>6} {r['scikeras_passed']:>9} "
            f"{r['sklkeras_passed']:>9} {r['both_passed']:>6}"
        )
    t = summary["totals"]
    if summary["share"] is not None:
        print(
            f"\nsklkeras passes {t['both_passed']} of the {t['scikeras_passed']} tests "
            f"scikeras passes: {summary['share']:.1%} "
            f"(and {len(summary['sklkeras_only_passes'])} that scikeras does not)."
        )


def versions() -> dict:
    from importlib import metadata

    out = {"python": platform.python_version()}
    for dist in ("scikeras", "scikit-learn", "keras", "tensorflow", "jax", "pytest"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            try:
                out[dist] = metadata.version(dist + "-cpu")
            except metadata.PackageNotFoundError:
                out[dist] = None
    out["KERAS_BACKEND"] = os.environ.get("KERAS_BACKEND")
    sha = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    out["sklkeras_commit"] = sha or None
    return out


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Extra pytest arguments go after '--'.",
    )
    parser.add_argument(
        "--scikeras-repo",
        required=True,
        type=pathlib.Path,
        help="scikeras checkout, its tests/ folder, or a (bare) git directory",
    )
    parser.add_argument(
        "--commit",
        default=DEFAULT_COMMIT,
        help=f"commit to take tests/ from a git directory (default {DEFAULT_COMMIT})",
    )
    parser.add_argument(
        "--only",
        default=None,
        help="comma- or space-separated test files to run (default: all ten: "
        + ", ".join(FILES)
        + ")",
    )
    parser.add_argument(
        "--side", choices=("both", *SIDES), default="both", help="default both"
    )
    parser.add_argument("--json", type=pathlib.Path, default=None, help="write here")
    parser.add_argument(
        "--scikeras-results",
        type=pathlib.Path,
        default=None,
        help="reuse the scikeras side of an earlier --json report (it depends only "
        "on scikeras and the environment) and run the sklkeras side only",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="pytest processes at once (default 1)"
    )
    parser.add_argument(
        "--timeout", type=float, default=3600, help="per file, seconds (0: none)"
    )
    parser.add_argument(
        "--nice", type=int, default=0, help="run pytest under nice -n N (default 0)"
    )
    parser.add_argument(
        "--workdir",
        type=pathlib.Path,
        default=None,
        help="keep the copies, pytest logs and JUnit reports in this new or empty "
        "folder (default: a temporary folder, removed at the end)",
    )
    parser.add_argument("pytest_args", nargs="*", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    files = FILES
    if args.only:
        files = tuple(
            f.strip().removesuffix(".py").split("/")[-1]
            for f in re.split(r"[,\s]+", args.only)
            if f.strip()
        )
    sides = SIDES if args.side == "both" else (args.side,)
    reused = (
        load_scikeras_results(args.scikeras_results) if args.scikeras_results else {}
    )
    if reused:
        if args.side == "scikeras":
            raise SystemExit("--scikeras-results replaces the scikeras side's run")
        sides = ("sklkeras",)
    if args.workdir:
        work = args.workdir.resolve()
        if work.exists() and any(work.iterdir()):
            raise SystemExit(f"--workdir {work} is not empty")
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = pathlib.Path(tempfile.mkdtemp(prefix="scikeras_tests_"))
    try:
        origin = extract_tests(args.scikeras_repo, work / "source", args.commit)
        tests = work / "source" / "tests"
        missing = [f for f in files if not (tests / f"{f}.py").is_file()]
        if missing:
            raise SystemExit(f"not in scikeras's tests/: {', '.join(missing)}")
        warnings = prepare_copies(tests, work)
        for name, lines in warnings.items():
            for line in lines:
                print(f"warning: {name} {line} (left as is)", file=sys.stderr)
        (work / "reports").mkdir()
        print(f"scikeras tests from {origin}; copies in {work}", flush=True)
        results: dict[str, dict] = {side: {} for side in SIDES}
        if reused:
            missing = [f for f in files if f not in reused["results"]]
            if missing:
                raise SystemExit(f"--scikeras-results lacks: {', '.join(missing)}")
            results["scikeras"] = {f: reused["results"][f] for f in files}
        jobs = [(side, file) for file in files for side in sides]
        pool = concurrent.futures.ThreadPoolExecutor(max(1, args.jobs))
        try:
            futures = {pool.submit(run_file, s, f, work, args): (s, f) for s, f in jobs}
            for future in concurrent.futures.as_completed(futures):
                side, file = futures[future]
                results[side][file] = future.result()
        except BaseException:
            STOPPING.set()
            for proc in list(RUNNING):
                proc.kill()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        summary = summarize(results, list(files))
        print_table(summary)
        problems = [
            f"{side} {file}: {r['status']}"
            for side in sides
            for file, r in results[side].items()
            if r["status"] != "ok"
        ]
        for line in problems:
            print("file problem:", line)
        for side, ids in summary["collected_on_one_side_only"].items():
            if ids:
                print(f"{len(ids)} test ids collected on the {side} side only")
        if args.json:
            report = {
                "scikeras_tests": origin,
                "files": list(files),
                "sides": list(sides),
                "scikeras_results_from": reused.get("source"),
                "pytest_args": args.pytest_args,
                "import_rule_warnings": warnings,
                "versions": versions(),
                "table": summary["rows"],
                "totals": summary["totals"],
                "share": summary["share"],
                "file_runs": {
                    side: {
                        f: {"status": r["status"], "seconds": r["seconds"]}
                        for f, r in results[side].items()
                    }
                    for side in SIDES
                    if results[side]
                },
                "regressions": summary["regressions"],
                "sklkeras_only_passes": summary["sklkeras_only_passes"],
                "collected_on_one_side_only": summary["collected_on_one_side_only"],
                "outcomes": {
                    side: {
                        test: info
                        for f in files
                        for test, info in results[side]
                        .get(f, {})
                        .get("outcomes", {})
                        .items()
                    }
                    for side in SIDES
                    if results[side]
                },
            }
            args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
            print(f"wrote {args.json}")
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

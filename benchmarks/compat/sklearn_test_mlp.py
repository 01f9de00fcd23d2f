"""Run scikit-learn's own ``test_mlp.py`` against sklkeras's MLP estimators.

The installed ``sklearn/neural_network/tests/test_mlp.py`` (or the file given with
``--test-file``) is copied to a temporary directory, its one import line

    from sklearn.neural_network import MLPClassifier, MLPRegressor

is switched to ``from sklkeras import MLPClassifier, MLPRegressor``, and pytest runs
it there. Nothing else in the file changes. The script prints the pytest summary and
two counts: test items as pytest counts them (parametrized cases separately) and
test functions (a function passes when all of its cases pass).

    python benchmarks/compat/sklearn_test_mlp.py             # sklkeras
    python benchmarks/compat/sklearn_test_mlp.py --sklearn   # the unmodified file
    python benchmarks/compat/sklearn_test_mlp.py -- -k lbfgs -x   # extra pytest args

The remaining failures and their reasons are listed in ``docs/switching.md``.
"""

from __future__ import annotations

import argparse
import collections
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

IMPORT_LINE = "from sklearn.neural_network import MLPClassifier, MLPRegressor"
REPLACEMENT = "from sklkeras import MLPClassifier, MLPRegressor"

# scikit-learn's conftest parametrizes this fixture (default seed 42); the copy runs
# outside scikit-learn's test tree, so it gets the same parametrization here.
CONFTEST = """\
import os


def pytest_generate_tests(metafunc):
    if "global_random_seed" in metafunc.fixturenames:
        seed = int(os.environ.get("SKLEARN_TESTS_GLOBAL_RANDOM_SEED", "42"))
        metafunc.parametrize("global_random_seed", [seed])
"""


def installed_test_file() -> pathlib.Path:
    import sklearn

    return pathlib.Path(sklearn.__file__).parent / "neural_network/tests/test_mlp.py"


def prepare(
    source: pathlib.Path, folder: pathlib.Path, *, switch: bool
) -> pathlib.Path:
    text = source.read_text(encoding="utf-8")
    if text.count(IMPORT_LINE) != 1:
        raise SystemExit(f"{source}: expected the line {IMPORT_LINE!r} exactly once.")
    if switch:
        text = text.replace(IMPORT_LINE, REPLACEMENT)
    target = folder / "test_mlp.py"
    target.write_text(text, encoding="utf-8")
    (folder / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    return target


def count(report: str) -> dict:
    """Outcomes per test item and per test function from pytest's ``-rA`` lines."""
    items = collections.Counter()
    functions: dict[str, set] = collections.defaultdict(set)
    for line in report.splitlines():
        match = re.match(r"^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (\S+)", line)
        if not match:
            continue
        outcome, node = match.groups()
        items[outcome] += 1
        functions[node.split("::")[-1].split("[")[0]].add(outcome)
    passed_functions = sum(1 for o in functions.values() if o == {"PASSED"})
    failed = sorted(
        node
        for line in report.splitlines()
        if (m := re.match(r"^(?:FAILED|ERROR) (\S+)", line))
        for node in [m.group(1)]
    )
    return {
        "items": dict(items),
        "n_items": sum(items.values()),
        "functions_passed": passed_functions,
        "n_functions": len(functions),
        "failed": failed,
    }


def run(
    test_file: pathlib.Path | None = None,
    *,
    switch: bool = True,
    pytest_args=(),
    timeout: float | None = None,
) -> tuple[dict, str]:
    """Run the (switched) copy in a subprocess; return (counts, pytest output)."""
    source = pathlib.Path(test_file) if test_file else installed_test_file()
    folder = pathlib.Path(tempfile.mkdtemp(prefix="sklkeras_test_mlp_"))
    try:
        target = prepare(source, folder, switch=switch)
        env = dict(os.environ)
        repo = str(pathlib.Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(
            [repo] + [p for p in [env.get("PYTHONPATH")] if p]
        )
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            str(target),
            "-q",
            "-rA",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(folder),
            "-W",
            "ignore::DeprecationWarning",
            *pytest_args,
        ]
        proc = subprocess.run(
            cmd,
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        output = proc.stdout + proc.stderr
        return count(output), output
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test-file", type=pathlib.Path, default=None)
    parser.add_argument(
        "--sklearn", action="store_true", help="run the file unmodified (reference)"
    )
    parser.add_argument("--verbose", action="store_true", help="print pytest's output")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args(argv)
    counts, output = run(
        args.test_file, switch=not args.sklearn, pytest_args=args.pytest_args
    )
    if args.verbose:
        print(output)
    else:
        tail = [
            ln for ln in output.splitlines() if ln.startswith("=") or "passed" in ln
        ]
        print("\n".join(tail[-1:]))
    for node in counts["failed"]:
        print("  not passed:", node)
    who = "scikit-learn" if args.sklearn else "sklkeras"
    print(
        f"{who}: {counts['items'].get('PASSED', 0)} of {counts['n_items']} test items "
        f"passed; {counts['functions_passed']} of {counts['n_functions']} test "
        "functions passed all their cases."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Task runner: ``python -m sklkeras list`` and ``python -m sklkeras run [TASK ...]``."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys

FORMATS = ("table", "json", "csv")
FIELDS = ["task", "model", "metric", "mean", "std", "fit_seconds", "n_splits"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sklkeras",
        description="Train the book's classic tasks with sklkeras and its peers.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the tasks, their data and models")
    run = sub.add_parser("run", help="cross-validate tasks (all offline ones if none)")
    run.add_argument("tasks", nargs="*", metavar="TASK", help="task names (see list)")
    run.add_argument("--cv", type=int, default=10, help="number of folds (default 10)")
    run.add_argument("--quick", action="store_true", help="3 folds, few epochs")
    run.add_argument("--seed", type=int, default=7, help="CV and model seed (7)")
    run.add_argument("--n-jobs", type=int, default=None, help="parallel folds")
    run.add_argument("--format", choices=FORMATS, default="table")
    run.add_argument("--output", help="write the result here instead of stdout")
    return parser


def _fail(message: str) -> int:
    print(f"sklkeras: error: {message}", file=sys.stderr)
    return 2


def format_rows(rows, fmt: str, references=None) -> str:
    """Render result rows as a table, JSON or CSV."""
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buf.getvalue()
    lines = []
    current = None
    for row in rows:
        if row["task"] != current:
            current = row["task"]
            ref = (references or {}).get(current, "")
            lines.append("")
            lines.append(f"{current} ({row['metric']}, {row['n_splits']}-fold)")
            if ref:
                lines.append(f"  reference: {ref}")
            lines.append(f"  {'model':<28} {'mean':>8} {'std':>8} {'fit s':>8}")
        lines.append(
            f"  {row['model']:<28} {row['mean']:>8.3f} {row['std']:>8.3f} "
            f"{row['fit_seconds']:>8.2f}"
        )
    return "\n".join(lines).lstrip("\n") + "\n"


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from .tasks import TASKS  # heavy imports only once the arguments are valid

    if args.command == "list":
        width = max(len(name) for name in TASKS)
        for task in TASKS.values():
            models = ", ".join(task.models(0, True))
            where = (
                ""
                if task.available()
                else "  [data not on disk: downloaded when named]"
            )
            print(f"{task.name:<{width}} {task.description}{where}")
            print(f"{'':<{width}} models: {models}")
        return 0

    unknown = [t for t in args.tasks if t not in TASKS]
    if unknown:
        return _fail(
            f"unknown task {', '.join(unknown)}; choose from {', '.join(TASKS)}"
        )
    if args.cv < 2:
        return _fail(f"--cv must be at least 2; got {args.cv}")
    out = None
    if args.output:
        try:
            out = open(args.output, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            return _fail(f"cannot write {args.output}: {exc.strerror}")

    from .tasks import evaluate

    # Without names: every task whose data is on disk (no download).
    names = args.tasks or [n for n, t in TASKS.items() if t.available()]
    cv = 3 if args.quick and args.cv == 10 else args.cv
    rows = []
    try:
        for name in names:
            rows += evaluate(
                TASKS[name],
                cv=cv,
                seed=args.seed,
                quick=args.quick,
                n_jobs=args.n_jobs,
                progress=lambda msg: print(msg, file=sys.stderr, flush=True),
            )
    except (OSError, ValueError) as exc:
        if out:
            out.close()
        return _fail(str(exc))
    text = format_rows(rows, args.format, {n: TASKS[n].reference for n in names})
    if out:
        with out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

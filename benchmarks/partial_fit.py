"""Cost of one ``partial_fit`` call against one epoch inside ``fit``.

Pima book network (768 x 8 standardized, Dense 12-8, batch size 10: 77 steps an
epoch). ``fit`` runs ``--epochs`` epochs (no early stop); then a fresh estimator gets
one ``partial_fit`` to build and compile its network, and ``--calls`` more are
timed. The epoch of ``fit`` is the time of a fit of ``--epochs`` epochs minus that
of a 2-epoch fit, divided by the extra epochs (the network build cancels out). Prints the median call, the epoch of ``fit`` and their ratio (the
target is about 2 or less: the compiled epoch is reused, not retraced).

    python benchmarks/partial_fit.py
    python benchmarks/partial_fit.py --batch-size 200 --calls 50
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from sklearn.preprocessing import StandardScaler  # noqa: E402

from sklkeras import MLPClassifier  # noqa: E402
from sklkeras.datasets import load_pima_diabetes  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=10)
    args = parser.parse_args(argv)
    X, y = load_pima_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    params = dict(
        hidden_layer_sizes=(12, 8),
        batch_size=args.batch_size,
        n_iter_no_change=None,
        random_state=0,
    )
    # Warm-up fit: TensorFlow's first graph in a process costs extra.
    MLPClassifier(**params, max_iter=2).fit(X, y)
    # One epoch inside fit: the difference of two fits over the extra epochs, so
    # that building and compiling the network is not counted.
    fits = {}
    for epochs in (2, args.epochs):
        start = time.perf_counter()
        MLPClassifier(**params, max_iter=epochs).fit(X, y)
        fits[epochs] = time.perf_counter() - start
    epoch = (fits[args.epochs] - fits[2]) / (args.epochs - 2)

    clf = MLPClassifier(**params)
    start = time.perf_counter()
    clf.partial_fit(X, y, classes=[0, 1])
    first = time.perf_counter() - start
    calls = []
    for _ in range(args.calls):
        start = time.perf_counter()
        clf.partial_fit(X, y)
        calls.append(time.perf_counter() - start)
    call = statistics.median(calls)
    print(
        f"batch_size={args.batch_size}: one epoch inside fit {epoch * 1e3:.1f} ms "
        f"(fits of {args.epochs} and 2 epochs, build excluded); first partial_fit "
        f"{first * 1e3:.0f} ms (builds the network); later partial_fit median "
        f"{call * 1e3:.1f} ms = {call / epoch:.2f} x an epoch of fit"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

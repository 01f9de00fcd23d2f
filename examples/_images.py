"""Data for the download examples: the real dataset when cached, else a stand-in."""

import numpy as np


def load_or_stand_in(loader, quick, shape, n_classes=10):
    """Load a downloadable dataset; with --quick and no cached copy, random images.

    The stand-in keeps the shapes and dtypes, so CI exercises the same code path
    without a download; its accuracy figures mean nothing. Arrays are uint8 in
    0-255 (pixels, or token ids below 256).
    """
    try:
        return loader(download_if_missing=not quick), False
    except OSError:
        if not quick:
            raise
    rng = np.random.RandomState(0)
    train = (
        rng.randint(0, 256, (600, *shape), dtype=np.uint8),
        rng.randint(0, n_classes, 600),
    )
    test = (
        rng.randint(0, 256, (200, *shape), dtype=np.uint8),
        rng.randint(0, n_classes, 200),
    )
    print("(dataset not cached: --quick runs on random stand-in data)")
    return (train, test), True

"""Shared command-line handling for the example scripts."""

import argparse


def make_parser(doc: str | None) -> argparse.ArgumentParser:
    """A parser with --quick, described by the first line of ``doc`` (its title)."""
    lines = [line.strip() for line in (doc or "").splitlines() if line.strip()]
    parser = argparse.ArgumentParser(description=lines[0] if lines else None)
    parser.add_argument(
        "--quick", action="store_true", help="tiny settings, for CI (seconds)"
    )
    return parser


def parse_args(doc: str | None) -> argparse.Namespace:
    return make_parser(doc).parse_args()

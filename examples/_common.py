"""Shared command-line handling for the example scripts."""

import argparse


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--quick", action="store_true", help="tiny settings, for CI (seconds)"
    )
    return parser.parse_args()

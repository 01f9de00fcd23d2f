#!/usr/bin/env bash
# The test command: set up .venv if needed, lint, then run the whole test suite.
# Extra arguments go to pytest (e.g. bash scripts/test.sh -k pickle).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$root"
ruff check .
ruff format --check .
exec python -m pytest "$@"

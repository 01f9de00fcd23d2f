#!/usr/bin/env bash
# The main job: set up .venv if needed, then run the task runner.
#   bash scripts/run.sh                 # every offline task, table on stdout
#   bash scripts/run.sh run pima --cv 5 # arguments go to `python -m sklkeras`
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$root"
if [ "$#" -eq 0 ]; then set -- run; fi
exec python -m sklkeras "$@"

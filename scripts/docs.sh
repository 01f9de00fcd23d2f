#!/usr/bin/env bash
# The docs command: set up .venv if needed, then build the site into docs/_build/html
# with Sphinx, warnings treated as errors. The example gallery is executed with each
# script's --quick settings. Extra arguments go to sphinx-build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$root/docs"
# Start from a clean tree so that a removed page or example cannot linger.
rm -rf _build generated auto_examples gen_modules sg_execution_times.rst
start=$(date +%s)
sphinx-build -W --keep-going -b html -q . _build/html "$@"
echo "docs: built docs/_build/html/index.html in $(( $(date +%s) - start )) s" >&2

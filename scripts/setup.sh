#!/usr/bin/env bash
# Creates (or refreshes) the project's virtual environment in .venv/ and installs
# sklkeras into it with the CPU TensorFlow wheel and the test tools. Sourced by
# run.sh and test.sh; needs nothing but python3 (>= 3.10) with venv and pip.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-python3}"
venv="$root/.venv"
stamp="$venv/.sklkeras-installed"
want="$(cat "$root/pyproject.toml" "$root/scripts/setup.sh" | "$py" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"

if [ ! -x "$venv/bin/python" ]; then
  echo "setup: creating $venv" >&2
  "$py" -m venv "$venv"
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing sklkeras[cpu,test,docs,jax,onnx,skops] into $venv (first run takes a few minutes)" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$root[cpu,test,docs,jax,onnx,skops]"
  echo "$want" > "$stamp"
fi
export PATH="$venv/bin:$PATH"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"

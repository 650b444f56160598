#!/usr/bin/env bash
# Create .venv with a Python >= 3.12 and install bayesfit with its test extras.
# Usage: bash scripts/setup.sh        (idempotent: reuses .venv when it is current)
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local c v
  for c in "${BAYESFIT_PYTHON:-}" python3.13 python3.12 python3 python; do
    [ -n "$c" ] || continue
    command -v "$c" >/dev/null 2>&1 || continue
    v=$("$c" -c 'import sys; print(int(sys.version_info >= (3, 12)))' 2>/dev/null || echo 0)
    if [ "$v" = 1 ]; then command -v "$c"; return 0; fi
  done
  # pyenv keeps interpreters out of PATH: look there too
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  command -v pyenv >/dev/null 2>&1 && root="$(pyenv root)"
  for c in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
    if "$c" -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then
  if ! PY=$(find_python); then
    cat >&2 <<'MSG'
bayesfit needs Python >= 3.12 (ArviZ 1.x requires it) and none was found.
Install one, for example:
  pyenv install 3.12      (then rerun this script), or
  apt install python3.12 python3.12-venv, or from https://www.python.org/downloads/
or point BAYESFIT_PYTHON at an interpreter: BAYESFIT_PYTHON=/path/to/python3.12 bash scripts/setup.sh
MSG
    exit 1
  fi
  echo "setup: creating .venv with $PY ($("$PY" --version))"
  rm -rf .venv
  "$PY" -m venv .venv
fi
stamp=.venv/.bayesfit-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing bayesfit and its dependencies into .venv (first time: a few minutes)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[test]"
  touch "$stamp"
fi

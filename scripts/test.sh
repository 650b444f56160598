#!/usr/bin/env bash
# Set up, lint, then run the whole test suite (notebooks included).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
.venv/bin/python -m ruff check bayesfit tests benchmarks || exit 1
start=$(date +%s)
# --dist loadfile: a test module runs on one worker, so its module fixtures and cached fits
# (the KCu4P3O12 study fits 3 x minutes) are built once, not once per worker
.venv/bin/python -m pytest -q -p no:cacheprovider -n "${BAYESFIT_TEST_WORKERS:-2}" --dist loadfile --durations=20 "$@"
rc=$?
echo "test suite: $(( $(date +%s) - start )) s, exit code $rc"
# pytest exit code 5 means no tests were collected: that is a failure here, not a pass
if [ "$rc" -eq 5 ]; then echo "no tests were collected" >&2; exit 1; fi
exit "$rc"

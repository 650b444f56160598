#!/usr/bin/env bash
# Set up, lint, then run the whole test suite (notebooks included).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
.venv/bin/python -m ruff check bayesfit tests benchmarks || exit 1
start=$(date +%s)
# One JAX compilation cache for this run: CLI subprocesses, Dask workers, notebook kernels and
# the two xdist workers compile many identical programs (the interrupt/resume CLI tests took
# 205 s without it, 101 s with it). A fresh folder each run, removed at exit; nothing persists.
# Every program is cached, however quickly it compiled: most of the suite's programs take
# 0.1-0.3 s each, under JAX's default threshold of 1 s, and are compiled again and again.
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
export JAX_COMPILATION_CACHE_DIR="$cache" JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS=0
# Closed-over arrays (a dataset's x and y) become arguments of the compiled program instead of
# constants inside it, so fits of different data of the same shape (the calibration's 30
# datasets, a sweep's seeds, a notebook repeating a test's fit) share one cache entry. Small
# arrays too: JAX embeds arrays under 1 KiB by default (a 15-point dataset is 120 bytes), which
# made each of the calibration's 30 fits compile its 5 programs afresh (1.35 s a fit; 0.40 s
# with every array an argument). Same numbers: only where the arrays live changes
# (https://docs.jax.dev/en/latest/internals/constants.html). Together with the threshold above:
# the suite 907 s -> 705 s on the 2-core machine (617 passed both times).
export JAX_USE_SIMPLIFIED_JAXPR_CONSTANTS=1 JAX_EMBEDDED_CONSTANTS_MAX_BYTES=0
# Most of the suite's time is XLA compiling small programs (a new problem is a new program).
# At LLVM optimisation level 0 they compile 3-5x faster and run a little slower: measured on
# the 2-core machine, tests/sequences/test_decay.py 54 -> 34 s, tests/spin/test_gradients.py
# 51 -> 29 s, the stationary REMC noise test 59 -> 33 s, ODE use case 1 122 -> 134 s (the
# one run-bound file). Same programs, the same arithmetic up to rounding: LLVM's code at
# level 0 can round differently in the last bits, and a long Markov chain then follows
# another path, statistically the same (the FSS fits' T_c draws differ by up to 0.0035
# between the levels; the tests compare shipped fits within Monte Carlo errors, never bit
# for bit across levels). Users' fits and the main job run at XLA's default level.
export XLA_FLAGS="${XLA_FLAGS:-} --xla_backend_optimization_level=0"
# Python writes the bytecode of bayesfit and the tests once (__pycache__/, git-ignored), for
# the ~30 Python processes of a run to read: both xdist workers, the notebook kernels, the
# Dask workers and the CLI subprocesses (an environment with PYTHONDONTWRITEBYTECODE set, as
# on this project's machines, would have each of them compile every module again: pytest's
# collection 6.7 -> 5.1 s of CPU per worker, importing every bayesfit module 4.1 -> 2.5 s).
unset PYTHONDONTWRITEBYTECODE
# --dist loadfile: a test module runs on one worker, so its module fixtures and cached fits
# (the KCu4P3O12 study fits 3 x minutes) are built once, not once per worker;
# --no-loadscope-reorder: files are handed out longest first (tests/conftest.py), not by
# their number of tests, so no long file is left for last while the other worker idles
.venv/bin/python -m pytest -q -p no:cacheprovider -n "${BAYESFIT_TEST_WORKERS:-2}" --dist loadfile --no-loadscope-reorder --durations=20 "$@"
rc=$?
echo "test suite: $(( $(date +%s) - start )) s, exit code $rc"
# pytest exit code 5 means no tests were collected: that is a failure here, not a pass
if [ "$rc" -eq 5 ]; then echo "no tests were collected" >&2; exit 1; fi
exit "$rc"

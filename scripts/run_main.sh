#!/usr/bin/env bash
# Set up, then run the main job: the D-NIT2 diradical (real measured chi*T, data/dnit2/),
# a dimer spin Hamiltonian with its noise level estimated. Another model file may be given.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/bayesfit fit "${1:-models/dnit2.toml}"

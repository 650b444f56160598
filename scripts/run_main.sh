#!/usr/bin/env bash
# Set up, then run the main job: the KCu4P3O12 spin-Hamiltonian study on the shipped data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
MODEL="${1:-models/kcu4p3o12.toml}"
[ -f "$MODEL" ] || MODEL=models/examples/relaxation.toml
exec .venv/bin/bayesfit fit "$MODEL"

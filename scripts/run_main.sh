#!/usr/bin/env bash
# Set up, then run the main job: the KCu4P3O12 study (8-spin cluster, chi(T) and M(B) at three
# temperatures, data/kcu4p3o12/; 5-12 min on 2 cores with set-up: the fit 426-550 s on
# 2026-12-01, ~290 s on 2026-12-07, from fresh clones). Another model file may be given.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/bayesfit fit "${1:-models/kcu4p3o12.toml}"

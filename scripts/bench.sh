#!/usr/bin/env bash
# Set up DoseCalc in .venv (as scripts/run.sh does) and run every benchmark: bench/results.json and the
# figures table in bench/README.md. Arguments go to bench/run.py (--quick, --only NAME..., --json, --readme).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/_venv.sh"
ensure_venv "$root/.venv" ""
cd "$root"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
exec "$root/.venv/bin/python" bench/run.py "$@"

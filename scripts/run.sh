#!/usr/bin/env bash
# Set up DoseCalc in .venv (the core with its dependencies, PySide6-Essentials among them) and open
# the workstation window. Arguments are passed to `dosecalc-app` (e.g. --db URL, or screenshot FILE.png).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/_venv.sh"
ensure_venv "$root/.venv" ""
exec "$root/.venv/bin/dosecalc-app" "$@"

#!/usr/bin/env bash
# Set up DoseCalc in .venv and run it. Until the workstation window exists this prints the
# worked demonstration order from the calculation core; arguments are passed to `dosecalc`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/_venv.sh"
# The command-line core needs no Qt; the workstation window will add the "gui" extra here.
ensure_venv "$root/.venv" ""
if [[ $# -eq 0 ]]; then
    set -- demo
fi
exec "$root/.venv/bin/dosecalc" "$@"

#!/usr/bin/env bash
# Set up a test environment in .venv-test and run every check: lint, format, types, the import
# contract, and the whole test suite (unit, property, doctest, command-line) with the coverage gate.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/_venv.sh"
venv="$root/.venv-test"
ensure_venv "$venv" "dev"
cd "$root"
export QT_QPA_PLATFORM=offscreen
echo "== ruff (lint and format)"
"$venv/bin/ruff" check .
"$venv/bin/ruff" format --check .
echo "== mypy (strict on dosecalc/)"
"$venv/bin/mypy"
echo "== import contract (dosecalc never imports Qt or ui)"
"$venv/bin/lint-imports"
echo "== pytest"
"$venv/bin/python" -m pytest --cov --cov-report=term "$@"

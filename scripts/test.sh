#!/usr/bin/env bash
# Set up a test environment in .venv-test and run every check: lint, format, types, the import
# contract, and the whole test suite (unit, property, doctest, command-line) with the coverage gate;
# in CI also the frozen ward PC bundle (see the end).
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
# The ward PC bundle: build it from the lock files and check it frozen, as installed and with the Windows
# installer script (packaging/README.md). Minutes, so only in CI (.ci/run sets DOSECALC_BUNDLE=1) or when
# asked with DOSECALC_BUNDLE=1, never for a targeted run (arguments given); DOSECALC_SKIP_BUNDLE=1 skips it.
if [[ $# -eq 0 && "${DOSECALC_SKIP_BUNDLE:-}" != 1 && ("${DOSECALC_BUNDLE:-}" == 1 || "${CI:-}" == true) ]]; then
    echo "== bundle (packaging/build-linux.sh, packaging/check-linux.sh)"
    started=$SECONDS
    ./packaging/build-linux.sh
    ./packaging/check-linux.sh
    echo "bundle step: $((SECONDS - started)) s"
fi

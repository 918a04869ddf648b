#!/usr/bin/env bash
# Update the translation source from the code, then compile it (both are committed):
#   ui/translations/dosecalc_zh_CN.ts  ← pyside6-lupdate over ui/ (new messages come in unfinished)
#   ui/translations/dosecalc_zh_CN.qm  ← pyside6-lrelease
# Translate new messages in Qt Linguist (pyside6-linguist) or in the .ts itself, then run this again.
# tests/ui/test_translations.py fails while a message is unfinished or the .qm is older than the .ts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${VENV:-$root/.venv-test}/bin"
cd "$root"
mapfile -t sources < <(git ls-files 'ui/*.py' 'ui/**/*.py'; git ls-files --others --exclude-standard 'ui/*.py' 'ui/**/*.py')
"$bin/pyside6-lupdate" -no-obsolete -locations none "${sources[@]}" -ts ui/translations/dosecalc_zh_CN.ts
"$bin/pyside6-lrelease" -silent ui/translations/dosecalc_zh_CN.ts -qm ui/translations/dosecalc_zh_CN.qm

#!/usr/bin/env bash
# Download every wheel the Windows build needs into wheelhouse/ (on any machine with network and pip,
# Linux included), checked against the hashes in the lock files. Copy the repository with wheelhouse/
# to the Windows build machine, which then needs no network (packaging/windows/build-windows.ps1).
#
#   packaging/windows/make-wheelhouse.sh [DIR]     (default DIR: wheelhouse)
#
# Windows-only dependencies (colorama, tzdata) are named in the lock itself (packaging/lock.sh), because
# pip download for another platform cannot evaluate their markers for it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="${1:-$root/wheelhouse}"
python="${PYTHON:-python3}"
"$python" -m pip download --disable-pip-version-check --quiet --no-deps --require-hashes \
    --platform win_amd64 --python-version 3.11 --implementation cp --abi cp311 --only-binary=:all: \
    -r "$root/packaging/requirements-win.lock" -r "$root/packaging/build-win.lock" -d "$target"
echo "wheelhouse: $target ($(ls "$target"/*.whl | wc -l) wheels, $(du -sh "$target" | cut -f1))"

# Shared by run.sh and test.sh: create (or refresh) a virtual environment and install DoseCalc into it.
# Usage: ensure_venv DIR EXTRAS   (EXTRAS: comma-separated optional-dependency groups, or empty)
set -euo pipefail

find_python() {
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "DoseCalc needs Python 3.11 or newer; none was found on PATH." >&2
    return 1
}

ensure_venv() {
    local dir="$1" extras="$2" root stamp want
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    stamp="$dir/.dosecalc-installed"
    want="$(cat "$root/pyproject.toml" | sha256sum | cut -d' ' -f1) $extras"
    if [[ ! -x "$dir/bin/python" ]]; then
        "$(find_python)" -m venv "$dir"
    fi
    if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
        "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
        if [[ -n "$extras" ]]; then
            "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -e "$root[$extras]"
        else
            "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -e "$root"
        fi
        echo "$want" >"$stamp"
    fi
}

#!/usr/bin/env bash
# Build the Linux bundle and its Debian package from the lock files:
#   dist/dosecalc/                        the one-folder bundle (Python, Qt and the app; runs without Python)
#   dist/dosecalc_VERSION_amd64.deb       installs it under /opt/dosecalc, no network needed
#
#   packaging/build-linux.sh [--no-deb]
#
# Needs CPython 3.11 with its shared library (python3.11 on PATH, or PYTHON=...), binutils (objdump,
# used by PyInstaller) and dpkg-deb; network access (or a pip cache) only to fetch the locked wheels.
# The build environment is made afresh in .venv-bundle from packaging/requirements-linux.lock and
# packaging/build-linux.lock with --require-hashes: nothing unpinned or unverified goes in.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3.11}"
venv="$root/.venv-bundle"
dist="$root/dist"
work="$root/build/pyinstaller"
make_deb=1
[[ "${1:-}" == "--no-deb" ]] && make_deb=0

for tool in "$python" objdump; do
    command -v "$tool" >/dev/null || { echo "build-linux: $tool is missing (objdump: Debian package binutils)" >&2; exit 2; }
done
"$python" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' ||
    { echo "build-linux: the lock files are for CPython 3.11; $python is not" >&2; exit 2; }

# Reproducible where it can be: fixed hash seed, file times from the last commit.
export PYTHONHASHSEED=0
SOURCE_DATE_EPOCH="$(git log -1 --format=%ct 2>/dev/null || date +%s)"
export SOURCE_DATE_EPOCH

echo "== build environment (.venv-bundle) from the lock files"
"$python" -m venv --clear "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check --quiet)
"${pip[@]}" install --require-hashes --no-deps -r packaging/requirements-linux.lock -r packaging/build-linux.lock
# The app itself without dependencies, then pip check: the lock must satisfy every range in pyproject.toml.
"${pip[@]}" install --no-deps --no-build-isolation "$root"
"$venv/bin/python" -m pip check

echo "== PyInstaller (one folder)"
rm -rf "$dist/dosecalc" "$work"
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN --distpath "$dist" --workpath "$work" \
    packaging/dosecalc.spec
# The site folder: the ward's settings and regimens beside the programs (see packaging/site/README.txt).
cp -r packaging/site "$dist/dosecalc/site"
mkdir -p "$dist/dosecalc/site/regimens"
version="$("$venv/bin/python" -c 'import dosecalc; print(dosecalc.__version__)')"
echo "bundle: $dist/dosecalc ($(du -sh --apparent-size "$dist/dosecalc" | cut -f1), version $version)"

[[ "$make_deb" == 1 ]] || exit 0
echo "== Debian package"
command -v dpkg-deb >/dev/null || { echo "build-linux: dpkg-deb is missing" >&2; exit 2; }
stage="$root/build/deb"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" "$stage/etc/opt"
cp -a "$dist/dosecalc" "$stage/opt/dosecalc"
# Site settings live in /etc/opt/dosecalc (FHS: configuration of an /opt package), where dpkg keeps the
# administrator's edits across upgrades (conffiles); /opt/dosecalc/site points there, so the app finds
# its site folder beside the programs on Linux as on Windows.
# The link is relative so that the package also works unpacked under another root (dpkg-deb -x, the tests).
mv "$stage/opt/dosecalc/site" "$stage/etc/opt/dosecalc"
ln -s ../../etc/opt/dosecalc "$stage/opt/dosecalc/site"
ln -s /opt/dosecalc/dosecalc "$stage/usr/bin/dosecalc"
ln -s /opt/dosecalc/dosecalc-app "$stage/usr/bin/dosecalc-app"
install -m 0644 packaging/linux/dosecalc.desktop "$stage/usr/share/applications/dosecalc.desktop"
(cd "$stage/etc/opt/dosecalc" && find . -type f -printf '/etc/opt/dosecalc/%P\n' | sort) >"$stage/DEBIAN/conffiles"
installed_kb="$(du -sk --apparent-size "$stage" --exclude=DEBIAN | cut -f1)"
# The libraries Qt needs from the system (OpenGL/EGL, xcb, Wayland) are in packaging/linux/control; the
# rest is bundled. The bundled binaries need the glibc they were built against, or newer: say which.
glibc="$(find "$dist/dosecalc" -type f \( -name '*.so*' -o -name dosecalc -o -name dosecalc-app \) -exec objdump -T {} + 2>/dev/null |
    grep -oE 'GLIBC_2\.[0-9]+' | sort -t. -k2,2n -u | tail -1 | cut -d_ -f2)"
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$installed_kb/" -e "s/@GLIBC@/$glibc/" \
    packaging/linux/control >"$stage/DEBIAN/control"
# Ordinary users read, only root writes: directories 0755, files 0644, programs and libraries as built.
find "$stage" -type d -exec chmod 0755 {} +
find "$stage/etc" "$stage/usr/share" "$stage/DEBIAN" -type f -exec chmod 0644 {} +
chmod -R go-w "$stage/opt"
deb="$dist/dosecalc_${version}_amd64.deb"
# gzip: every dpkg reads it (zstd needs dpkg 1.21.18), and it packs in seconds where xz takes minutes.
dpkg-deb --root-owner-group -Zgzip -z6 --build "$stage" "$deb" >/dev/null
echo "package: $deb ($(du -h "$deb" | cut -f1))"

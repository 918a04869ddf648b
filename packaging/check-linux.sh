#!/usr/bin/env bash
# Check the built Linux bundle and package (packaging/build-linux.sh) the way a ward PC would use them:
# with no virtual environment, no Python on the path that matters, no display and a fresh home folder.
#
#   packaging/check-linux.sh
#
# 1. The bundle: dosecalc-app --self-test and dosecalc --version and a carboplatin dose (the hand-worked
#    489.9 mg of tests/dosecalc/test_order.py), under env -i.
# 2. The .deb: its metadata, that everything in it is root's and not writable by others, then unpacked
#    under a temporary root (not installed on this machine) with a site file and a site regimen, and
#    the installed self-test run through a link as /usr/bin/dosecalc-app is, reading that site folder.
# 3. The Windows installer script compiles with makensis, with the Linux bundle as its payload.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bundle="$root/dist/dosecalc"
version="$(grep -oP '^__version__ = "\K[^"]+' dosecalc/__init__.py)"
deb="$root/dist/dosecalc_${version}_amd64.deb"
scratch="$(mktemp -d /tmp/dosecalc-check.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
fail() { echo "check-linux: $*" >&2; exit 1; }

clean() {  # run a command as on a ward PC: nothing of this shell's environment
    mkdir -p "$scratch/home"
    env -i PATH=/usr/bin:/bin HOME="$scratch/home" LANG=C.UTF-8 "$@"
}

echo "== the bundle, in a clean environment"
[[ -x "$bundle/dosecalc-app" && -x "$bundle/dosecalc" ]] || fail "no bundle in $bundle: run packaging/build-linux.sh"
clean "$bundle/dosecalc-app" --self-test
# A home folder that cannot be made or written, even by root (a locked-down PC): pint works without its cache.
env -i PATH=/usr/bin:/bin HOME=/proc/dosecalc-home LANG=C.UTF-8 "$bundle/dosecalc-app" --self-test >/dev/null ||
    fail "the self-test needs a writable home folder"
echo "ok    frozen self-test with an unwritable home folder"
[[ "$(clean "$bundle/dosecalc" --version)" == "dosecalc $version" ]] || fail "dosecalc --version is not $version"
dose="$(clean "$bundle/dosecalc" carboplatin --auc 5 --age 64 --sex male --weight "61 kg" --creatinine "78 µmol/L")"
grep -qx "Carboplatin dose: 489.9 mg" <<<"$dose" || fail "frozen dosecalc carboplatin: expected 489.9 mg, got: $(head -1 <<<"$dose")"
echo "ok    frozen dosecalc: --version $version, carboplatin AUC 5 = 489.9 mg"
ls "$bundle"/_internal/dosecalc/store/migrations/versions/0001_*.py >/dev/null || fail "the migrations are not bundled"

echo "== the Debian package"
[[ -f "$deb" ]] || fail "no package $deb"
info="$(dpkg-deb --info "$deb")"
grep -q "Package: dosecalc" <<<"$info" || fail "package name"
grep -q "Version: $version" <<<"$info" || fail "package version"
[[ "$(dpkg-deb --field "$deb" Architecture)" == "amd64" ]] || fail "architecture"
grep -qE "^ Depends: libc6 \(>= 2\.[0-9]+\), " <<<"$info" || fail "Depends does not name the glibc the bundle needs"
listing="$(dpkg-deb --contents "$deb")"
# Ownership and modes: root only, nothing writable by group or others (ordinary users read the site files).
awk '$2 != "root/root" { print "not root-owned: " $0; bad = 1 } END { exit bad }' <<<"$listing" || fail "ownership"
awk 'substr($1, 1, 1) != "l" && (substr($1, 6, 1) == "w" || substr($1, 9, 1) == "w") { print; bad = 1 } END { exit bad }' \
    <<<"$listing" || fail "files writable by group or others"
grep -qE '^-rw-r--r-- .* \./etc/opt/dosecalc/site\.json$' <<<"$listing" || fail "site.json is not 0644 in /etc/opt/dosecalc"
grep -q '^/etc/opt/dosecalc/site.json$' < <(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles) || fail "site.json is not a conffile"
for link in "./usr/bin/dosecalc -> /opt/dosecalc/dosecalc" "./usr/bin/dosecalc-app -> /opt/dosecalc/dosecalc-app" \
    "./opt/dosecalc/site -> ../../etc/opt/dosecalc"; do
    grep -qF "$link" <<<"$listing" || fail "missing link $link"
done
grep -q '\./usr/share/applications/dosecalc.desktop$' <<<"$listing" || fail "no desktop entry"
echo "ok    package: $(dpkg-deb --field "$deb" Package) $version, $(du -h "$deb" | cut -f1), root-owned, site.json conffile 0644"

target="$scratch/root"
dpkg-deb -x "$deb" "$target"
cat >"$target/etc/opt/dosecalc/site.json" <<'EOF'
{"schema_version": 1, "closures": "none", "contact_number": "+86 25 8328 4700"}
EOF
sed 's/^version = "1.0.0"/version = "1.0.1"/' regimens/escc-nct07016737.toml >"$target/etc/opt/dosecalc/regimens/ward.toml"
mkdir -p "$scratch/usr/bin"
ln -s "$target/opt/dosecalc/dosecalc-app" "$scratch/usr/bin/dosecalc-app"  # as /usr/bin/dosecalc-app is
report="$(clean "$scratch/usr/bin/dosecalc-app" --self-test)" || { echo "$report"; fail "installed self-test failed"; }
echo "$report"
grep -q "^ok    site: settings $target/opt/dosecalc/site/site.json (present; closures, contact_number)" <<<"$report" ||
    fail "the installed app did not read its site settings"
grep -q "site regimens $target/opt/dosecalc/site/regimens$" <<<"$report" || fail "the installed app did not find site/regimens"

echo "== the Windows installer script (makensis, the Linux bundle as payload)"
command -v makensis >/dev/null || fail "makensis is missing (Debian package nsis)"
makensis -V2 -DFAST=1 -DPAYLOAD="$bundle" -DVERSION="$version" -DOUTFILE="$scratch/DoseCalc-setup.exe" \
    packaging/windows/dosecalc.nsi
[[ -s "$scratch/DoseCalc-setup.exe" ]] || fail "makensis wrote no installer"
echo "ok    packaging/windows/dosecalc.nsi compiles ($(du -h "$scratch/DoseCalc-setup.exe" | cut -f1) uncompressed)"
echo "bundle size: $(du -sh --apparent-size "$bundle" | cut -f1) unpacked"

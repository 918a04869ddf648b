# Build the Windows installer on a Windows 10/11 x64 build machine, offline, from the wheelhouse.
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build-windows.ps1 [-Wheelhouse wheelhouse] [-Python "py -3.11"]
#
# Needs: CPython 3.11 x64 (python.org installer; "py -3.11" finds it), NSIS 3 (makensis on PATH or in
# C:\Program Files (x86)\NSIS), and wheelhouse\ made by packaging/windows/make-wheelhouse.sh on any machine
# with network. Produces dist\dosecalc\ (the bundle, self-tested) and dist\DoseCalc-VERSION-setup.exe.
param(
    [string]$Wheelhouse = "wheelhouse",
    [string]$Python = "py -3.11"
)
$ErrorActionPreference = "Stop"
$root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $root
$env:PYTHONHASHSEED = "0"

function Invoke-Checked([string]$what, [scriptblock]$command) {
    & $command
    if ($LASTEXITCODE -ne 0) { throw "build-windows: $what failed (exit $LASTEXITCODE)" }
}

if (-not (Test-Path (Join-Path $Wheelhouse "*.whl"))) {
    throw "build-windows: no wheels in $Wheelhouse; make them with packaging/windows/make-wheelhouse.sh"
}
$pythonExe = ($Python -split " ")[0]
$pythonArgs = @($Python -split " " | Select-Object -Skip 1)
$version = & $pythonExe @pythonArgs -c "import sys; print('%d.%d' % sys.version_info[:2])"
if ($version -ne "3.11") { throw "build-windows: the lock files are for CPython 3.11; $Python is $version" }

Write-Host "== build environment (.venv-bundle) from the wheelhouse, offline"
Invoke-Checked "venv" { & $pythonExe @pythonArgs -m venv --clear .venv-bundle }
$venvPython = Join-Path $root ".venv-bundle\Scripts\python.exe"
$pip = @("-m", "pip", "--disable-pip-version-check", "--quiet")
Invoke-Checked "pip install (locked)" {
    & $venvPython @pip install --no-index --find-links $Wheelhouse --require-hashes --no-deps `
        -r packaging\requirements-win.lock -r packaging\build-win.lock
}
Invoke-Checked "pip install (the app)" { & $venvPython @pip install --no-index --no-deps --no-build-isolation . }
Invoke-Checked "pip check" { & $venvPython -m pip check }

Write-Host "== PyInstaller (one folder)"
if (Test-Path dist\dosecalc) { Remove-Item -Recurse -Force dist\dosecalc }
Invoke-Checked "PyInstaller" {
    & $venvPython -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller `
        packaging\dosecalc.spec
}
Copy-Item -Recurse packaging\site dist\dosecalc\site
New-Item -ItemType Directory -Force dist\dosecalc\site\regimens | Out-Null
$appVersion = & $venvPython -c "import dosecalc; print(dosecalc.__version__)"

Write-Host "== self-test of the bundle"
# dosecalc-app.exe is a window program: Start-Process waits for it and collects what it prints.
$report = Join-Path $env:TEMP "dosecalc-self-test.txt"
$test = Start-Process -FilePath dist\dosecalc\dosecalc-app.exe -ArgumentList "--self-test" -Wait -PassThru `
    -NoNewWindow -RedirectStandardOutput $report
Get-Content $report | Write-Host
if ($test.ExitCode -ne 0) { throw "build-windows: the bundle's self-test failed (exit $($test.ExitCode))" }
Invoke-Checked "dosecalc --version" { & dist\dosecalc\dosecalc.exe --version }

Write-Host "== installer (NSIS)"
$makensis = (Get-Command makensis -ErrorAction SilentlyContinue).Source
if (-not $makensis) { $makensis = "${env:ProgramFiles(x86)}\NSIS\makensis.exe" }
if (-not (Test-Path $makensis)) { throw "build-windows: makensis not found; install NSIS 3" }
$setup = "dist\DoseCalc-$appVersion-setup.exe"
Invoke-Checked "makensis" {
    & $makensis /V2 "/DPAYLOAD=$root\dist\dosecalc" "/DVERSION=$appVersion" "/DOUTFILE=$root\$setup" `
        packaging\windows\dosecalc.nsi
}
$size = "{0:N0} MB" -f ((Get-Item $setup).Length / 1MB)
Write-Host "installer: $setup ($size)"

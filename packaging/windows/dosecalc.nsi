; DoseCalc installer for Windows ward PCs: per-machine, offline, with an uninstaller.
;
;   makensis /DPAYLOAD=dist\dosecalc /DVERSION=0.1.0 /DOUTFILE=dist\DoseCalc-0.1.0-setup.exe packaging\windows\dosecalc.nsi
;
; PAYLOAD is the PyInstaller one-folder bundle (packaging/dosecalc.spec) with its site\ folder.
; /DFAST=1 stores the files uncompressed (CI compiles the script that way, to check it, in seconds).
;
; What it does:
; - installs into C:\Program Files\DoseCalc for every user of the PC (administrator rights asked once);
; - keeps an existing site\site.json and site\regimens\ (the ward's settings survive an upgrade);
; - makes site\ writable by Administrators and SYSTEM only, readable by Users (by SID, so that it also
;   works on a Chinese Windows where the groups have Chinese names);
; - adds DoseCalc to the Start menu of all users, and to Apps & features with its uninstaller;
; - runs "dosecalc-app.exe --self-test" and shows the result in the details list (a failure is reported,
;   the installed files stay, so that IT can read the reason);
; - needs no network, and the installed programs never use it (except a PostgreSQL server the site names).

Unicode true
ManifestDPIAware true
RequestExecutionLevel admin

!ifndef PAYLOAD
  !error "Give the bundle folder: /DPAYLOAD=dist\dosecalc"
!endif
!ifndef VERSION
  !error "Give the version: /DVERSION=0.1.0"
!endif
!ifndef OUTFILE
  !define OUTFILE "DoseCalc-${VERSION}-setup.exe"
!endif
!ifdef FAST
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!define APP "DoseCalc"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\DoseCalc"
; SIDs of the built-in groups (names differ by language): Administrators, SYSTEM, Users.
!define ADMINISTRATORS "*S-1-5-32-544"
!define SYSTEM "*S-1-5-18"
!define USERS "*S-1-5-32-545"

!include "MUI2.nsh"
!include "x64.nsh"
!include "LogicLib.nsh"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${APP}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP} installer: chemotherapy dose and schedule calculator"
VIAddVersionKey /LANG=1033 "LegalCopyright" "${APP} maintainers"

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\dosecalc-app.exe"
!define MUI_FINISHPAGE_RUN_NOTCHECKED
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP} needs 64-bit Windows (Windows 10 or 11)."
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "DoseCalc" SecMain
  SectionIn RO
  ; An upgrade replaces the programs entirely: no file of an older version is left to be loaded.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r /x site "${PAYLOAD}\*"

  ; The ward's files: created on the first installation, never overwritten by an upgrade.
  SetOutPath "$INSTDIR\site"
  SetOverwrite off
  File "${PAYLOAD}\site\site.json"
  SetOverwrite on
  File "${PAYLOAD}\site\README.txt"
  CreateDirectory "$INSTDIR\site\regimens"
  DetailPrint "Site folder: only Administrators can change $INSTDIR\site"
  nsExec::ExecToLog 'icacls "$INSTDIR\site" /inheritance:r /grant:r ${ADMINISTRATORS}:(OI)(CI)F ${SYSTEM}:(OI)(CI)F ${USERS}:(OI)(CI)RX /T /C /Q'
  Pop $0
  ${If} $0 != 0
    MessageBox MB_ICONEXCLAMATION "Could not set the permissions of $INSTDIR\site (icacls exit $0). Check that ordinary users cannot change it."
  ${EndIf}

  SetOutPath "$INSTDIR"
  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\dosecalc-app.exe" "" "$INSTDIR\dosecalc-app.exe" 0

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${APP} maintainers"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\dosecalc-app.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1

  DetailPrint "Self-test: dosecalc-app.exe --self-test"
  nsExec::ExecToLog '"$INSTDIR\dosecalc-app.exe" --self-test'
  Pop $0
  ${If} $0 != 0
    MessageBox MB_ICONEXCLAMATION "The DoseCalc self-test failed (exit $0): see the lines marked FAIL in the details. Do not use DoseCalc on this PC until it passes."
  ${EndIf}
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\dosecalc-app.exe"
  Delete "$INSTDIR\dosecalc.exe"
  Delete "$INSTDIR\uninstall.exe"
  ; The site folder holds the ward's settings and regimens: it stays, for a reinstallation or for IT.
  DetailPrint "Kept: $INSTDIR\site (the ward's settings and regimens; delete it by hand if no longer needed)"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd

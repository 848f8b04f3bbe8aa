; Switchboard's additions to electron-builder's NSIS installer.
;
; The finish page gets a second box, "Start Switchboard when I sign in to Windows". It does not
; write the Run key itself: the installer runs elevated, possibly as another account, so it
; launches the app as the signed-in user with --enable-start-at-login, and the app registers its
; own login item exactly as its tray checkbox does (electron/start-at-login.ts). If "Run" is also
; ticked, the two launches meet in the app's single-instance lock and both wishes are honoured.

!macro customFinishPage
  Function StartApp
    ${if} ${isUpdated}
      StrCpy $1 "--updated"
    ${else}
      StrCpy $1 ""
    ${endif}
    ${StdUtils.ExecShellAsUser} $0 "$launchLink" "open" "$1"
  FunctionEnd

  Function EnableStartAtLogin
    ${StdUtils.ExecShellAsUser} $0 "$launchLink" "open" "--enable-start-at-login"
  FunctionEnd

  !define MUI_FINISHPAGE_RUN
  !define MUI_FINISHPAGE_RUN_FUNCTION "StartApp"
  ; NSIS's spare "show readme" box, repurposed for the start-at-login option.
  !define MUI_FINISHPAGE_SHOWREADME
  !define MUI_FINISHPAGE_SHOWREADME_TEXT "Start Switchboard when I sign in to Windows"
  !define MUI_FINISHPAGE_SHOWREADME_FUNCTION "EnableStartAtLogin"
  !insertmacro MUI_PAGE_FINISH
!macroend

; The Run value the app writes is named "Switchboard" (LOGIN_ITEM_NAME). An update runs the old
; uninstaller too, and must keep the user's choice.
!macro customUnInstall
  ${ifNot} ${isUpdated}
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "Switchboard"
  ${endIf}
!macroend

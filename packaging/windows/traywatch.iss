; Inno Setup 6 script: a per-user installer (no administrator rights) of the Windows
; bundle, dist\traywatch\: traywatch.exe, the windowed tray app, and traywatch-cli.exe,
; a console program so that `traywatch-cli check` prints in a terminal.
; Built by `scripts/package installer`, which defines Version, AppId (the application
; ID, io.github.traywatch.Traywatch), Source (the bundle) and Icon (the .ico).

#ifndef Version
  #error Build with scripts/package installer
#endif

[Setup]
; Inno's own key for the uninstall entry; never change it between versions.
AppId={{6D1C2F0E-7B43-4C8E-9B61-3F2A5E9C1D47}
AppName=traywatch
AppVersion={#Version}
AppVerName=traywatch {#Version}
AppPublisher=The traywatch developers
AppPublisherURL=https://github.com/traywatch/traywatch
AppSupportURL=https://github.com/traywatch/traywatch/issues
DefaultDirName={autopf}\traywatch
DisableDirPage=auto
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputBaseFilename=traywatch-{#Version}-setup
SetupIconFile={#Icon}
UninstallDisplayIcon={app}\traywatch.exe
UninstallDisplayName=traywatch
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; closes a running traywatch before files are replaced or removed
CloseApplications=yes
ChangesEnvironment=yes

[Tasks]
Name: "startatlogin"; Description: "Start traywatch when I sign in"
Name: "addtopath"; Description: "Add traywatch-cli to my PATH (for terminals)"; Flags: unchecked

[Files]
Source: "{#Source}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; The same AppUserModelID as the running app sets, so that the taskbar and the
; notification centre treat the shortcut and the app as one.
Name: "{autoprograms}\traywatch"; Filename: "{app}\traywatch.exe"; AppUserModelID: "{#AppId}"

[Run]
; The app writes its own Run key entry (HKCU\...\Run\traywatch), as `autostart on` does.
Filename: "{app}\traywatch-cli.exe"; Parameters: "autostart on"; Flags: runhidden; Tasks: startatlogin
Filename: "{app}\traywatch.exe"; Description: "Start traywatch now"; Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "{app}\traywatch-cli.exe"; Parameters: "autostart off"; Flags: runhidden; RunOnceId: "AutostartOff"

[Registry]
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; \
  ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NotInPath(ExpandConstant('{app}'))

[Code]
function NotInPath(Dir: string): Boolean;
var
  Path: string;
begin
  if not RegQueryStringValue(HKCU, 'Environment', 'Path', Path) then
    Path := '';
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;

procedure CurUninstallStepChanged(Step: TUninstallStep);
var
  Path, Dir: string;
  At: Integer;
begin
  if Step <> usPostUninstall then
    exit;
  if not RegQueryStringValue(HKCU, 'Environment', 'Path', Path) then
    exit;
  Dir := ExpandConstant('{app}');
  At := Pos(';' + Uppercase(Dir), Uppercase(Path));
  if At > 0 then
  begin
    Delete(Path, At, Length(Dir) + 1);
    RegWriteExpandStringValue(HKCU, 'Environment', 'Path', Path);
  end;
end;

; Inno Setup script for desktopchat (Inno Setup 6.3+).
; Built by `python packaging/build.py --installer`, which passes the version (read from
; desktopchat/__init__.py, the one place it lives) and the paths as /D defines:
;   iscc /DAppVersion=<v> /DBundleDir=dist\desktopchat /DOutputDir=dist /DIconFile=<ico> desktopchat.iss
; Installs per user by default (no admin prompt); the dialog offers all users.

#ifndef AppVersion
  #error AppVersion is not defined: build with `python packaging\build.py --installer`
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\desktopchat"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef IconFile
  #define IconFile "..\..\resources\icons\desktopchat.ico"
#endif

[Setup]
AppId={{6F1D3C2A-8B4E-4F6A-9C1D-2E7B5A4C3D10}
AppName=DesktopChat
AppVersion={#AppVersion}
AppVerName=DesktopChat {#AppVersion}
AppPublisher=desktopchat developers
AppPublisherURL=https://github.com/desktopchat/desktopchat
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\DesktopChat
DefaultGroupName=DesktopChat
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=desktopchat-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\desktopchat.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\DesktopChat"; Filename: "{app}\desktopchat.exe"
Name: "{autodesktop}\DesktopChat"; Filename: "{app}\desktopchat.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\desktopchat.exe"; Description: "{cm:LaunchProgram,DesktopChat}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Anything written into the program folder after installation (settings and history live
; in %LOCALAPPDATA%\desktopchat and are kept; keys stay in Credential Manager).
Type: filesandordirs; Name: "{app}"

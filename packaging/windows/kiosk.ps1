<#
.SYNOPSIS
  Turns a Windows 10/11 Enterprise or Education PC into a CBT Station candidate kiosk.

.DESCRIPTION
  - creates a local standard user "cbt-kiosk" (no admin rights);
  - enables Shell Launcher v2 and sets cbt-client.exe as that user's shell; if the
    station exits, Shell Launcher restarts it (DefaultAction 0 = restart);
  - removes Task Manager, Lock, Switch user, Sign out and Change password from
    Ctrl+Alt+Del, and hides Ease of Access on the sign-in screen, by policy;
  - enables Keyboard Filter and blocks Alt+Tab, Alt+F4, Alt+Esc, Ctrl+Esc, the Windows
    key and Windows-key shortcuts for the kiosk user.
  Written against Microsoft's "Shell Launcher" and "Keyboard Filter" documentation
  (WESL_UserSetting, WEKF_PredefinedKey WMI classes). It cannot be tested on the
  project's Linux CI; run it on a test PC first. Run as Administrator, then reboot.

.PARAMETER StationExe
  Path of the installed station, e.g. C:\Program Files\CBT Station\cbt-client.exe
#>
param(
    [Parameter(Mandatory = $true)][string] $StationExe,
    [string] $ConfigPath = "C:\ProgramData\CBT Station\station.toml",
    [string] $KioskUser = "cbt-kiosk"
)
$ErrorActionPreference = "Stop"

# 1. The kiosk user (a random password: it signs in automatically, nobody types it).
$password = -join ((48..57 + 65..90 + 97..122) | Get-Random -Count 24 | ForEach-Object { [char]$_ })
$secure = ConvertTo-SecureString $password -AsPlainText -Force
if (-not (Get-LocalUser -Name $KioskUser -ErrorAction SilentlyContinue)) {
    New-LocalUser -Name $KioskUser -Password $secure -FullName "CBT Station" `
        -Description "Candidate kiosk" -PasswordNeverExpires -UserMayNotChangePassword | Out-Null
}
$winlogon = "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon"
Set-ItemProperty $winlogon AutoAdminLogon "1"
Set-ItemProperty $winlogon DefaultUserName $KioskUser
Set-ItemProperty $winlogon DefaultPassword $password

# 2. Shell Launcher v2: the station is the kiosk user's shell; explorer stays for admins.
Enable-WindowsOptionalFeature -Online -FeatureName Client-EmbeddedShellLauncher -NoRestart | Out-Null
$launcher = [wmiclass]"\\.\root\standardcimv2\embedded:WESL_UserSetting"
$sid = (New-Object System.Security.Principal.NTAccount($KioskUser)).Translate(
    [System.Security.Principal.SecurityIdentifier]).Value
$shell = "`"$StationExe`" --config `"$ConfigPath`""
# Restart the shell whenever it exits (0); for the default (admins), run explorer.
$launcher.SetCustomShell($sid, $shell, ($null), ($null), 0) | Out-Null
$launcher.SetDefaultShell("explorer.exe", 0) | Out-Null
$launcher.SetEnabled($true) | Out-Null

# 3. Ctrl+Alt+Del and the sign-in screen, by policy (applies to every user; admins use
#    a separate maintenance image or remove these values).
$system = "HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System"
New-Item -Path $system -Force | Out-Null
Set-ItemProperty $system DisableTaskMgr 1 -Type DWord
Set-ItemProperty $system DisableLockWorkstation 1 -Type DWord
Set-ItemProperty $system HideFastUserSwitching 1 -Type DWord
Set-ItemProperty $system DisableChangePassword 1 -Type DWord
$explorer = "HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\Explorer"
New-Item -Path $explorer -Force | Out-Null
Set-ItemProperty $explorer NoLogoff 1 -Type DWord
# Ease of Access on the sign-in screen starts tools (e.g. the on-screen keyboard,
# narrator) that can reach other programs: hide it.
$utilman = "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options\utilman.exe"
New-Item -Path $utilman -Force | Out-Null
Set-ItemProperty $utilman Debugger "%SystemRoot%\System32\rundll32.exe" -Type String

# 4. Keyboard Filter: block the shortcuts that leave an application.
Enable-WindowsOptionalFeature -Online -FeatureName Client-KeyboardFilter -NoRestart | Out-Null
$keys = "Alt+Tab", "Alt+F4", "Alt+Esc", "Ctrl+Esc", "Win+L", "Win+D", "Win+E", "Win+R",
        "Win+Tab", "LWin", "RWin", "Ctrl+Shift+Esc", "Win+X", "Win+I", "Win+A", "Win+S"
foreach ($id in $keys) {
    $predefined = Get-CimInstance -Namespace root\standardcimv2\embedded `
        -ClassName WEKF_PredefinedKey -Filter "Id='$id'" -ErrorAction SilentlyContinue
    if ($predefined) {
        $predefined | Set-CimInstance -Property @{ Enabled = $true } | Out-Null
    } else {
        Write-Warning "Keyboard Filter has no predefined key '$id' on this edition"
    }
}
# Keyboard Filter must not apply to administrators, so IT can still service the PC.
$settings = Get-CimInstance -Namespace root\standardcimv2\embedded -ClassName WEKF_Settings
$settings | Where-Object Name -eq "DisableKeyboardFilterForAdministrators" |
    Set-CimInstance -Property @{ Value = "true" } | Out-Null

Write-Host "CBT Station kiosk configured for user $KioskUser. Reboot to start it."

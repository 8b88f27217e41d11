<#
.SYNOPSIS
  Turns a Windows 10/11 Enterprise or Education PC into a CBT Station candidate kiosk.

.DESCRIPTION
  - creates a local standard user "cbt-kiosk" (no admin rights);
  - enables Shell Launcher v2 and sets cbt-client.exe as that user's shell; if the
    station exits, Shell Launcher restarts it (DefaultAction 0 = restart);
  - removes Task Manager, Lock, Sign out and Change password from Ctrl+Alt+Del for the
    kiosk user (user policies written into that user's own registry hive, so
    administrators keep them), and Switch user for everyone (a machine policy);
  - hides the Ease of Access button on the sign-in screen with Custom Logon
    (EmbeddedLogon BrandingNeutral, bit 8);
  - enables Keyboard Filter and blocks Alt+Tab, Alt+F4, Alt+Esc, Ctrl+Esc, the Windows
    key and Windows-key shortcuts for the kiosk user;
  - records the kiosk user under HKLM\SOFTWARE\CBT Station, where the station looks
    when it checks that it runs as that user's Shell Launcher shell.
  Written against Microsoft's "Shell Launcher", "Custom Logon" and "Keyboard Filter"
  documentation (WESL_UserSetting, WEKF_PredefinedKey WMI classes). It has NOT been
  run on a real Windows machine by the project (there is no Windows CI); try it on
  one test PC first. Run as Administrator, then reboot.

.PARAMETER StationExe
  Path of the installed station, e.g. C:\Program Files\CBT Station\cbt-client.exe
#>
param(
    [Parameter(Mandatory = $true)][string] $StationExe,
    [string] $ConfigPath = "C:\ProgramData\CBT Station\station.toml",
    [string] $KioskUser = "cbt-kiosk"
)
$ErrorActionPreference = "Stop"

# New-Item -Force on a registry key that exists empties it, so only create missing keys.
function Set-RegistryValue([string] $Path, [string] $Name, $Value, [string] $Type = "DWord") {
    if (-not (Test-Path $Path)) { New-Item -Path $Path -Force | Out-Null }
    New-ItemProperty -Path $Path -Name $Name -Value $Value -PropertyType $Type -Force | Out-Null
}

# 1. The kiosk user (a random password: it signs in automatically, nobody types it).
$password = -join ((48..57 + 65..90 + 97..122) | Get-Random -Count 24 | ForEach-Object { [char]$_ })
$secure = ConvertTo-SecureString $password -AsPlainText -Force
if (-not (Get-LocalUser -Name $KioskUser -ErrorAction SilentlyContinue)) {
    New-LocalUser -Name $KioskUser -Password $secure -FullName "CBT Station" `
        -Description "Candidate kiosk" -PasswordNeverExpires -UserMayNotChangePassword | Out-Null
} else {
    Set-LocalUser -Name $KioskUser -Password $secure  # the same password as autologon's below
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

# 3. Ctrl+Alt+Del and the sign-in screen.
# Switch user is a machine policy; it stays in HKLM.
$system = "HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System"
Set-RegistryValue $system HideFastUserSwitching 1
# Task Manager, Lock, Sign out and Change password are user policies: they go into the
# kiosk user's hive (HKCU when that user is signed in), not HKLM, so they bind the kiosk
# user only. Earlier versions of this script set them in HKLM for everyone: undo that.
foreach ($name in "DisableTaskMgr", "DisableLockWorkstation", "DisableChangePassword") {
    Remove-ItemProperty $system -Name $name -ErrorAction SilentlyContinue
}
Remove-ItemProperty "HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\Explorer" `
    -Name NoLogoff -ErrorAction SilentlyContinue

# A new user has no profile, and so no hive, until it first signs in: create it now.
Add-Type -Namespace CbtStation -Name UserEnv -MemberDefinition @'
[DllImport("userenv.dll", CharSet = CharSet.Unicode)]
public static extern int CreateProfile(string pszUserSid, string pszUserName,
    System.Text.StringBuilder pszProfilePath, uint cchProfilePath);
'@
$created = New-Object System.Text.StringBuilder 260
$hr = [CbtStation.UserEnv]::CreateProfile($sid, $KioskUser, $created, 260)
if ($hr -ne 0 -and $hr -ne -2147024713) {  # -2147024713 = 0x800700B7: it already exists
    throw ("CreateProfile for {0} failed: 0x{1:X8}" -f $KioskUser, $hr)
}
$profileDir = [Environment]::ExpandEnvironmentVariables((Get-ItemProperty `
    "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList\$sid").ProfileImagePath)

$loaded = Test-Path "Registry::HKEY_USERS\$sid"   # the kiosk user is signed in now
$hive = if ($loaded) { $sid } else { "CBT-Station-Kiosk" }
if (-not $loaded) {
    & reg.exe load "HKU\$hive" (Join-Path $profileDir "NTUSER.DAT") | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "reg load of $KioskUser's NTUSER.DAT failed" }
}
try {
    $policies = "Registry::HKEY_USERS\$hive\Software\Microsoft\Windows\CurrentVersion\Policies"
    Set-RegistryValue "$policies\System" DisableTaskMgr 1
    Set-RegistryValue "$policies\System" DisableLockWorkstation 1
    Set-RegistryValue "$policies\System" DisableChangePassword 1
    Set-RegistryValue "$policies\Explorer" NoLogoff 1
} finally {
    if (-not $loaded) {
        # reg unload fails while PowerShell still holds a handle into the hive.
        [gc]::Collect()
        [gc]::WaitForPendingFinalizers()
        & reg.exe unload "HKU\$hive" | Out-Null
        if ($LASTEXITCODE -ne 0) { Write-Warning "reg unload HKU\$hive failed; reboot to release it" }
    }
}

# Ease of Access on the sign-in screen starts tools (the on-screen keyboard, Narrator)
# that can reach other programs. Custom Logon hides its button: BrandingNeutral bit 8.
Enable-WindowsOptionalFeature -Online -FeatureName Client-EmbeddedLogon -NoRestart | Out-Null
$logon = "HKLM:\SOFTWARE\Microsoft\Windows Embedded\EmbeddedLogon"
$branding = [int](Get-ItemProperty $logon -Name BrandingNeutral -ErrorAction SilentlyContinue).BrandingNeutral
Set-RegistryValue $logon BrandingNeutral ($branding -bor 8)
# Earlier versions of this script disabled utilman.exe with an IFEO debugger instead
# (what attackers do to accessibility tools; security software flags it): undo that.
$utilman = "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options\utilman.exe"
$debugger = (Get-ItemProperty $utilman -Name Debugger -ErrorAction SilentlyContinue).Debugger
if ($debugger -eq "%SystemRoot%\System32\rundll32.exe") {
    Remove-ItemProperty $utilman -Name Debugger
}

# What the station checks at start (cbt_client/hardening/windows.py): it must run as
# this user, as that user's Shell Launcher shell.
Set-RegistryValue "HKLM:\SOFTWARE\CBT Station" KioskUser $KioskUser "String"

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

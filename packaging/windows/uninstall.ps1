# Removes the xpears agent: stops the service (it finishes its in-flight work), unregisters it, removes its firewall
# rules and program files. -Purge also removes %ProgramData%\xpears-agent (configuration, token, undelivered outbox).
#Requires -RunAsAdministrator
param([switch]$Purge)
$ErrorActionPreference = 'Stop'
$base = Join-Path $env:ProgramFiles 'xpears-agent'
$data = Join-Path $env:ProgramData 'xpears-agent'
$wrapper = Join-Path $base 'service\xpears-agent.exe'
if (Get-Service -Name 'xpears-agent' -ErrorAction SilentlyContinue) {
  Stop-Service -Name 'xpears-agent' -ErrorAction SilentlyContinue
  & $wrapper uninstall | Out-Null
}
Get-NetFirewallRule -Group 'xpears-agent' -ErrorAction SilentlyContinue | Remove-NetFirewallRule
$current = Join-Path $base 'current'
if (Test-Path $current) { cmd /c rmdir "$current" | Out-Null }
if (Test-Path $base) { Remove-Item -Recurse -Force $base }
if ($Purge -and (Test-Path $data)) { Remove-Item -Recurse -Force $data }
if ([System.Diagnostics.EventLog]::SourceExists('xpears-agent')) { Remove-EventLog -Source 'xpears-agent' }
Write-Host 'xpears-agent: removed'

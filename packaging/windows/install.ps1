# Installs or upgrades the xpears agent on Windows Server (run in an elevated PowerShell from the unzipped folder):
#   .\install.ps1 [-ConsoleAddress 10.0.0.5]
# Program files: %ProgramFiles%\xpears-agent\<version> (junction "current"); configuration, token, outbox and logs:
# %ProgramData%\xpears-agent (ACL: SYSTEM and Administrators only). Service "xpears-agent" (WinSW), automatic start,
# restart on failure; start, stop and failures in the Application event log. Firewall: inbound rules only for the
# receivers the configuration binds to a non-loopback address, from the console's address (or allowedNetworks).
#Requires -RunAsAdministrator
param([string]$ConsoleAddress = '', [int]$HealthTimeoutSeconds = 60)
$ErrorActionPreference = 'Stop'
$src = $PSScriptRoot
$version = (Get-Content -Path (Join-Path $src 'VERSION')).Trim()
$base = Join-Path $env:ProgramFiles 'xpears-agent'
$data = Join-Path $env:ProgramData 'xpears-agent'
$config = Join-Path $data 'agent.yaml'
$new = Join-Path $base $version
$current = Join-Path $base 'current'
$service = Join-Path $base 'service'

function Write-Step([string]$text) { Write-Host "xpears-agent install: $text" }
function Test-Healthy([string]$dir, [string]$expect, [switch]$Receivers) {
  $node = Join-Path $dir 'node\node.exe'
  $agent = Join-Path $dir 'lib\agent.mjs'
  $nodeArgs = @($agent, 'health', '--config', $config, '--timeout', "$HealthTimeoutSeconds")
  if ($expect) { $nodeArgs += @('--expect-version', $expect) }
  if ($Receivers) { $nodeArgs += @('--receivers') }
  & $node @nodeArgs
  return ($LASTEXITCODE -eq 0)
}
function Set-Current([string]$dir) {
  if (Test-Path $current) { cmd /c rmdir "$current" | Out-Null }
  New-Item -ItemType Junction -Path $current -Target $dir | Out-Null
}

New-Item -ItemType Directory -Force -Path $base, $data, (Join-Path $data 'logs'), $service | Out-Null
# SYSTEM (S-1-5-18) and Administrators (S-1-5-32-544) only, inherited by the token, the outbox and the logs.
icacls $data /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F' | Out-Null
if (-not [System.Diagnostics.EventLog]::SourceExists('xpears-agent')) { New-EventLog -LogName Application -Source 'xpears-agent' }

if (Test-Path $new) { Remove-Item -Recurse -Force $new }
New-Item -ItemType Directory -Path $new | Out-Null
Copy-Item -Recurse -Path (Join-Path $src 'node'), (Join-Path $src 'lib'), (Join-Path $src 'VERSION') -Destination $new
$enrolment = Join-Path $src 'enrolment'
if (-not (Test-Path $config) -and (Test-Path (Join-Path $enrolment 'agent.yaml'))) {
  Copy-Item (Join-Path $enrolment 'agent.yaml') $config
  Copy-Item (Join-Path $enrolment 'token') (Join-Path $data 'token')
}
if (-not (Test-Path $config)) { Copy-Item (Join-Path $src 'agent.yaml.example') (Join-Path $data 'agent.yaml.example') }
Copy-Item (Join-Path $src 'service\xpears-agent.exe'), (Join-Path $src 'service\xpears-agent.xml') -Destination $service -Force

$old = $null
if (Test-Path $current) { $old = (Get-Item $current).Target | Select-Object -First 1 }
$exists = Get-Service -Name 'xpears-agent' -ErrorAction SilentlyContinue
if ($old -and ($old -ne $new) -and $exists) {
  Write-Step "upgrading to ${version}: stopping the service (it finishes its in-flight work)"
  Stop-Service -Name 'xpears-agent'
  $backup = Join-Path $data 'upgrade-backup'
  if (Test-Path $backup) { Remove-Item -Recurse -Force $backup }
  New-Item -ItemType Directory -Path $backup | Out-Null
  Get-ChildItem -Path $data -Filter 'outbox.db*' | Copy-Item -Destination $backup
  & (Join-Path $new 'node\node.exe') (Join-Path $new 'lib\agent.mjs') migrate --config $config
  $migrated = ($LASTEXITCODE -eq 0)
  # On probation the new version runs without receivers (acknowledges no capture) until it is confirmed healthy.
  $probation = Join-Path $data 'upgrade-probation'
  New-Item -ItemType File -Force -Path $probation | Out-Null
  Set-Current $new
  if ($migrated) { Start-Service -Name 'xpears-agent' }
  if (-not $migrated -or -not (Test-Healthy $new $version)) {
    Write-Step "the new version is not healthy: rolling back to $old"
    Write-EventLog -LogName Application -Source 'xpears-agent' -EventId 1002 -EntryType Error -Message "xpears-agent $version did not come up healthy; rolled back to $old"
    Stop-Service -Name 'xpears-agent' -ErrorAction SilentlyContinue
    Remove-Item -Force $probation -ErrorAction SilentlyContinue
    Get-ChildItem -Path $data -Filter 'outbox.db*' | Remove-Item -Force
    Get-ChildItem -Path $backup | Copy-Item -Destination $data
    Set-Current $old
    Start-Service -Name 'xpears-agent'
    exit 1
  }
  Remove-Item -Force $probation
  Remove-Item -Recurse -Force $backup
  Write-Step "$version is healthy: its receivers start"
  if (-not (Test-Healthy $new $version -Receivers)) {
    Write-Step 'not every receiver listens: see %ProgramData%\xpears-agent\logs (not rolled back: it may already hold captures)'
  }
} else {
  Set-Current $new
  if (-not $exists) { & (Join-Path $service 'xpears-agent.exe') install | Out-Null }
  if (Test-Path $config) {
    Start-Service -Name 'xpears-agent'
    if (-not (Test-Healthy $new $version)) { Write-Step 'the service started but is not healthy: see %ProgramData%\xpears-agent\logs'; exit 1 }
  } else {
    Write-Step "installed $version; write $config (see agent.yaml.example), then: Start-Service xpears-agent"
  }
}

# Firewall: one inbound rule per receiver listening beyond loopback, from the console (or the allowed networks).
Get-NetFirewallRule -Group 'xpears-agent' -ErrorAction SilentlyContinue | Remove-NetFirewallRule
if (Test-Path $config) {
  $plan = & (Join-Path $new 'node\node.exe') (Join-Path $new 'lib\agent.mjs') firewall-plan --config $config | ConvertFrom-Json
  foreach ($rule in $plan) {
    $remote = if ($ConsoleAddress) { $ConsoleAddress } else { $rule.remote }
    New-NetFirewallRule -Group 'xpears-agent' -DisplayName "xpears-agent $($rule.name)" -Direction Inbound -Action Allow `
      -Protocol $rule.protocol -LocalPort $rule.port -RemoteAddress $remote -Program (Join-Path $current 'node\node.exe') | Out-Null
  }
}
Write-EventLog -LogName Application -Source 'xpears-agent' -EventId 1000 -EntryType Information -Message "xpears-agent $version installed"
Write-Step "done: $version"

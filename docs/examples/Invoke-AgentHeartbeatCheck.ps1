#Requires -Version 5.1
<#
.SYNOPSIS
    A scheduled check of every Deep Security agent's heartbeat, logged as one summary line.
.DESCRIPTION
    Made to run unattended (Task Scheduler, cron, a CI job) with
        pwsh -NoProfile -NonInteractive -File Invoke-AgentHeartbeatCheck.ps1 -ManagerUri ... -SecretName ...
    It never prompts. The manager's API key comes from SecretManagement (Get-Secret): that is a
    dependency of this script, not of EndpointAdmin, which only takes a SecureString. Store the
    key once, as the account the task runs as:
        Set-Secret -Name DeepSecurityApiKey -Secret (Read-Host -AsSecureString 'API key')
    and unlock the vault without a prompt (e.g. Unlock-SecretVault -Password from a protected
    file, or a vault configured for no password) when the task's account has no interactive logon.

    Exit codes: 0 every agent is healthy; 2 some agents are late, alerting or never seen, or some
    could not be checked; 1 the check could not run at all (module, secret, connection).
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File Invoke-AgentHeartbeatCheck.ps1 -ManagerUri https://dsm.contoso.com:4119 -SecretName DeepSecurityApiKey -LogPath C:\Logs\EndpointAdmin\heartbeat.log
#>
[CmdletBinding()]
param(
    # The Deep Security manager, e.g. https://dsm.contoso.com:4119
    [Parameter(Mandatory)]
    [string] $ManagerUri,

    # The secret that holds the API key (a SecureString, or a PSCredential whose password is the key).
    [string] $SecretName = 'DeepSecurityApiKey',

    # The SecretManagement vault; the default vault when omitted.
    [string] $VaultName,

    # Pin the manager's certificate instead of validating its chain (self-signed managers).
    [string] $CertificateThumbprint,

    [string] $LogPath = (Join-Path ([IO.Path]::GetTempPath()) 'EndpointAdmin-heartbeat.log')
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

function Write-Log {
    param([string] $Message)
    $line = '{0} {1}' -f [datetime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ'), $Message
    Add-Content -LiteralPath $LogPath -Value $line
    Write-Output $line
}

try {
    Import-Module EndpointAdmin

    $secret = @{ Name = $SecretName }
    if ($VaultName) { $secret.Vault = $VaultName }
    $apiKey = Get-Secret @secret
    if ($apiKey -is [pscredential]) { $apiKey = $apiKey.Password }

    $connect = @{ Product = 'DeepSecurity'; Uri = $ManagerUri; ApiKey = $apiKey }
    if ($CertificateThumbprint) { $connect.CertificateThumbprint = $CertificateThumbprint }
    Connect-AgentManager @connect

    # One agent that cannot be checked must not stop the others: collect those errors instead.
    $results = @(Get-Agent | Test-AgentHeartbeat -ErrorAction SilentlyContinue -ErrorVariable checkErrors)
    $unhealthy = @($results | Where-Object { $_.Status -ne 'Healthy' })
    Write-Log ('heartbeat check of {0}: {1} agent(s), {2} healthy, {3} not healthy, {4} could not be checked' -f $ManagerUri, $results.Count, ($results.Count - $unhealthy.Count), $unhealthy.Count, $checkErrors.Count)
    foreach ($agent in $unhealthy) {
        Write-Log ('  {0} (id {1}): {2}, last contact {3}' -f $agent.Name, $agent.AgentId, $agent.Status, $agent.LastContact)
    }
    foreach ($e in $checkErrors) {
        Write-Log ('  error {0}: {1}' -f $e.FullyQualifiedErrorId, $e.Exception.Message)
    }

    Disconnect-AgentManager
    if ($unhealthy.Count -gt 0 -or $checkErrors.Count -gt 0) { exit 2 }
    exit 0
}
catch {
    Write-Log ('heartbeat check of {0} FAILED: {1} [{2}]' -f $ManagerUri, $_.Exception.Message, $_.FullyQualifiedErrorId)
    exit 1
}

#
# Module manifest for EndpointAdmin.
# ModuleVersion below is the single version source: the build reads it and stamps it into the
# assemblies, and copies this file unchanged into out/EndpointAdmin/<ModuleVersion>/.
#
@{
    RootModule             = 'EndpointAdmin.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '026f1267-5470-40d2-b1b3-427b4ce24906'
    Author                 = 'EndpointAdmin contributors'
    CompanyName            = 'EndpointAdmin'
    Copyright              = '(c) EndpointAdmin contributors. MIT License.'
    Description            = 'Control how endpoint-security agents (Trend Micro Apex One and Deep Security, Kaspersky Security Center, Stormshield SES Evolution) talk to their managers, and the host firewall those conversations cross.'
    CompatiblePSEditions   = @('Desktop', 'Core')
    PowerShellVersion      = '5.1'
    # netstandard2.0 on .NET Framework is only dependable from 4.7.2 on.
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('EndpointAdmin.format.ps1xml')
    TypesToProcess         = @('EndpointAdmin.types.ps1xml')
    FunctionsToExport      = @()
    CmdletsToExport        = @(
        # Port catalog
        'Get-AgentPortRequirement'
        # Local firewall
        'New-FirewallPortRule'
        'Get-FirewallPortRule'
        'Remove-FirewallPortRule'
        'Test-FirewallPortRule'
        'Start-FirewallPortMigration'
        'Get-FirewallPortMigration'
        'Set-FirewallPortMigration'
        'Complete-FirewallPortMigration'
        # Connectivity diagnostics
        'Test-AgentConnection'
        'Test-AgentPortAvailability'
        # Manager sessions and Deep Security
        'Connect-AgentManager'
        'Disconnect-AgentManager'
        'Get-Agent'
        'Test-AgentHeartbeat'
        'Get-AgentHeartbeatPolicy'
        'Set-AgentHeartbeatPolicy'
        'Set-AgentCommunicationDirection'
        'New-AgentHeartbeatFirewallRule'
        'Invoke-AgentSync'
        'Set-AgentProxy'
        # Apex One agent-server and firewall settings
        'Set-AgentServerCommunication'
        'Set-AgentFirewallSetting'
        # Kaspersky Security Center
        'Set-AgentContinuousConnection'
        # Baselines (desired state across vendors)
        'Test-AgentBaseline'
        'Set-AgentBaseline'
        'Export-AgentBaseline'
    )
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('EndpointSecurity', 'Firewall', 'nftables', 'DeepSecurity', 'ApexOne', 'Kaspersky', 'Stormshield', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            # No ProjectUri: the project has no public address yet.
            ReleaseNotes = @'
0.1.0, the first release: 24 cmdlets in four families.
- Port catalog: Get-AgentPortRequirement lists the ports each component of Stormshield SES Evolution (2.6, 2.7.1), Trend Micro Apex One (Mac) and Deep Security, and Kaspersky Security Center needs, by version, topology and direction, with the document each row comes from.
- Local firewall (nftables on Linux, Windows Defender Firewall on Windows): New-, Get-, Remove- and Test-FirewallPortRule, each command in one all-or-nothing step, and Start-, Get-, Set- and Complete-FirewallPortMigration for version migrations such as SES Evolution 2.6 to 2.7.1. The Windows backend is verified only against a fake of its COM interface.
- Connectivity diagnostics: Test-AgentConnection (DNS, TCP/UDP, TLS, HTTP proxy, for many targets in parallel) and Test-AgentPortAvailability (is a local port free, and who holds it).
- Managers (Deep Security, Apex Central, Kaspersky Security Center): Connect- and Disconnect-AgentManager, Get-Agent, Test-AgentHeartbeat, Get- and Set-AgentHeartbeatPolicy, Set-AgentCommunicationDirection, New-AgentHeartbeatFirewallRule, Invoke-AgentSync, Set-AgentProxy, Set-AgentContinuousConnection, and the Apex One settings cmdlets Set-AgentServerCommunication and Set-AgentFirewallSetting. Which cmdlet works with which product: Get-Help about_EndpointAdmin_Products.
'@
        }
    }
}

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
    )
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('EndpointSecurity', 'Firewall', 'nftables', 'DeepSecurity', 'ApexOne', 'Kaspersky', 'Stormshield', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'Port catalog: Get-AgentPortRequirement.'
        }
    }
}

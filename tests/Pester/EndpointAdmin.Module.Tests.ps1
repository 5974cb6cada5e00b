#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# One Pester test file per cmdlet. The module-wide contract (manifest, exports, verbs, format and
# type data, help, text files) is asserted once, by the xUnit engine tests (ModuleComplianceTests,
# HelpTests), which run on every platform.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:cmdletNames = @(Get-ExportedCmdletName | ForEach-Object { @{ Name = $_ } })
}

Describe 'EndpointAdmin module' -Tag 'Unit' {
    It '<Name> has a Pester test file' -ForEach $cmdletNames {
        Join-Path $PSScriptRoot "$Name.Tests.ps1" | Should -Exist
    }
}

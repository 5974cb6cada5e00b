#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# JEA with the engine's own reader: the sample session configuration (docs/examples) turned into a
# restricted session state by InitialSessionState.CreateFromSessionConfigurationFile, with the role
# capability files of the BUILT module. (The xUnit engine tests build the same runspaces in-process.)

Describe 'JEA roles and the sample session configuration' -Tag 'Unit', 'Jea' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $root = Get-RepositoryRoot
        $moduleFolder = Split-Path -Parent (Get-BuiltModuleManifest)
        $script:sample = Join-Path $root 'docs/examples/EndpointAdmin.pssc'
        $script:work = Join-Path ([IO.Path]::GetTempPath()) ('eajea-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        # The sample names the role files where Windows installs the module; here they are in out/.
        $text = [IO.File]::ReadAllText($sample)
        $text = [regex]::Replace($text, 'C:\\Program Files\\WindowsPowerShell\\Modules\\EndpointAdmin\\[0-9.]+\\RoleCapabilities\\', { param($m) (Join-Path $moduleFolder 'RoleCapabilities') + [IO.Path]::DirectorySeparatorChar })
        $text = [regex]::Replace($text, "TranscriptDirectory\s*=\s*'[^']*'", "TranscriptDirectory = '$(Join-Path $work 'transcripts')'")
        $script:configuration = Join-Path $work 'EndpointAdmin.pssc'
        [IO.File]::WriteAllText($configuration, $text)
        # ModulesToImport = 'EndpointAdmin': found by name on the module path, as on an endpoint.
        $script:savedModulePath = $env:PSModulePath
        $env:PSModulePath = (Split-Path -Parent (Split-Path -Parent $moduleFolder)) + [IO.Path]::PathSeparator + $env:PSModulePath

        function script:Open-JeaRunspace([string] $Group) {
            $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateFromSessionConfigurationFile($configuration, [Func[string, bool]] { param($g) $g -eq $Group }.GetNewClosure())
            $runspace = [runspacefactory]::CreateRunspace($iss)
            $runspace.Open()
            $runspace
        }

        function script:Invoke-InRunspace($Runspace, [string] $Command, [hashtable] $Parameters = @{}) {
            $ps = [powershell]::Create()
            $ps.Runspace = $Runspace
            $null = $ps.AddCommand($Command).AddParameters($Parameters)
            $failure = $null
            $output = try { $ps.Invoke() } catch { $failure = $_.Exception.InnerException.ErrorRecord.FullyQualifiedErrorId }
            [pscustomobject]@{ Output = @($output); Failure = $failure; Errors = @($ps.Streams.Error) }
            $ps.Dispose()
        }

        function script:Get-ModuleCommandName($Runspace) {
            @((Invoke-InRunspace $Runspace 'Get-Command').Output | Where-Object { $_.Name -like '*-Agent*' -or $_.Name -like '*-Firewall*' } | ForEach-Object Name | Sort-Object)
        }

        function script:Get-RoleCmdletName([string] $File) {
            $role = Import-PowerShellDataFile -LiteralPath (Join-Path $moduleFolder "RoleCapabilities/$File")
            @($role.VisibleCmdlets | ForEach-Object { if ($_ -is [hashtable]) { $_.Name } else { $_ } })
        }
    }

    AfterAll {
        $env:PSModulePath = $script:savedModulePath
        Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'the sample session configuration is a valid session configuration file' {
        # Test-PSSessionConfigurationFile is Windows-only: every key must be one New-PSSessionConfigurationFile writes.
        $data = Import-PowerShellDataFile -LiteralPath $sample
        $known = (Get-Command New-PSSessionConfigurationFile).Parameters.Keys
        foreach ($key in $data.Keys) { $known | Should -Contain $key }
        $data.SessionType | Should -Be 'RestrictedRemoteServer'
        @($data.RoleDefinitions.Keys | Sort-Object) | Should -Be @('CONTOSO\EndpointFirewallAdmins', 'CONTOSO\EndpointOperators')
    }

    It 'the role files are valid role capability data' {
        foreach ($file in 'EndpointAdminOperator.psrc', 'EndpointAdminFirewallAdmin.psrc') {
            $role = Import-PowerShellDataFile -LiteralPath (Join-Path (Get-RepositoryRoot) "src/EndpointAdmin/RoleCapabilities/$file")
            $role.ModulesToImport | Should -Be 'EndpointAdmin'
            $role.VisibleCmdlets | Should -Not -BeNullOrEmpty
        }
    }

    It 'the operator runspace is NoLanguage and shows exactly the operator role''s cmdlets' {
        $rs = Open-JeaRunspace 'CONTOSO\EndpointOperators'
        try {
            $rs.SessionStateProxy.LanguageMode | Should -Be 'NoLanguage'
            Get-ModuleCommandName $rs | Should -Be @(Get-RoleCmdletName 'EndpointAdminOperator.psrc' | Sort-Object)
            (Invoke-InRunspace $rs 'New-FirewallPortRule' @{ DisplayName = 'x'; WhatIf = $true }).Failure | Should -Be 'CommandNotFoundException'
            $rows = (Invoke-InRunspace $rs 'Get-AgentPortRequirement' @{ Product = 'SesEvolution'; Version = '2.7.1'; Component = 'AgentHandler' }).Output
            $rows.Count | Should -BeGreaterThan 0
            (Invoke-InRunspace $rs 'Connect-AgentManager' @{ Product = 'DeepSecurity'; Uri = 'https://127.0.0.1:9'; ApiKey = [securestring]::new(); SkipCertificateCheck = $true }).Failure | Should -Be 'NamedParameterNotFound,Connect-AgentManager'
        }
        finally { $rs.Dispose() }
    }

    It 'the firewall admin runspace adds the firewall cmdlets and refuses a group outside EndpointAdmin''s' {
        $rs = Open-JeaRunspace 'CONTOSO\EndpointFirewallAdmins'
        try {
            $expected = @((Get-RoleCmdletName 'EndpointAdminOperator.psrc') + (Get-RoleCmdletName 'EndpointAdminFirewallAdmin.psrc') | Sort-Object -Unique)
            Get-ModuleCommandName $rs | Should -Be $expected
            $rule = @{ DisplayName = 'JEA'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '8443'; WhatIf = $true }
            (Invoke-InRunspace $rs 'New-FirewallPortRule' ($rule + @{ Group = 'Other' })).Failure | Should -Be 'ParameterArgumentValidationError,New-FirewallPortRule'
            (Invoke-InRunspace $rs 'New-FirewallPortRule' ($rule + @{ Backend = 'Nftables' })).Failure | Should -Be 'NamedParameterNotFound,New-FirewallPortRule'
            (Invoke-InRunspace $rs 'Complete-FirewallPortMigration' @{ Product = 'SesEvolution'; Force = $true; WhatIf = $true }).Failure | Should -Be 'NamedParameterNotFound,Complete-FirewallPortMigration'
        }
        finally { $rs.Dispose() }
    }
}

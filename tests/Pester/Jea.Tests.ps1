#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# JEA with the engine's own reader: the sample session configuration (docs/examples) turned into a
# restricted session state by InitialSessionState.CreateFromSessionConfigurationFile, with the role
# capability files of the BUILT module. This file asserts only what that reader adds: the sample is a
# file the engine accepts, and the runspaces it builds are the ones the roles describe. What the roles
# allow and refuse, cmdlet by cmdlet, is asserted once, by the xUnit engine tests (JeaTests).

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

        function script:Get-ModuleCommandName($Runspace) {
            $ps = [powershell]::Create()
            $ps.Runspace = $Runspace
            $commands = $ps.AddCommand('Get-Command').Invoke()
            $ps.Dispose()
            @($commands | Where-Object { $_.Name -like '*-Agent*' -or $_.Name -like '*-Firewall*' } | ForEach-Object Name | Sort-Object)
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
        @($data.RoleDefinitions.Keys | Sort-Object) | Should -Be @('CONTOSO\EndpointFirewallAdmins', 'CONTOSO\EndpointOperators')
    }

    It 'the operator runspace is NoLanguage and shows exactly the operator role''s cmdlets' {
        $rs = Open-JeaRunspace 'CONTOSO\EndpointOperators'
        try {
            $rs.SessionStateProxy.LanguageMode | Should -Be 'NoLanguage'
            Get-ModuleCommandName $rs | Should -Be @(Get-RoleCmdletName 'EndpointAdminOperator.psrc' | Sort-Object)
        }
        finally { $rs.Dispose() }
    }

    It 'the firewall admin runspace is NoLanguage and adds exactly the firewall role''s cmdlets' {
        $rs = Open-JeaRunspace 'CONTOSO\EndpointFirewallAdmins'
        try {
            $rs.SessionStateProxy.LanguageMode | Should -Be 'NoLanguage'
            $expected = @((Get-RoleCmdletName 'EndpointAdminOperator.psrc') + (Get-RoleCmdletName 'EndpointAdminFirewallAdmin.psrc') | Sort-Object -Unique)
            Get-ModuleCommandName $rs | Should -Be $expected
        }
        finally { $rs.Dispose() }
    }
}

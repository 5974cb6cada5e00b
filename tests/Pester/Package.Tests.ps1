#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The module as users install it: the .nupkg that ./build.ps1 -Task Package makes, published to a
# local file repository, installed with Install-PSResource and imported BY NAME in a fresh pwsh.
# Each pwsh here runs with its own HOME, so the repository registration and the CurrentUser module
# path live in TestDrive and the machine's own PowerShell configuration is never touched.
Describe 'The packed module' -Tag 'Package' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $root = Get-RepositoryRoot
        $version = (Import-PowerShellDataFile -Path (Join-Path $root 'EndpointAdmin.psd1')).ModuleVersion
        $package = Join-Path $root "out/packages/EndpointAdmin.$version.nupkg"
        if (-not (Test-Path -LiteralPath $package)) {
            # Run on its own (Invoke-Pester on this file): make the package first, as the Test task does.
            & (Get-PwshCommand) -NoProfile -NonInteractive -File (Join-Path $root 'build.ps1') -Task Package | Out-Null
        }

        # What the built module answers in this process, to compare the installed one against.
        Import-BuiltModule
        $expectedPorts = @(Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler | ForEach-Object { '{0}/{1}' -f $_.Port, $_.Protocol })
        Get-Module EndpointAdmin | Remove-Module -Force

        $userHome = Join-Path $TestDrive 'home'
        $repository = Join-Path $TestDrive 'repository'
        New-Item -ItemType Directory -Path $userHome, $repository | Out-Null
        Copy-Item -LiteralPath $package -Destination $repository

        function Invoke-FreshPwsh([string] $Script) {
            # A new process with a HOME of its own and no inherited module path: what a user's
            # machine with only PowerShell and the installed package looks like.
            $saved = @{ HOME = $env:HOME; PSModulePath = $env:PSModulePath }
            try {
                $env:HOME = $userHome
                Remove-Item Env:PSModulePath -ErrorAction SilentlyContinue
                $out = & (Get-PwshCommand) -NoProfile -NonInteractive -Command $Script 2>&1
                [pscustomobject]@{ ExitCode = $LASTEXITCODE; Text = ($out | Out-String) }
            }
            finally {
                $env:HOME = $saved.HOME
                if ($null -ne $saved.PSModulePath) { $env:PSModulePath = $saved.PSModulePath }
            }
        }

        $install = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name EndpointAdminLocal -Uri '$repository' -Trusted
Install-PSResource -Name EndpointAdmin -Version '$version' -Repository EndpointAdminLocal -Scope CurrentUser -TrustRepository -Quiet
(Get-InstalledPSResource -Name EndpointAdmin -Scope CurrentUser).InstalledLocation
"@

        $use = Invoke-FreshPwsh @'
$ErrorActionPreference = 'Stop'
Import-Module EndpointAdmin
$m = Get-Module EndpointAdmin
$rows = @(Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler)
$examples = Get-Help Get-AgentPortRequirement -Examples
$about = Get-Help about_EndpointAdmin
[pscustomobject]@{
    ModuleBase   = $m.ModuleBase
    Version      = $m.Version.ToString()
    Ports        = @($rows | ForEach-Object { '{0}/{1}' -f $_.Port, $_.Protocol })
    Examples     = @($examples.examples.example).Count
    AboutLength  = ($about | Out-String).Length
    AboutText    = ($about | Out-String)
    Roles        = @(Get-ChildItem -Path (Join-Path $m.ModuleBase 'RoleCapabilities') -Filter *.psrc | ForEach-Object Name)
    Examples2    = @(Get-ChildItem -Path (Join-Path $m.ModuleBase 'Examples') | ForEach-Object Name)
    Dsc          = @(Get-ChildItem -Path $m.ModuleBase -Filter '*.dsc.*' | ForEach-Object Name)
} | ConvertTo-Json -Depth 3
'@
        $script:used = if ($use.ExitCode -eq 0) { $use.Text | ConvertFrom-Json } else { $null }
    }

    It 'installs from a local repository with Install-PSResource' -Skip:$IsWindows {
        # (Windows keeps CurrentUser modules under Documents, which a HOME of its own cannot move.)
        $install.ExitCode | Should -Be 0 -Because $install.Text
        $install.Text | Should -Match ([regex]::Escape((Join-Path $userHome '.local')))
    }

    It 'imports by name from the installed location, at the packed version' -Skip:$IsWindows {
        $script:used | Should -Not -BeNullOrEmpty -Because $use.Text
        $script:used.ModuleBase | Should -BeLike "$userHome*"
        $script:used.Version | Should -Be $version
    }

    It 'runs its main job: the ports an SES Evolution 2.7.1 agent handler needs' -Skip:$IsWindows {
        $script:used.Ports | Should -Not -BeNullOrEmpty
        $script:used.Ports | Should -Be $expectedPorts
    }

    It 'ships cmdlet help with examples and the about topic' -Skip:$IsWindows {
        $script:used.Examples | Should -BeGreaterOrEqual 3
        $script:used.AboutText | Should -Match 'about_EndpointAdmin'
        $script:used.AboutLength | Should -BeGreaterThan 2000
    }

    It 'ships the JEA role capabilities and the examples' -Skip:$IsWindows {
        $script:used.Roles | Should -Be @(Get-ChildItem (Join-Path $root 'src/EndpointAdmin/RoleCapabilities') -Filter *.psrc | ForEach-Object Name | Sort-Object)
        $script:used.Examples2 | Sort-Object | Should -Be @(Get-ChildItem (Join-Path $root 'docs/examples') | ForEach-Object Name | Sort-Object)
    }

    It 'ships the DSC v3 resource manifest and its entry point side by side' -Skip:$IsWindows {
        @($script:used.Dsc | Sort-Object) | Should -Be @('EndpointAdmin.AgentBaseline.dsc.ps1', 'EndpointAdmin.AgentBaseline.dsc.resource.json')
    }
}

#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Module-wide compliance: manifest, exports, help, one test file per cmdlet, clean text files.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:cmdletNames = @(Get-ExportedCmdletName | ForEach-Object { @{ Name = $_ } })
}

Describe 'EndpointAdmin module' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $root = Get-RepositoryRoot
        $manifestPath = Get-BuiltModuleManifest
        Import-BuiltModule
        $module = Get-Module EndpointAdmin
        $data = Import-PowerShellDataFile -Path $manifestPath
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    It 'has a valid manifest' {
        { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'declares both editions, PowerShell 5.1 and explicit exports' {
        $data.CompatiblePSEditions | Sort-Object | Should -Be @('Core', 'Desktop')
        $data.PowerShellVersion | Should -Be '5.1'
        $data.CmdletsToExport | Should -Not -Contain '*'
        $data.FunctionsToExport.Count | Should -Be 0
        $data.AliasesToExport.Count | Should -Be 0
        $data.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Core'
    }

    It 'exports exactly the cmdlets the manifest lists' {
        @($module.ExportedCommands.Keys | Sort-Object) | Should -Be @($data.CmdletsToExport | Sort-Object)
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        foreach ($name in $module.ExportedCommands.Keys) {
            $approved | Should -Contain ($name -split '-')[0]
        }
    }

    It 'loads its format and type data' {
        Get-FormatData -TypeName 'EndpointAdmin.PortRequirement' | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName 'Deserialized.EndpointAdmin.PortRequirement' | Should -Not -BeNullOrEmpty
        Get-TypeData -TypeName 'EndpointAdmin.PortRequirement' | Should -Not -BeNullOrEmpty
    }

    Context '<Name>' -ForEach $cmdletNames {
        BeforeAll {
            $help = Get-Help -Name $Name -Full
            # -WhatIf and -Confirm are documented on every cmdlet that has them (as PlatyPS does); UseTransaction is obsolete.
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + 'UseTransaction'
            $codeParameters = @((Get-Command -Name $Name).Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
        }

        It 'has a synopsis and a description' {
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Synopsis | Should -Not -Match "^$Name\s"
            ($help.description.Text -join ' ').Length | Should -BeGreaterThan 40
        }

        It 'has examples with explanations' {
            @($help.examples.example).Count | Should -BeGreaterOrEqual 3
            foreach ($example in $help.examples.example) {
                # PlatyPS 1.x writes the code and its explanation together into the introduction.
                $text = (@($example.introduction.Text) + $example.code + @($example.remarks.Text)) -join "`n"
                $text | Should -Match ([regex]::Escape($Name))
                ($text -replace '(?s)```.*?```', '').Trim().Length | Should -BeGreaterThan 40
            }
        }

        It 'describes every parameter in the code' {
            @($help.parameters.parameter.name | Sort-Object) | Should -Be $codeParameters
            foreach ($parameter in $help.parameters.parameter) {
                ($parameter.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) needs a description"
            }
        }

        It 'has a Pester test file' {
            Join-Path $PSScriptRoot "$Name.Tests.ps1" | Should -Exist
        }

        It 'has a markdown help page' {
            Join-Path $root "docs/en-US/$Name.md" | Should -Exist
        }
    }

    It 'keeps its text files free of BOMs, tabs and trailing spaces' {
        $files = Get-ChildItem -Path (Join-Path $root 'tests/Pester'), (Join-Path $root 'src/EndpointAdmin'), (Join-Path $root 'docs/examples') -Include '*.ps1', '*.psm1', '*.ps1xml', '*.psrc', '*.pssc' -Recurse
        $files += Get-Item (Join-Path $root 'EndpointAdmin.psd1'), (Join-Path $root 'build.ps1')
        foreach ($file in $files) {
            $bytes = [System.IO.File]::ReadAllBytes($file.FullName)
            ($bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF) | Should -BeFalse -Because "$($file.Name) has a BOM"
            $text = [System.IO.File]::ReadAllText($file.FullName)
            $text | Should -Not -Match "`t" -Because "$($file.Name) has a tab"
            $text | Should -Not -Match '[ ]+\r?\n' -Because "$($file.Name) has trailing spaces"
        }
    }
}

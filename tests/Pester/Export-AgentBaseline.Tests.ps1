#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:canUseNetns = Test-NetNamespaceSupport
}

Describe 'Export-AgentBaseline' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule   # a fresh import: no default session in this runspace
        $command = Get-Command Export-AgentBaseline
        $fqid = { param($id) "$id,EndpointAdmin.Commands.ExportAgentBaselineCommand" }
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has -Path, -Session, -HostFirewall, -Format, -Force and -Backend' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $expected = 'Backend', 'Force', 'Format', 'HostFirewall', 'Path', 'Session'
            @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) | Should -Be ($expected | Sort-Object)
            $command.Parameters['Path'].ParameterSets['__AllParameterSets'].Position | Should -Be 0
            $command.Parameters['Path'].ParameterSets['__AllParameterSets'].IsMandatory | Should -BeFalse
            $set = $command.Parameters['Format'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
            @($set.ValidValues | Sort-Object) | Should -Be @('Json', 'Psd1')
        }

        It 'supports ShouldProcess with ConfirmImpact Low (it writes a file)' {
            $attribute = Get-CmdletAttribute -Name Export-AgentBaseline
            $attribute.SupportsShouldProcess | Should -BeTrue
            "$($attribute.ConfirmImpact)" | Should -Be 'Low'
        }

        It 'shows at least three examples in Get-Help, each naming the cmdlet' {
            $examples = @((Get-Help Export-AgentBaseline -Examples).examples.example)
            $examples.Count | Should -BeGreaterOrEqual 3
            $examples | ForEach-Object { ($_ | Out-String) | Should -Match 'Export-AgentBaseline' }
        }
    }

    Context 'Nothing to export' {
        It 'stops with ManagerNotConnected without a session and without -HostFirewall' {
            $err = Get-CaughtError { Export-AgentBaseline -ErrorAction Stop }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'ManagerNotConnected')
        }

        It 'refuses a -Format other than Psd1 or Json' {
            { Export-AgentBaseline -HostFirewall -Format Yaml } | Should -Throw -ErrorId 'ParameterArgumentValidationError,EndpointAdmin.Commands.ExportAgentBaselineCommand'
        }
    }
}

Describe 'Export-AgentBaseline on nftables' -Tag 'Integration' -Skip:(-not $canUseNetns) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $ns = New-TestNetNamespace
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            $work = Join-Path ([IO.Path]::GetTempPath()) ('eabaseline-' + [guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory -Path $work
            $psd1 = Join-Path $work 'host.psd1'
            $json = Join-Path $work 'host.json'
            $whatIfFile = Join-Path $work 'whatif.psd1'
            Get-AgentPortRequirement -Product KasperskySecurityCenter -Component AdministrationServer -Direction Inbound | New-FirewallPortRule -RemoteAddress 10.20.30.0/24 -Confirm:$false
            New-FirewallPortRule -DisplayName 'Blocked telnet' -Direction Inbound -Protocol TCP -LocalPort 23 -Action Block -Enabled $false -Confirm:$false
            $text = Export-AgentBaseline -HostFirewall
            $file = Export-AgentBaseline -HostFirewall -Path $psd1
            $jsonFile = Export-AgentBaseline -HostFirewall -Path $json
            $jsonParsed = Get-Content -LiteralPath $json -Raw | ConvertFrom-Json
            $exportedQuiet = Test-AgentBaseline -Path $psd1 -Quiet
            $exportedRows = @(Test-AgentBaseline -Path $psd1)
            $jsonQuiet = Test-AgentBaseline -Path $json -Quiet
            # An existing file is kept without -Force; -WhatIf writes no file.
            Set-Content -LiteralPath $psd1 -Value '@{ kept = 1 }'
            $refusal = try { Export-AgentBaseline -HostFirewall -Path $psd1 -ErrorAction Stop; $null } catch { $_.FullyQualifiedErrorId }
            $keptText = Get-Content -LiteralPath $psd1 -Raw
            Export-AgentBaseline -HostFirewall -Path $whatIfFile -WhatIf
            $whatIfWritten = Test-Path -LiteralPath $whatIfFile
            $null = Export-AgentBaseline -HostFirewall -Path $psd1 -Force
            # The round trip: remove the rules, then the export puts them back as they were.
            Get-FirewallPortRule | Remove-FirewallPortRule -Confirm:$false
            $emptyQuiet = Test-AgentBaseline -Path $psd1 -Quiet
            $restored = @(Set-AgentBaseline -Path $psd1 -Confirm:$false -PassThru)
            $restoredQuiet = Test-AgentBaseline -Path $psd1 -Quiet
            $again = Export-AgentBaseline -HostFirewall
            Remove-Item -LiteralPath $work -Recurse -Force
            [pscustomobject]@{
                Text = $text; FileName = $file.Name; JsonFileName = $jsonFile.Name; JsonRules = @($jsonParsed.HostFirewall.ExtraRules); JsonUnmanaged = $jsonParsed.HostFirewall.Unmanaged
                ExportedQuiet = $exportedQuiet; ExportedRows = $exportedRows; JsonQuiet = $jsonQuiet
                Refusal = $refusal; KeptText = $keptText; WhatIfWritten = $whatIfWritten
                EmptyQuiet = $emptyQuiet; Restored = $restored; RestoredQuiet = $restoredQuiet; Again = $again
            }
        }
        $run = $result.Output[0]
    }

    AfterAll {
        if ($ns) { Remove-TestNetNamespace -Namespace $ns }
    }

    It 'writes the text to the pipeline without -Path, and a file with it' {
        $run.Text | Should -Match 'HostFirewall'
        $run.Text | Should -Match "Unmanaged = 'Keep'"
        $run.Text | Should -Match 'EA-KasperskySecurityCenter-All-AdministrationServer-In-TCP-13000'
        $run.FileName | Should -Be 'host.psd1'
        $run.JsonFileName | Should -Be 'host.json'
    }

    It 'writes JSON for a .json path, with every rule and only non-default values' {
        @($run.JsonRules).Count | Should -Be 3
        $run.JsonUnmanaged | Should -Be 'Keep'
        $telnet = $run.JsonRules | Where-Object DisplayName -eq 'Blocked telnet'
        $telnet.Action | Should -Be 'Block'
        $telnet.Enabled | Should -BeFalse
        $kaspersky = @($run.JsonRules | Where-Object DisplayName -ne 'Blocked telnet')
        $kaspersky | ForEach-Object {
            $_.PSObject.Properties.Name | Should -Not -Contain 'Action'
            @($_.RemoteAddress) | Should -Be @('10.20.30.0/24')
        }
    }

    It 'is reported fully in desired state by Test-AgentBaseline, from .psd1 and from .json' {
        $run.ExportedQuiet | Should -BeTrue
        $run.JsonQuiet | Should -BeTrue
        @($run.ExportedRows).Count | Should -Be 3
        $run.ExportedRows | ForEach-Object { $_.State.ToString() | Should -Be 'InDesiredState' }
    }

    It 'keeps an existing file without -Force, and writes no file with -WhatIf' {
        $run.Refusal | Should -Be 'BaselineFileUnreadable,EndpointAdmin.Commands.ExportAgentBaselineCommand'
        $run.KeptText.Trim() | Should -Be '@{ kept = 1 }'
        $run.WhatIfWritten | Should -BeFalse
    }

    It 'round-trips: Set-AgentBaseline on the export restores removed rules exactly' {
        $run.EmptyQuiet | Should -BeFalse
        @($run.Restored).Count | Should -Be 3
        $run.RestoredQuiet | Should -BeTrue
        # Apart from the comment line with the export time, the new export is the old one.
        ($run.Again -split "`n" | Where-Object { $_ -notmatch '^#' }) -join "`n" | Should -Be (($run.Text -split "`n" | Where-Object { $_ -notmatch '^#' }) -join "`n")
    }

    It 'raises no error on the way' {
        @($result.Errors | Where-Object ErrorId -NotLike 'BaselineFileUnreadable,*') | Should -BeNullOrEmpty
        $result.Terminating | Should -BeNullOrEmpty
    }
}

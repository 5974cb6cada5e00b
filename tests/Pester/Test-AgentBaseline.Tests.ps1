#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:canUseNetns = Test-NetNamespaceSupport
    # Baselines refused while they are read, before any session is looked up or the firewall is read.
    $script:badBaselines = @(
        @{ Label = 'an unknown top-level key'; Baseline = @{ HostFirewall = @{ Rules = @() }; Firewall = @{} }; ErrorId = 'BaselineKeyUnknown'; Target = 'Firewall' }
        @{ Label = 'an unknown HostFirewall key'; Baseline = @{ HostFirewall = @{ Rulez = @() } }; ErrorId = 'BaselineKeyUnknown'; Target = 'HostFirewall.Rulez' }
        @{ Label = 'a setting Deep Security does not take'; Baseline = @{ Managers = @(@{ Product = 'DeepSecurity'; Uri = 'https://dsm.example.com:4119'; BasePolicy = @{ SyncIntervalMinutes = 15 } }) }; ErrorId = 'BaselineKeyUnknown'; Target = 'Managers[0].BasePolicy.SyncIntervalMinutes' }
        @{ Label = 'an interval the manager does not offer'; Baseline = @{ Managers = @(@{ Product = 'DeepSecurity'; Uri = 'https://dsm.example.com:4119'; BasePolicy = @{ IntervalMinutes = 7 } }) }; ErrorId = 'BaselineValueInvalid'; Target = 'Managers[0].BasePolicy.IntervalMinutes' }
        @{ Label = 'a manager without Uri'; Baseline = @{ Managers = @(@{ Product = 'DeepSecurity' }) }; ErrorId = 'BaselineKeyMissing'; Target = 'Managers[0].Uri' }
        @{ Label = 'an empty baseline'; Baseline = @{}; ErrorId = 'BaselineKeyMissing'; Target = 'Managers' }
    )
}

Describe 'Test-AgentBaseline' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $command = Get-Command Test-AgentBaseline
        $fqid = { param($id) "$id,EndpointAdmin.Commands.TestAgentBaselineCommand" }
        $work = Join-Path ([IO.Path]::GetTempPath()) ('eapester-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
    }

    AfterAll {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has -Path or -Baseline, -Session, -Backend and -Quiet' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $expected = 'Backend', 'Baseline', 'Path', 'Quiet', 'Session'
            @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) | Should -Be ($expected | Sort-Object)
            $command.DefaultParameterSet | Should -Be 'Path'
            $command.Parameters['Path'].ParameterSets['Path'].IsMandatory | Should -BeTrue
            $command.Parameters['Path'].ParameterSets['Path'].Position | Should -Be 0
            $command.Parameters['Baseline'].ParameterSets['Object'].IsMandatory | Should -BeTrue
            $command.Parameters['Session'].ParameterType | Should -Be ([EndpointAdmin.AgentManagerSession[]])
        }

        It 'changes nothing, so it has no ShouldProcess' {
            (Get-CmdletAttribute -Name Test-AgentBaseline).SupportsShouldProcess | Should -BeFalse
            $command.Parameters.Keys | Should -Not -Contain 'WhatIf'
        }

        It 'shows at least three examples in Get-Help, each naming the cmdlet' {
            $examples = @((Get-Help Test-AgentBaseline -Examples).examples.example)
            $examples.Count | Should -BeGreaterOrEqual 3
            $examples | ForEach-Object { ($_ | Out-String) | Should -Match 'Test-AgentBaseline' }
        }
    }

    Context 'Bad baselines, refused before anything is read' {
        It 'refuses <Label> with <ErrorId>, naming the key' -ForEach $badBaselines {
            $err = Get-CaughtError { Test-AgentBaseline -Baseline $Baseline -ErrorAction Stop }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be (& $fqid $ErrorId)
            "$($err.CategoryInfo.Category)" | Should -Be 'InvalidData'
            $err.TargetObject | Should -Be $Target
        }

        It 'reports every problem of a baseline, each with its key, and then stops' {
            $baseline = @{ Managers = @(@{ Product = 'DeepSecurity' }); HostFirewall = @{ Rulez = @() } }
            $errors = $null
            $out = try { Test-AgentBaseline -Baseline $baseline -ErrorVariable errors -ErrorAction SilentlyContinue } catch { $_ }
            $all = @($errors) + @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            @($all.TargetObject | Sort-Object -Unique) | Should -Be @('HostFirewall.Rulez', 'Managers[0].Uri')
        }

        It 'refuses a .psd1 that holds more than data, without running it' {
            $marker = Join-Path $work 'ran.txt'
            $file = Join-Path $work 'code.psd1'
            Set-Content -LiteralPath $file -Value "@{ HostFirewall = @{ Unmanaged = (Set-Content -Path '$marker' -Value x) } }"
            $err = Get-CaughtError { Test-AgentBaseline -Path $file -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'BaselineFileUnreadable')
            Test-Path -LiteralPath $marker | Should -BeFalse
        }

        It 'refuses a file that does not exist with BaselineFileUnreadable' {
            $err = Get-CaughtError { Test-AgentBaseline -Path (Join-Path $work 'none.psd1') -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'BaselineFileUnreadable')
            "$($err.CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        }
    }

    Context 'A declared manager without a session' {
        It 'is one BaselineSessionMissing error, and -Quiet answers False' {
            Get-Module EndpointAdmin | Remove-Module -Force
            Import-BuiltModule   # a fresh import: no default session in this runspace
            $baseline = @{ Managers = @(@{ Product = 'DeepSecurity'; Uri = 'https://dsm.example.com:4119'; BasePolicy = @{ IntervalMinutes = 10 } }) }
            $errors = $null
            $quiet = Test-AgentBaseline -Baseline $baseline -Quiet -ErrorVariable errors -ErrorAction SilentlyContinue
            $quiet | Should -BeFalse
            @($errors).Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Be (& $fqid 'BaselineSessionMissing')
            $errors[0].TargetObject | Should -Be 'https://dsm.example.com:4119'
        }
    }
}

Describe 'Test-AgentBaseline on nftables' -Tag 'Integration' -Skip:(-not $canUseNetns) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $ns = New-TestNetNamespace
        # Missing, then present, then with an undeclared rule beside them; the same baseline as a
        # hashtable, a .psd1, a .json file and JSON text. Enums come back deserialized.
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            $baseline = @{
                HostFirewall = @{
                    Rules      = @(@{ Product = 'KasperskySecurityCenter'; Component = 'AdministrationServer'; Direction = 'Inbound'; RemoteAddress = @('10.20.30.0/24') })
                    ExtraRules = @(@{ DisplayName = 'Mgmt SSH'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = 22 })
                }
            }
            $work = Join-Path ([IO.Path]::GetTempPath()) ('eabaseline-' + [guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory -Path $work
            $json = Join-Path $work 'baseline.json'
            $baseline | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath $json
            $psd1 = Join-Path $work 'baseline.psd1'
            Set-Content -LiteralPath $psd1 -Value "@{ HostFirewall = @{ Rules = @(@{ Product = 'KasperskySecurityCenter'; Component = 'AdministrationServer'; Direction = 'Inbound'; RemoteAddress = '10.20.30.0/24' }); ExtraRules = @(@{ DisplayName = 'Mgmt SSH'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '22' }) } }"

            $missing = @(Test-AgentBaseline -Baseline $baseline)
            $missingQuiet = Test-AgentBaseline -Baseline $baseline -Quiet
            Get-AgentPortRequirement -Product KasperskySecurityCenter -Component AdministrationServer -Direction Inbound | New-FirewallPortRule -RemoteAddress 10.20.30.0/24 -Confirm:$false
            New-FirewallPortRule -DisplayName 'Mgmt SSH' -Direction Inbound -Protocol TCP -LocalPort 22 -Confirm:$false
            $present = @(Test-AgentBaseline -Baseline $baseline)
            $presentQuiet = Test-AgentBaseline -Baseline $baseline -Quiet
            $fromPsd1 = Test-AgentBaseline -Path $psd1 -Quiet
            $fromJson = Test-AgentBaseline -Path $json -Quiet
            $fromJsonText = Test-AgentBaseline -Baseline (Get-Content -LiteralPath $json -Raw) -Quiet
            $fromJsonObject = Test-AgentBaseline -Baseline (Get-Content -LiteralPath $json -Raw | ConvertFrom-Json) -Quiet
            New-FirewallPortRule -DisplayName 'Old syslog' -Direction Inbound -Protocol UDP -LocalPort 514 -Confirm:$false
            $keep = Test-AgentBaseline -Baseline $baseline -Quiet
            $baseline.HostFirewall.Unmanaged = 'Remove'
            $remove = @(Test-AgentBaseline -Baseline $baseline)
            $widened = @{ HostFirewall = @{ ExtraRules = @(@{ DisplayName = 'Mgmt SSH'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = 22; RemoteAddress = '10.0.0.0/8' }) } }
            $different = @(Test-AgentBaseline -Baseline $widened)
            Remove-Item -LiteralPath $work -Recurse -Force
            [pscustomobject]@{
                Missing = $missing; MissingQuiet = $missingQuiet; Present = $present; PresentQuiet = $presentQuiet
                FromPsd1 = $fromPsd1; FromJson = $fromJson; FromJsonText = $fromJsonText; FromJsonObject = $fromJsonObject
                Keep = $keep; Remove = $remove; Different = $different
            }
        }
        $stages = $result.Output[0]
    }

    AfterAll {
        if ($ns) { Remove-TestNetNamespace -Namespace $ns }
    }

    It 'runs without errors' {
        $result.Errors | Should -BeNullOrEmpty
        $result.Terminating | Should -BeNullOrEmpty
    }

    It 'reports rules that are not there as Drifted, Actual absent, one row per rule' {
        @($stages.Missing).Count | Should -Be 3
        $stages.Missing | ForEach-Object {
            $_.State.ToString() | Should -Be 'Drifted'
            $_.InDesiredState | Should -BeFalse
            $_.Actual | Should -Be 'absent'
            $_.Setting | Should -Be 'FirewallRule'
            $_.TargetType.ToString() | Should -Be 'Host'
        }
        @($stages.Missing.Key | Sort-Object -Unique) | Should -Be @('HostFirewall.ExtraRules[0]', 'HostFirewall.Rules[0]')
        @($stages.Missing.TargetId | Sort-Object) | Should -Be @('EA-KasperskySecurityCenter-All-AdministrationServer-In-TCP-13000', 'EA-KasperskySecurityCenter-All-AdministrationServer-In-UDP-13000', 'Mgmt SSH')
        $stages.MissingQuiet | Should -BeFalse
    }

    It 'reports the same rules as InDesiredState once they exist' {
        @($stages.Present).Count | Should -Be 3
        $stages.Present | ForEach-Object {
            $_.State.ToString() | Should -Be 'InDesiredState'
            $_.Actual | Should -Be $_.Expected
        }
        $stages.PresentQuiet | Should -BeTrue
    }

    It 'reads the same baseline from a .psd1, a .json file, JSON text and a ConvertFrom-Json object' {
        $stages.FromPsd1 | Should -BeTrue
        $stages.FromJson | Should -BeTrue
        $stages.FromJsonText | Should -BeTrue
        $stages.FromJsonObject | Should -BeTrue
    }

    It 'leaves an undeclared rule alone with Unmanaged Keep, and reports it to remove with Unmanaged Remove' {
        $stages.Keep | Should -BeTrue
        $extra = @($stages.Remove | Where-Object { $_.State.ToString() -eq 'Drifted' })
        $extra.Count | Should -Be 1
        $extra[0].Target | Should -Be 'Old syslog'
        $extra[0].Expected | Should -Be 'absent'
        $extra[0].Key | Should -Be 'HostFirewall.Unmanaged'
    }

    It 'names the difference of a rule that exists with other settings' {
        @($stages.Different).Count | Should -Be 1
        $stages.Different[0].State.ToString() | Should -Be 'Drifted'
        $stages.Different[0].Actual | Should -Not -Be 'absent'
        $stages.Different[0].Message | Should -Match 'RemoteAddress'
    }
}

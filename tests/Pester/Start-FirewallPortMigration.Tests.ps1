#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:canUseNetns = Test-NetNamespaceSupport
}

Describe 'Start-FirewallPortMigration' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $command = Get-Command Start-FirewallPortMigration
        $fqid = { param($id) "$id,EndpointAdmin.Commands.StartFirewallPortMigrationCommand" }
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the expected parameters' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) |
                Should -Be @('Backend', 'Component', 'FromVersion', 'Group', 'Product', 'RemoteAddress', 'Topology', 'ToVersion')
        }

        It 'supports ShouldProcess with ConfirmImpact Medium' {
            $attribute = Get-CmdletAttribute -Name Start-FirewallPortMigration
            $attribute.SupportsShouldProcess | Should -BeTrue
            "$($attribute.ConfirmImpact)" | Should -Be 'Medium'
        }

        It 'needs -Product (position 0), -FromVersion and -ToVersion, and takes nothing from the pipeline' {
            foreach ($name in 'Product', 'FromVersion', 'ToVersion') {
                $command.Parameters[$name].ParameterSets['__AllParameterSets'].IsMandatory | Should -BeTrue -Because "-$name is mandatory"
            }
            $command.Parameters['Product'].ParameterSets['__AllParameterSets'].Position | Should -Be 0
            foreach ($parameter in $command.Parameters.Values) {
                $set = $parameter.ParameterSets['__AllParameterSets']
                ($set.ValueFromPipeline -or $set.ValueFromPipelineByPropertyName) | Should -BeFalse -Because "-$($parameter.Name) is not bound from the pipeline"
            }
            @($command.Parameters.Values | Where-Object { $_.Attributes.TypeId.Name -contains 'SupportsWildcardsAttribute' }) | Should -BeNullOrEmpty
        }

        It 'shows at least three examples in Get-Help' {
            @((Get-Help Start-FirewallPortMigration -Examples).examples.example).Count | Should -BeGreaterOrEqual 3
        }
    }

    Context 'Bad input, rejected before the firewall is read' {
        It 'refuses -Topology Any (it is not a deployment)' {
            { Start-FirewallPortMigration -Product SesEvolution -FromVersion 2.6 -ToVersion 2.7.1 -Topology Any -WhatIf } |
                Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }

        It 'refuses an empty -<Parameter> at binding' -ForEach @(
            @{ Parameter = 'FromVersion' }
            @{ Parameter = 'ToVersion' }
        ) {
            $splat = @{ Product = 'SesEvolution'; FromVersion = '2.6'; ToVersion = '2.7.1' }
            $splat[$Parameter] = ''
            { Start-FirewallPortMigration @splat -WhatIf } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }

        It 'refuses a backend this system does not have' -Skip:(-not $IsLinux) {
            $err = Get-CaughtError { Start-FirewallPortMigration -Product SesEvolution -FromVersion 2.6 -ToVersion 2.7.1 -Backend WindowsFirewall -Confirm:$false }
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'FirewallBackendNotSupported')
            "$($err.CategoryInfo.Category)" | Should -Be 'NotImplemented'
        }
    }
}

Describe 'The SES Evolution 2.6 -> 2.7.1 migration on nftables' -Tag 'Integration' -Skip:(-not $canUseNetns) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $ns = New-TestNetNamespace
        # The documented procedure end to end on one agent handler, in one pwsh; each stage is kept.
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            function Get-Stage {
                param([string[]] $ErrorId = @())
                [pscustomobject]@{
                    Rules   = @(Get-FirewallPortRule | ForEach-Object { $_.Name })
                    Status  = @(Get-FirewallPortMigration -Product SesEvolution)
                    Ruleset = (nft list ruleset) -join "`n"
                    Errors  = $ErrorId
                }
            }
            $stages = [ordered]@{}
            Get-AgentPortRequirement -Product SesEvolution -Version 2.6 -Component AgentHandler | New-FirewallPortRule
            $stages.Old = Get-Stage
            Complete-FirewallPortMigration -Product SesEvolution -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
            $stages.CompleteBeforeStart = Get-Stage -ErrorId @($e | ForEach-Object FullyQualifiedErrorId)
            try { Start-FirewallPortMigration -Product SesEvolution -FromVersion 2.6 -ToVersion 2.7.1 -Confirm:$false } catch { $noTopology = $_.FullyQualifiedErrorId }
            $stages.NoTopology = Get-Stage -ErrorId $noTopology
            Start-FirewallPortMigration -Product SesEvolution -FromVersion 2.6 -ToVersion 2.7.1 -Topology SeparateMachines -WhatIf
            $stages.WhatIf = Get-Stage
            $started = @(Start-FirewallPortMigration -Product SesEvolution -FromVersion 2.6 -ToVersion 2.7.1 -Topology SeparateMachines -Confirm:$false)
            $stages.Started = Get-Stage
            $again = @(Start-FirewallPortMigration -Product SesEvolution -FromVersion 2.6 -ToVersion 2.7.1 -Topology SeparateMachines -Confirm:$false)
            $stages.StartedAgain = Get-Stage
            Complete-FirewallPortMigration -Product SesEvolution -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
            $stages.Refused = Get-Stage -ErrorId @($e | ForEach-Object { $_.FullyQualifiedErrorId + '|' + $_.TargetObject })
            Set-FirewallPortMigration -Product SesEvolution -Component AgentHandler -Migrated $true
            $stages.Marked = Get-Stage
            $removed = @(Complete-FirewallPortMigration -Product SesEvolution -Confirm:$false -PassThru)
            $stages.Completed = Get-Stage
            [pscustomobject]@{ Stages = [pscustomobject]$stages; Started = $started; Again = $again; Removed = @($removed.Name) }
        }
        $run = $result.Output[0]
        $stages = $run.Stages
        $oldRules = @(
            'EA-SesEvolution-2.6-AgentHandler-In-TCP-17000', 'EA-SesEvolution-2.6-AgentHandler-Out-TCP-1468', 'EA-SesEvolution-2.6-AgentHandler-Out-TCP-443'
            'EA-SesEvolution-2.6-AgentHandler-Out-TCP-5614', 'EA-SesEvolution-2.6-AgentHandler-Out-UDP-514'
        )
        $newRules = @(
            'EA-SesEvolution-2.7.1-AgentHandler-In-TCP-17000', 'EA-SesEvolution-2.7.1-AgentHandler-In-TCP-443', 'EA-SesEvolution-2.7.1-AgentHandler-Out-TCP-1468'
            'EA-SesEvolution-2.7.1-AgentHandler-Out-TCP-443', 'EA-SesEvolution-2.7.1-AgentHandler-Out-TCP-5614', 'EA-SesEvolution-2.7.1-AgentHandler-Out-UDP-514'
        )
    }

    AfterAll {
        if ($ns) { Remove-TestNetNamespace -Namespace $ns }
    }

    It 'starts from the 2.6 agent handler rules, with no migration' {
        @($stages.Old.Rules | Sort-Object) | Should -Be ($oldRules | Sort-Object)
        $stages.Old.Status[0].State.ToString() | Should -Be 'None'
        @($stages.Old.Status[0].VersionsPresent) | Should -Be @('2.6')
    }

    It 'refuses to complete before a migration is started, changing nothing' {
        @($stages.CompleteBeforeStart.Errors) | Should -Be @('FirewallMigrationNotStarted,EndpointAdmin.Commands.CompleteFirewallPortMigrationCommand')
        $stages.CompleteBeforeStart.Ruleset | Should -Be $stages.Old.Ruleset
    }

    It 'needs -Topology for 2.7.1, changing nothing' {
        @($stages.NoTopology.Errors) | Should -Be @('FirewallMigrationTopologyRequired,EndpointAdmin.Commands.StartFirewallPortMigrationCommand')
        $stages.NoTopology.Ruleset | Should -Be $stages.Old.Ruleset
    }

    It 'changes nothing with -WhatIf' {
        $stages.WhatIf.Ruleset | Should -Be $stages.Old.Ruleset
    }

    It 'adds the 2.7.1 rules beside the 2.6 ones and shows the migration in progress' {
        @($stages.Started.Rules | Sort-Object) | Should -Be (($oldRules + $newRules) | Sort-Object)
        $status = $run.Started[0]
        $status.State.ToString() | Should -Be 'InProgress'
        $status.FromVersion | Should -Be '2.6'
        $status.ToVersion | Should -Be '2.7.1'
        $status.Migrated | Should -BeFalse
        $status.FromVersionRuleCount | Should -Be 5
        $status.ToVersionRuleCount | Should -Be 6
        @($status.VersionsPresent) | Should -Be @('2.6', '2.7.1')
        # The migration record lives in EndpointAdmin's records chain.
        $stages.Started.Ruleset | Should -Match 'migration:SesEvolution'
    }

    It 'adds nothing when started again' {
        @($stages.StartedAgain.Rules | Sort-Object) | Should -Be @($stages.Started.Rules | Sort-Object)
        $run.Again[0].State.ToString() | Should -Be 'InProgress'
    }

    It 'refuses to complete while the agent handler is not marked migrated' {
        @($stages.Refused.Errors) | Should -Be @('FirewallMigrationComponentNotMigrated,EndpointAdmin.Commands.CompleteFirewallPortMigrationCommand|AgentHandler')
        @($stages.Refused.Rules | Sort-Object) | Should -Be @($stages.Started.Rules | Sort-Object)
    }

    It 'is ready to complete once the component is marked' {
        $stages.Marked.Status[0].State.ToString() | Should -Be 'ReadyToComplete'
        $stages.Marked.Status[0].Migrated | Should -BeTrue
    }

    It 'completes: only the 2.7.1 rules remain and the migration record is gone' {
        @($run.Removed | Sort-Object) | Should -Be ($oldRules | Sort-Object)
        @($stages.Completed.Rules | Sort-Object) | Should -Be ($newRules | Sort-Object)
        $stages.Completed.Status[0].State.ToString() | Should -Be 'None'
        @($stages.Completed.Status[0].VersionsPresent) | Should -Be @('2.7.1')
        $stages.Completed.Ruleset | Should -Not -Match 'migration:'
    }
}

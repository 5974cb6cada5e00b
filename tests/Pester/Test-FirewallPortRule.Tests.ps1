#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:canUseNetns = Test-NetNamespaceSupport
    $script:badRules = Get-BadFirewallRuleCase
}

Describe 'Test-FirewallPortRule' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $command = Get-Command Test-FirewallPortRule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.TestFirewallPortRuleCommand" }
        $valid = @{ DisplayName = 'Bad input'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '443' }
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the wanted-rule parameters of New-FirewallPortRule, and -Quiet' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $expected = 'Action', 'Backend', 'Direction', 'DisplayName', 'Enabled', 'Group', 'InputObject', 'LocalPort', 'Name', 'Protocol', 'Quiet', 'RemoteAddress', 'RemoteMacAddress', 'RemotePort'
            @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) | Should -Be ($expected | Sort-Object)
            $command.Parameters['Quiet'].ParameterType | Should -Be ([switch])
        }

        It 'changes nothing, so it has no ShouldProcess' {
            (Get-CmdletAttribute -Name Test-FirewallPortRule).SupportsShouldProcess | Should -BeFalse
            $command.Parameters.Keys | Should -Not -Contain 'WhatIf'
        }

        It 'takes piped objects through -InputObject only, with no mandatory parameter and no wildcards' {
            $command.Parameters['InputObject'].ParameterType | Should -Be ([psobject])
            $command.Parameters['InputObject'].ParameterSets['__AllParameterSets'].ValueFromPipeline | Should -BeTrue
            foreach ($parameter in $command.Parameters.Values | Where-Object Name -NE 'InputObject') {
                $set = $parameter.ParameterSets['__AllParameterSets']
                ($set.ValueFromPipeline -or $set.ValueFromPipelineByPropertyName) | Should -BeFalse -Because "-$($parameter.Name) is not bound from the pipeline"
            }
            @($command.Parameters.Values | Where-Object { $_.ParameterSets['__AllParameterSets'].IsMandatory }) | Should -BeNullOrEmpty
            @($command.Parameters.Values | Where-Object { $_.Attributes.TypeId.Name -contains 'SupportsWildcardsAttribute' }) | Should -BeNullOrEmpty
        }

        It 'shows at least three examples in Get-Help' {
            @((Get-Help Test-FirewallPortRule -Examples).examples.example).Count | Should -BeGreaterOrEqual 3
        }
    }

    Context 'Bad input, rejected before the firewall is read' -Skip:(-not ($IsLinux -or $IsWindows)) {
        It 'rejects <Label> with <ErrorId>' -ForEach $badRules {
            $splat = $valid.Clone()
            foreach ($key in $Change.Keys) { $splat[$key] = $Change[$key] }
            # -ErrorAction Stop ends the command at the first error, before it reads the firewall.
            $err = Get-CaughtError { Test-FirewallPortRule @splat -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $err.FullyQualifiedErrorId | Should -Be (& $fqid $ErrorId)
            "$($err.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
            $err.TargetObject | Should -Be $Target
        }

        It 'rejects an Outbound rule with a RemoteMacAddress on nftables' -Skip:(-not $IsLinux) {
            $err = Get-CaughtError { Test-FirewallPortRule -DisplayName 'Bad input' -Direction Outbound -Protocol UDP -RemotePort 514 -RemoteMacAddress 00:11:22:33:44:55 -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'FirewallMacAddressNotSupported')
            "$($err.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
            $err.TargetObject | Should -Be 'Bad input'
        }
    }
}

Describe 'Test-FirewallPortRule on nftables' -Tag 'Integration' -Skip:(-not $canUseNetns) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $ns = New-TestNetNamespace
        # Missing, then present, then present with other settings wanted; all in one pwsh. Enums
        # come back deserialized (numbers that keep their name in ToString()).
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            $rows = Get-AgentPortRequirement -Product KasperskySecurityCenter -Component AdministrationServer -Direction Inbound
            $missing = @($rows | Test-FirewallPortRule)
            $missingQuiet = $rows | Test-FirewallPortRule -Quiet
            $rows | New-FirewallPortRule -RemoteAddress 10.20.30.0/24
            $present = @($rows | Test-FirewallPortRule -RemoteAddress 10.20.30.0/24)
            $presentQuiet = $rows | Test-FirewallPortRule -RemoteAddress 10.20.30.0/24 -Quiet
            $different = @($rows | Test-FirewallPortRule -RemoteAddress 10.20.30.0/25)
            # Rules as they come back from another machine through remoting, and a CSV-like row.
            $remote = Get-FirewallPortRule | ForEach-Object { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_)) }
            $fromRemote = @($remote | Test-FirewallPortRule)
            $csvRow = @([pscustomobject]@{ Name = 'EA-KasperskySecurityCenter-All-AdministrationServer-In-TCP-13000'; DisplayName = $present[0].DisplayName; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '13000'; RemoteAddress = '10.20.30.0/24' } | Test-FirewallPortRule)
            $invalidQuiet = Test-FirewallPortRule -DisplayName 'x' -Direction Inbound -Protocol TCP -LocalPort abc -Quiet
            [pscustomobject]@{
                Missing = $missing; MissingQuiet = $missingQuiet
                Present = $present; PresentQuiet = $presentQuiet
                Different = $different; InvalidQuiet = $invalidQuiet
                FromRemote = $fromRemote; CsvRow = $csvRow
            }
        }
        $stages = $result.Output[0]
    }

    AfterAll {
        if ($ns) { Remove-TestNetNamespace -Namespace $ns }
    }

    It 'reports rules that are not there as Missing' {
        @($stages.Missing).Count | Should -Be 2
        $stages.Missing | ForEach-Object {
            $_.State.ToString() | Should -Be 'Missing'
            $_.InDesiredState | Should -BeFalse
        }
        $stages.MissingQuiet | Should -BeFalse
    }

    It 'reports the same rules as Present once they are created' {
        $stages.Present | ForEach-Object {
            $_.State.ToString() | Should -Be 'Present'
            $_.InDesiredState | Should -BeTrue
            @($_.Differences).Count | Should -Be 0
        }
        $stages.PresentQuiet | Should -BeTrue
    }

    It 'names the setting that differs' {
        $stages.Different | ForEach-Object {
            $_.State.ToString() | Should -Be 'Different'
            @($_.Differences) | Should -Be @('RemoteAddress: wanted 10.20.30.0/25, found 10.20.30.0/24')
        }
    }

    It 'takes deserialized rules (from remoting) and CSV-like rows as wanted rules' {
        @($stages.FromRemote).Count | Should -Be 2
        $stages.FromRemote | ForEach-Object { $_.State.ToString() | Should -Be 'Present' }
        $stages.CsvRow[0].State.ToString() | Should -Be 'Present'
    }

    It 'answers False with -Quiet when an input was rejected' {
        $stages.InvalidQuiet | Should -BeFalse
        $result.Errors.ErrorId | Should -Be 'FirewallPortInvalid,EndpointAdmin.Commands.TestFirewallPortRuleCommand'
    }
}

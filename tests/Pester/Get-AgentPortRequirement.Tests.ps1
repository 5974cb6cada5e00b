#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery {
    # The SES Evolution 2.6 -> 2.7.1 port table, row by row (topology Any where both 2.7 columns agree).
    $script:sesRows = @(
        @{ Version = '2.6'; Component = 'Backend'; Direction = 'Inbound'; Protocol = 'TCP'; Port = 443; Topology = 'Any' }
        @{ Version = '2.6'; Component = 'Backend'; Direction = 'Inbound'; Protocol = 'TCP'; Port = 10443; Topology = 'Any' }
        @{ Version = '2.6'; Component = 'Backend'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 443; Topology = 'Any' }
        @{ Version = '2.6'; Component = 'Backend'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 1433; Topology = 'Any' }
        @{ Version = '2.6'; Component = 'Backend'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 1434; Topology = 'Any' }
        @{ Version = '2.6'; Component = 'Backend'; Direction = 'Outbound'; Protocol = 'UDP'; Port = 1434; Topology = 'Any' }
        @{ Version = '2.6'; Component = 'AdministrationConsole'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 443; Topology = 'Any' }
        @{ Version = '2.6'; Component = 'AgentHandler'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 443; Topology = 'Any' }
        @{ Version = '2.6'; Component = 'AgentHandler'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 1468; Topology = 'Any' }
        @{ Version = '2.6'; Component = 'AgentHandler'; Direction = 'Outbound'; Protocol = 'UDP'; Port = 514; Topology = 'Any' }
        @{ Version = '2.6'; Component = 'AgentHandler'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 5614; Topology = 'Any' }
        @{ Version = '2.6'; Component = 'AgentHandler'; Direction = 'Inbound'; Protocol = 'TCP'; Port = 17000; Topology = 'Any' }
        @{ Version = '2.6'; Component = 'Agent'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 17000; Topology = 'Any' }
        @{ Version = '2.7.1'; Component = 'Backend'; Direction = 'Inbound'; Protocol = 'TCP'; Port = 8443; Topology = 'SameMachine' }
        @{ Version = '2.7.1'; Component = 'Backend'; Direction = 'Inbound'; Protocol = 'TCP'; Port = 443; Topology = 'SeparateMachines' }
        @{ Version = '2.7.1'; Component = 'Backend'; Direction = 'Inbound'; Protocol = 'TCP'; Port = 10443; Topology = 'Any' }
        @{ Version = '2.7.1'; Component = 'Backend'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 443; Topology = 'Any' }
        @{ Version = '2.7.1'; Component = 'Backend'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 1433; Topology = 'Any' }
        @{ Version = '2.7.1'; Component = 'Backend'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 1434; Topology = 'Any' }
        @{ Version = '2.7.1'; Component = 'Backend'; Direction = 'Outbound'; Protocol = 'UDP'; Port = 1434; Topology = 'Any' }
        @{ Version = '2.7.1'; Component = 'AdministrationConsole'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 8443; Topology = 'SameMachine' }
        @{ Version = '2.7.1'; Component = 'AdministrationConsole'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 443; Topology = 'SeparateMachines' }
        @{ Version = '2.7.1'; Component = 'AgentHandler'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 8443; Topology = 'SameMachine' }
        @{ Version = '2.7.1'; Component = 'AgentHandler'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 443; Topology = 'SeparateMachines' }
        @{ Version = '2.7.1'; Component = 'AgentHandler'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 1468; Topology = 'Any' }
        @{ Version = '2.7.1'; Component = 'AgentHandler'; Direction = 'Outbound'; Protocol = 'UDP'; Port = 514; Topology = 'Any' }
        @{ Version = '2.7.1'; Component = 'AgentHandler'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 5614; Topology = 'Any' }
        @{ Version = '2.7.1'; Component = 'AgentHandler'; Direction = 'Inbound'; Protocol = 'TCP'; Port = 17000; Topology = 'Any' }
        @{ Version = '2.7.1'; Component = 'AgentHandler'; Direction = 'Inbound'; Protocol = 'TCP'; Port = 443; Topology = 'Any' }
        @{ Version = '2.7.1'; Component = 'Agent'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 17000; Topology = 'Any' }
        @{ Version = '2.7.1'; Component = 'Agent'; Direction = 'Outbound'; Protocol = 'TCP'; Port = 443; Topology = 'Any' }
    )
}

Describe 'Get-AgentPortRequirement' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.GetAgentPortRequirementCommand" }
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the expected parameters' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $actual = (Get-Command Get-AgentPortRequirement).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('Product', 'Version', 'Component', 'Topology', 'Direction') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'does not support ShouldProcess (it changes nothing)' {
            (Get-Command Get-AgentPortRequirement).Parameters.Keys | Should -Not -Contain 'WhatIf'
        }

        It 'takes wildcards in -Component only' {
            (Get-Command Get-AgentPortRequirement).Parameters['Component'].Attributes.TypeId.Name | Should -Contain 'SupportsWildcardsAttribute'
        }
    }

    Context 'SES Evolution port table' {
        It 'lists exactly the 31 rows of the table' {
            $rows = @(Get-AgentPortRequirement -Product SesEvolution)
            $rows.Count | Should -Be 31
            $rows | ForEach-Object { $_ | Should -BeOfType ([EndpointAdmin.PortRequirement]) }
        }

        It '<Version> <Component> <Direction> <Protocol> <Port> (<Topology>)' -ForEach $sesRows {
            $splat = @{ Product = 'SesEvolution'; Version = $Version; Component = $Component; Direction = $Direction }
            if ($Topology -ne 'Any') { $splat.Topology = $Topology }
            $match = @(Get-AgentPortRequirement @splat | Where-Object { $_.Port -eq $Port -and "$($_.Protocol)" -eq $Protocol -and "$($_.Topology)" -eq $Topology })
            $match.Count | Should -Be 1
            $match[0].Version | Should -Be $Version
            $match[0].Source | Should -Match 'SES Evolution 2\.7\.1'
        }

        It 'matches 2.7.1 and later in the 2.7 line' {
            @(Get-AgentPortRequirement -Product SesEvolution -Version 2.7.3).Version | Sort-Object -Unique | Should -Be '2.7.1'
        }
    }

    Context 'The other products' {
        It 'Apex One (Mac): 4343 for agents 3.5.3xxx or later, 61617 (fixed) for 3.5.2xxx or earlier' {
            $new = Get-AgentPortRequirement -Product ApexOne -Version 3.5.3120 -Component Server
            $new.Port | Should -Be 4343
            $new.Configurable | Should -BeTrue
            $old = Get-AgentPortRequirement -Product ApexOne -Version 3.5.2xxx -Component Server
            $old.Port | Should -Be 61617
            $old.Configurable | Should -BeFalse
        }

        It 'Kaspersky Security Center: 13000 TCP and UDP on the server, 15000 on devices' {
            $server = Get-AgentPortRequirement -Product KasperskySecurityCenter -Component AdministrationServer -Direction Inbound
            @($server | ForEach-Object { "$($_.Protocol)/$($_.Port)" } | Sort-Object) | Should -Be @('TCP/13000', 'UDP/13000')
            (Get-AgentPortRequirement -Product KasperskySecurityCenter -Component NetworkAgent -Direction Inbound).Port | Should -Be 15000
        }

        It 'Deep Security: 4118 on agents, 4119 and 4120 on the manager, 4122 on relays' {
            (Get-AgentPortRequirement -Product DeepSecurity -Component Agent -Direction Inbound).Port | Should -Be 4118
            @((Get-AgentPortRequirement -Product DeepSecurity -Component Manager -Direction Inbound).Port | Sort-Object) | Should -Be @(4119, 4120)
            (Get-AgentPortRequirement -Product DeepSecurity -Component Relay -Direction Inbound).Port | Should -Be 4122
        }
    }

    Context 'Pipeline input' {
        It 'binds Product, Version and Component by property name, one record at a time' {
            $rows = @(
                [pscustomobject]@{ Product = 'SesEvolution'; Version = '2.6'; Component = 'Backend'; Direction = 'Inbound' }
                [pscustomobject]@{ Product = 'KasperskySecurityCenter'; Component = 'NetworkAgent' }
            ) | Get-AgentPortRequirement
            @($rows | Where-Object Product -EQ 'SesEvolution').Port | Should -Be @(443, 10443)
            @($rows | Where-Object Product -EQ 'KasperskySecurityCenter').Count | Should -Be 3
        }
    }

    Context 'Bad input' {
        It 'rejects an unknown product at binding and lists the valid ones' {
            { Get-AgentPortRequirement -Product Sophos -ErrorAction Stop } |
                Should -Throw -ErrorId (& $fqid 'CannotConvertArgumentNoMessage') -ExpectedMessage '*ApexOne, DeepSecurity, KasperskySecurityCenter, SesEvolution*'
        }

        It 'reports a version no row covers, naming the known versions' {
            $rows = Get-AgentPortRequirement -Product SesEvolution -Version 2.7.0 -ErrorVariable err -ErrorAction SilentlyContinue
            $rows | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be (& $fqid 'PortCatalogVersionNotFound')
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].TargetObject | Should -Be '2.7.0'
            $err[0].Exception.Message | Should -BeLike '*Known versions: 2.6, 2.7.1*'
        }

        It 'reports <Arguments> as <ErrorId>' -ForEach @(
            @{ Arguments = @{ Product = 'SesEvolution'; Version = 'two' }; ErrorId = 'PortCatalogVersionInvalid'; Category = 'InvalidArgument' }
            @{ Arguments = @{ Version = '2.7.1' }; ErrorId = 'PortCatalogVersionWithoutProduct'; Category = 'InvalidArgument' }
            @{ Arguments = @{ Product = 'SesEvolution'; Component = 'Frontend' }; ErrorId = 'PortCatalogComponentNotFound'; Category = 'ObjectNotFound' }
        ) {
            $null = Get-AgentPortRequirement @Arguments -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be (& $fqid $ErrorId)
            "$($err[0].CategoryInfo.Category)" | Should -Be $Category
        }

        It 'turns a version error into a terminating one with -ErrorAction Stop' {
            { Get-AgentPortRequirement -Product SesEvolution -Version 2.8 -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'PortCatalogVersionNotFound')
        }

        It 'refuses -Topology Any (it is not a deployment)' {
            { Get-AgentPortRequirement -Topology Any } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }
    }

    Context 'Output and remoting' {
        It 'renders its table view' {
            $text = Get-AgentPortRequirement -Product KasperskySecurityCenter | Out-String -Width 200
            $text | Should -Match 'Product\s+Version\s+Component\s+Direction\s+Protocol\s+Port\s+Topology\s+Purpose'
        }

        It 'reads the same after a CliXml round trip (what remoting does)' {
            $live = Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component Backend
            $back = $live | ForEach-Object { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_)) }
            $back[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.EndpointAdmin.PortRequirement'
            foreach ($name in $live[0].PSObject.Properties.Name) {
                "$($back[0].$name)" | Should -Be "$($live[0].$name)"
            }
            ($back | Out-String -Width 200) | Should -Be ($live | Out-String -Width 200)
        }

        It 'shows its examples in Get-Help' {
            (Get-Help Get-AgentPortRequirement -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }
    }
}

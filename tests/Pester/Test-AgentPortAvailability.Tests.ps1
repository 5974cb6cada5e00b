#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Test-AgentPortAvailability with ports this file holds open itself.

Describe 'Test-AgentPortAvailability' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.TestAgentPortAvailabilityCommand" }
        $held = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $held.Start()
        $heldPort = $held.LocalEndpoint.Port
        $udp = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
        $udpPort = $udp.Client.LocalEndPoint.Port
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $freePort = $probe.LocalEndpoint.Port; $probe.Stop()
    }

    AfterAll {
        $held.Stop()
        $udp.Dispose()
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the expected parameters' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $actual = (Get-Command Test-AgentPortAvailability).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('Port', 'Protocol') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'binds Port and Protocol by property name' {
            foreach ($name in 'Port', 'Protocol') {
                (Get-Command Test-AgentPortAvailability).Parameters[$name].ParameterSets.Values[0].ValueFromPipelineByPropertyName | Should -BeTrue
            }
        }
    }

    Context 'Ports in use and free' {
        It 'names this process as the holder of a port it listens on' {
            $row = Test-AgentPortAvailability -Port $heldPort
            $row | Should -BeOfType ([EndpointAdmin.PortAvailability])
            $row.Available | Should -BeFalse
            $row.State | Should -Be 'Listen'
            $row.LocalAddress | Should -Be '127.0.0.1'
            $row.ProcessId | Should -Be $PID
            $row.ProcessName | Should -Not -BeNullOrEmpty
        }

        It 'finds a bound UDP port, and the same number free over TCP' {
            $rows = @(Test-AgentPortAvailability -Port $udpPort -Protocol UDP) + @(Test-AgentPortAvailability -Port $udpPort -Protocol TCP)
            $rows[0].Available | Should -BeFalse
            $rows[0].ProcessId | Should -Be $PID
            $rows[1].Available | Should -BeTrue
        }

        It 'reports a released port as available' {
            (Test-AgentPortAvailability $freePort).Available | Should -BeTrue
        }
    }

    Context 'Pipeline input' {
        It 'takes the catalog and checks each port once' {
            $rows = @(Get-AgentPortRequirement -Product ApexOne -Direction Inbound | Test-AgentPortAvailability)
            @($rows | ForEach-Object { "$($_.Protocol)/$($_.Port)" } | Sort-Object -Unique) | Should -Be @('TCP/4343', 'TCP/61617')
        }

        It 'takes objects with Port and Protocol properties' {
            $row = [pscustomobject]@{ Port = $udpPort; Protocol = 'UDP' } | Test-AgentPortAvailability
            $row.Protocol | Should -Be 'UDP'
            $row.Available | Should -BeFalse
        }
    }

    Context 'Bad input' {
        It 'reports port <Port> as PortAvailabilityPortInvalid and checks the others' -ForEach @(@{ Port = 0 }, @{ Port = 65536 }) {
            $rows = Test-AgentPortAvailability -Port $Port, $freePort -ErrorVariable err -ErrorAction SilentlyContinue
            @($rows).Count | Should -Be 1
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be (& $fqid 'PortAvailabilityPortInvalid')
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].TargetObject | Should -Be $Port
        }
    }

    Context 'Output' {
        It 'reads the same after a CliXml round trip (what remoting does)' {
            $live = Test-AgentPortAvailability -Port $heldPort
            $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live))
            $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.EndpointAdmin.PortAvailability'
            foreach ($name in $live.PSObject.Properties.Name) {
                "$($back.$name)" | Should -Be "$($live.$name)"
            }
            ($back | Out-String -Width 200) | Should -Be ($live | Out-String -Width 200)
        }
    }
}

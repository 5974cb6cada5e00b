#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# End to end over PowerShell remoting on SSH: two network namespaces joined by a veth pair, an
# sshd of the test's own (its config, host key and client key) in the "remote" one with a
# powershell subsystem, and pwsh in the "local" one running Invoke-Command -HostName. The remote
# side imports the built module by path and changes ONLY the remote namespace's firewall; nft
# reads it back independently. All traffic stays on the veth pair.

Describe 'EndpointAdmin over SSH remoting between two network namespaces' -Tag 'Integration', 'Remoting' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:skip = Get-SshTestSkipReason
        if ($script:skip) { return }
        $pwshPath = Get-SshTestPwshPath

        $id = [guid]::NewGuid().ToString('N').Substring(0, 6)
        $script:work = Join-Path ([IO.Path]::GetTempPath()) "eassh-$id"
        $null = New-Item -ItemType Directory -Path $work
        $script:local = "eassh-l-$id"
        $script:remote = "eassh-r-$id"
        $script:remoteAddress = '10.231.90.2'
        $script:sshdProcess = $null
        foreach ($ns in $local, $remote) {
            & ip netns add $ns
            if ($LASTEXITCODE -ne 0) { throw "ip netns add $ns failed" }
            & ip -n $ns link set lo up
        }
        & ip link add "eas$($id)a" netns $local type veth peer name "eas$($id)b" netns $remote
        & ip -n $local addr add 10.231.90.1/24 dev "eas$($id)a"
        & ip -n $remote addr add "$remoteAddress/24" dev "eas$($id)b"
        & ip -n $local link set "eas$($id)a" up
        & ip -n $remote link set "eas$($id)b" up

        & ssh-keygen -q -t ed25519 -N '' -C 'eassh-host' -f (Join-Path $work 'host_key')
        & ssh-keygen -q -t ed25519 -N '' -C 'eassh-client' -f (Join-Path $work 'client_key')
        $script:clientKey = Join-Path $work 'client_key'
        Copy-Item -LiteralPath "$clientKey.pub" -Destination (Join-Path $work 'authorized_keys')
        $sshd = Start-TestSshd -Namespace $remote -Address $remoteAddress -WorkDirectory $work -Name remote -Subsystem "$pwshPath -sshs -NoLogo"
        $script:sshdProcess = $sshd.Process
        $script:sshdLog = $sshd.Log
        Wait-TestSshd -Sshd $sshd

        # The local side: a pwsh in the local namespace; results come back as CliXml.
        $script:manifest = Get-BuiltModuleManifest
        $client = Join-Path $work 'client.ps1'
        Set-Content -LiteralPath $client -Value @'
param($HostAddress, $KeyFile, $ModuleManifest, $ResultFile)
$ErrorActionPreference = 'Stop'
# The module on the client side too: its format views render what comes back.
Import-Module $ModuleManifest
$ssh = @{ HostName = $HostAddress; UserName = 'root'; KeyFilePath = $KeyFile; Options = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' } }
# -HostName has no -ThrottleLimit: fan-outs over SSH open sessions first (below).
$applied = Invoke-Command @ssh -ScriptBlock {
    param($m)
    Import-Module $m -ErrorAction Stop
    Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler -Direction Inbound | New-FirewallPortRule -PassThru
} -ArgumentList $ModuleManifest
$session = New-PSSession @ssh
try {
    $rules = Invoke-Command -Session $session -ThrottleLimit 8 -ScriptBlock { param($m) Import-Module $m -ErrorAction Stop; Get-FirewallPortRule } -ArgumentList $ModuleManifest
    # Deserialized rules sent back to the remote side still bind there.
    $tested = Invoke-Command -Session $session -ScriptBlock { param($r) $r | Test-FirewallPortRule } -ArgumentList (, $rules)
    # Connection tests from the remote endpoint: one table, the endpoint in PSComputerName.
    $connections = Invoke-Command -Session $session -ThrottleLimit 8 -ScriptBlock { param($target) Test-AgentConnection $target -Port 22 -TimeoutSec 5 } -ArgumentList $HostAddress
}
finally {
    Remove-PSSession $session
}
[pscustomobject]@{
    Applied = @($applied)
    Rules   = @($rules)
    Tested  = @($tested)
    Table   = ($rules | Out-String -Width 250)
    Connections = @($connections)
    ConnectionTable = ($connections | Out-String -Width 250)
} | Export-Clixml -LiteralPath $ResultFile -Depth 4
'@
        $resultFile = Join-Path $work 'result.xml'
        $script:clientOutput = & timeout 180 ip netns exec $local $pwshPath -NoProfile -NonInteractive -File $client -HostAddress $remoteAddress -KeyFile $clientKey -ModuleManifest $manifest -ResultFile $resultFile 2>&1
        $script:clientExit = $LASTEXITCODE
        $script:result = if (Test-Path -LiteralPath $resultFile) { Import-Clixml -LiteralPath $resultFile } else { $null }
    }

    AfterAll {
        if ($script:sshdProcess -and -not $script:sshdProcess.HasExited) {
            Stop-Process -Id $script:sshdProcess.Id -Force -ErrorAction SilentlyContinue
            $null = $script:sshdProcess.WaitForExit(10000)
        }
        foreach ($ns in @($script:local, $script:remote) | Where-Object { $_ }) {
            # Whatever still runs inside the test's own namespaces (session sshd children) goes with them.
            foreach ($processId in @(& ip netns pids $ns 2>$null)) {
                Stop-Process -Id ([int]$processId) -Force -ErrorAction SilentlyContinue
            }
            & ip netns del $ns 2>$null
        }
        if ($script:work) { Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'applies the agent handler rules in the remote namespace through Invoke-Command -HostName' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $clientExit | Should -Be 0 -Because ($clientOutput -join [Environment]::NewLine)
        $result.Applied.Count | Should -Be 2
        $result.Applied | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'Deserialized.EndpointAdmin.FirewallPortRule' }
        $result.Applied | ForEach-Object { $_.PSComputerName | Should -Be $remoteAddress }
        @($result.Applied.Name | Sort-Object) | Should -Be @('EA-SesEvolution-2.7.1-AgentHandler-In-TCP-17000', 'EA-SesEvolution-2.7.1-AgentHandler-In-TCP-443')
    }

    It 'reads the rules back through remoting, rendered with the table view and the computer name' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $result.Rules.Count | Should -Be 2
        $header = ($result.Table -split "`n" | Where-Object { $_.Trim() } | Select-Object -First 1)
        $header | Should -Match '^Name\s+Direction\s+Protocol\s+LocalPort'
        $header | Should -Match 'PSComputerName\s*$'
        $result.Table | Should -Match ([regex]::Escape($remoteAddress))
        @($result.Tested | Where-Object { $_.InDesiredState }).Count | Should -Be 2
    }

    It 'collects Test-AgentConnection results from the endpoint into one table with its computer name' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $result.Connections.Count | Should -BeGreaterThan 0
        $result.Connections | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'Deserialized.EndpointAdmin.ConnectionTestResult' }
        $result.Connections | ForEach-Object { $_.PSComputerName | Should -Be $remoteAddress }
        $header = ($result.ConnectionTable -split "`n" | Where-Object { $_.Trim() } | Select-Object -First 1)
        $header | Should -Match 'PSComputerName\s*$'
        $result.ConnectionTable | Should -Match '\b22\b'
    }

    It 'changed the remote namespace only, as nft itself reads it' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $json = (& ip netns exec $remote nft -j list table inet endpointadmin) -join "`n" | ConvertFrom-Json
        $ports = @($json.nftables | Where-Object { $_.rule } | ForEach-Object { $_.rule.expr | Where-Object { $_.match.left.payload.field -eq 'dport' } | ForEach-Object { $_.match.right } })
        @($ports | Sort-Object) | Should -Be @(443, 17000)
        (& ip netns exec $local nft list ruleset) -join '' | Should -BeNullOrEmpty
    }
}

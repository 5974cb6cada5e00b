#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# A baseline fanned out over a fleet with SSH remoting, end to end: eight "hosts", each a network
# namespace of the test's own joined to a "client" namespace by a veth pair, with an sshd of the
# test's own and a powershell subsystem. One host is unreachable (no sshd, and its namespace drops
# every incoming packet, so only the connecting timeout ends the attempt); one is slow (its
# subsystem sleeps before it starts pwsh). The client opens sessions with a bounded
# -ConnectingTimeout and applies the HostFirewall part of a baseline with
# Invoke-Command -Session -ThrottleLimit. nft reads each host's ruleset back independently.
# All traffic stays on the veth pairs; nftables changes only inside these namespaces.

Describe 'Set-AgentBaseline across a fleet of eight SSH hosts' -Tag 'Integration', 'Remoting' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:skip = Get-SshTestSkipReason
        if ($script:skip) { return }
        $pwshPath = Get-SshTestPwshPath

        # The numbers the assertions derive their bounds from.
        $script:connectingTimeoutSec = 30
        $script:slowDelaySec = 20
        $script:throttle = 3
        $script:hostCount = 8
        $script:unreachableIndex = 7
        $script:slowIndex = 3

        $id = [guid]::NewGuid().ToString('N').Substring(0, 6)
        $script:work = Join-Path ([IO.Path]::GetTempPath()) "eafleet-$id"
        $null = New-Item -ItemType Directory -Path $work
        $script:client = "eafl-c-$id"
        $script:namespaces = @($client)
        $script:sshdProcesses = @()
        & ip netns add $client
        if ($LASTEXITCODE -ne 0) { throw "ip netns add $client failed" }
        & ip -n $client link set lo up

        & ssh-keygen -q -t ed25519 -N '' -C 'eafleet-host' -f (Join-Path $work 'host_key')
        & ssh-keygen -q -t ed25519 -N '' -C 'eafleet-client' -f (Join-Path $work 'client_key')
        $script:clientKey = Join-Path $work 'client_key'
        Copy-Item -LiteralPath "$clientKey.pub" -Destination (Join-Path $work 'authorized_keys')
        $slowSubsystem = Join-Path $work 'slow-subsystem.sh'
        [IO.File]::WriteAllText($slowSubsystem, "#!/bin/sh`nsleep $slowDelaySec`nexec '$pwshPath' -sshs -NoLogo`n")
        & chmod +x $slowSubsystem

        $script:fleet = @()
        for ($i = 0; $i -lt $hostCount; $i++) {
            $ns = "eafl-h$i-$id"
            $address = "10.232.$(10 + $i).2"
            & ip netns add $ns
            if ($LASTEXITCODE -ne 0) { throw "ip netns add $ns failed" }
            $script:namespaces += $ns
            & ip -n $ns link set lo up
            & ip link add "efl$id$($i)a" netns $client type veth peer name "efl$id$($i)b" netns $ns
            & ip -n $client addr add "10.232.$(10 + $i).1/24" dev "efl$id$($i)a"
            & ip -n $ns addr add "$address/24" dev "efl$id$($i)b"
            & ip -n $client link set "efl$id$($i)a" up
            & ip -n $ns link set "efl$id$($i)b" up
            $script:fleet += [pscustomobject]@{ Index = $i; Namespace = $ns; Address = $address }
            if ($i -eq $unreachableIndex) {
                # Down as a powered-off machine looks: every packet dropped, no reset to end the attempt early.
                "table inet eafleetdown {`n chain input { type filter hook input priority 0; policy drop; }`n}" | & ip netns exec $ns nft -f -
                if ($LASTEXITCODE -ne 0) { throw "nft in $ns failed" }
                continue
            }
            $subsystem = "$pwshPath -sshs -NoLogo"
            if ($i -eq $slowIndex) { $subsystem = $slowSubsystem }
            $script:sshdProcesses += Start-TestSshd -Namespace $ns -Address $address -WorkDirectory $work -Name "$i" -Subsystem $subsystem -ExtraConfig 'MaxStartups 20'
        }
        foreach ($started in $sshdProcesses) { Wait-TestSshd -Sshd $started }

        $script:manifest = Get-BuiltModuleManifest
        $clientScript = Join-Path $work 'client.ps1'
        Set-Content -LiteralPath $clientScript -Value @'
param([string] $HostList, $KeyFile, $ModuleManifest, $ResultFile, [int] $ConnectingTimeoutSec, [int] $Throttle)
$ErrorActionPreference = 'Stop'
# The host firewall part of a baseline: the agent handler's inbound rules and management SSH from the admin network.
$b = @{
    HostFirewall = @{
        Rules      = @(@{ Product = 'SesEvolution'; Version = '2.7.1'; Component = 'AgentHandler'; Direction = 'Inbound' })
        ExtraRules = @(@{ DisplayName = 'Mgmt SSH'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = 22; RemoteAddress = @('10.232.0.0/16') })
    }
}
$HostAddress = $HostList -split ','
$ssh = @{ UserName = 'root'; KeyFilePath = $KeyFile; Options = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' } }
$clock = [Diagnostics.Stopwatch]::StartNew()
# One New-PSSession for all hosts: they connect side by side, each bounded by -ConnectingTimeout (ms).
$sessions = @(New-PSSession -HostName $HostAddress @ssh -ConnectingTimeout ($ConnectingTimeoutSec * 1000) -ErrorAction SilentlyContinue -ErrorVariable openErrors)
$opened = $clock.Elapsed.TotalSeconds
try {
    $apply = { Import-Module $using:ModuleManifest -ErrorAction Stop; Set-AgentBaseline -Baseline $using:b -Confirm:$false -PassThru }
    # The first run also notes when each host worked (the hosts share this machine's clock), to see the throttle at work.
    $timed = {
        $start = [datetime]::UtcNow
        Import-Module $using:ModuleManifest -ErrorAction Stop
        Set-AgentBaseline -Baseline $using:b -Confirm:$false -PassThru
        [pscustomobject]@{ Start = $start; End = [datetime]::UtcNow }
    }
    $all = @(Invoke-Command -Session $sessions -ThrottleLimit $Throttle -ScriptBlock $timed -ErrorAction SilentlyContinue -ErrorVariable firstErrors)
    $first = @($all | Where-Object { $_.PSObject.TypeNames[0] -eq 'Deserialized.EndpointAdmin.BaselineResult' })
    $spans = @($all | Where-Object { $_.PSObject.TypeNames[0] -ne 'Deserialized.EndpointAdmin.BaselineResult' })
    $second = @(Invoke-Command -Session $sessions -ThrottleLimit $Throttle -ScriptBlock $apply -ErrorAction SilentlyContinue -ErrorVariable secondErrors)
    $tested = @(Invoke-Command -Session $sessions -ThrottleLimit $Throttle -ScriptBlock { Test-AgentBaseline -Baseline $using:b -Quiet })
}
finally {
    $sessions | Remove-PSSession
}
[pscustomobject]@{
    Sessions   = @($sessions | ForEach-Object { $_.ComputerName })
    # The failed session is the error's target: its connection names the host.
    OpenErrors = @($openErrors | ForEach-Object { [pscustomobject]@{ Message = $_.Exception.Message; ComputerName = $_.TargetObject.ConnectionInfo.ComputerName; ErrorId = $_.FullyQualifiedErrorId } })
    RunErrors  = @(@($firstErrors) + @($secondErrors) | Where-Object { $_ } | ForEach-Object { [string]$_ })
    First      = $first
    Second     = $second
    # The most hosts at work at one moment of the first run.
    Busiest    = ($spans | ForEach-Object { $at = $_.Start; @($spans | Where-Object { $_.Start -le $at -and $_.End -gt $at }).Count } | Measure-Object -Maximum).Maximum
    Spans      = $spans.Count
    Tested     = @($tested | ForEach-Object { [pscustomobject]@{ InDesiredState = [bool]$_; PSComputerName = $_.PSComputerName } })
    Opened     = $opened
    Total      = $clock.Elapsed.TotalSeconds
} | Export-Clixml -LiteralPath $ResultFile -Depth 4
'@
        $resultFile = Join-Path $work 'result.xml'
        # A hard stop far above every bound below, so that a hang fails the test instead of the run.
        $script:clientOutput = & timeout 600 ip netns exec $client $pwshPath -NoProfile -NonInteractive -File $clientScript -HostList (@($fleet | ForEach-Object { $_.Address }) -join ',') -KeyFile $clientKey -ModuleManifest $manifest -ResultFile $resultFile -ConnectingTimeoutSec $connectingTimeoutSec -Throttle $throttle 2>&1
        $script:clientExit = $LASTEXITCODE
        $script:result = if (Test-Path -LiteralPath $resultFile) { Import-Clixml -LiteralPath $resultFile } else { $null }
        $script:reachable = @($fleet | Where-Object { $_.Index -ne $unreachableIndex })
        $script:unreachable = $fleet | Where-Object { $_.Index -eq $unreachableIndex }
    }

    AfterAll {
        foreach ($process in @($script:sshdProcesses | ForEach-Object { $_.Process })) {
            if ($process -and -not $process.HasExited) {
                Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
                $null = $process.WaitForExit(10000)
            }
        }
        foreach ($ns in @($script:namespaces) | Where-Object { $_ }) {
            # Whatever still runs inside the test's own namespaces (session sshd children) goes with them.
            foreach ($processId in @(& ip netns pids $ns 2>$null)) {
                Stop-Process -Id ([int]$processId) -Force -ErrorAction SilentlyContinue
            }
            & ip netns del $ns 2>$null
        }
        if ($script:work) { Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'opens a session to every reachable host, the slow one included, and reports the unreachable one as an error' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $clientExit | Should -Be 0 -Because ($clientOutput -join [Environment]::NewLine)
        @($result.Sessions | Sort-Object) | Should -Be @($reachable | ForEach-Object { $_.Address } | Sort-Object)
        $result.OpenErrors.Count | Should -Be 1
        $result.OpenErrors[0].ComputerName | Should -Be $unreachable.Address
        $result.OpenErrors[0].Message | Should -Match "time out: $connectingTimeoutSec seconds"
    }

    It 'applies the baseline on each reachable host, each row carrying its PSComputerName' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $result.RunErrors | Should -BeNullOrEmpty
        # Per host: the two inbound agent handler rules and the SSH rule, each one Changed row.
        $result.First.Count | Should -Be (3 * $reachable.Count)
        $result.First | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'Deserialized.EndpointAdmin.BaselineResult' }
        $result.First | ForEach-Object { [string]$_.State | Should -Be 'Changed' }
        $byHost = $result.First | Group-Object -Property PSComputerName
        @($byHost.Name | Sort-Object) | Should -Be @($reachable | ForEach-Object { $_.Address } | Sort-Object)
        $byHost | ForEach-Object { $_.Count | Should -Be 3 }
    }

    It 'leaves the rules in each reachable host''s own ruleset, as nft reads it, and none in the unreachable one' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        foreach ($h in $reachable) {
            $table = (& ip netns exec $h.Namespace nft list table inet endpointadmin) -join "`n"
            $table | Should -Match 'tcp dport 17000'
            $table | Should -Match 'tcp dport 443'
            $table | Should -Match 'ip saddr 10\.232\.0\.0/16 tcp dport 22'
        }
        (& ip netns exec $unreachable.Namespace nft list ruleset) -join "`n" | Should -Not -Match 'endpointadmin'
        (& ip netns exec $client nft list ruleset) -join '' | Should -BeNullOrEmpty
    }

    It 'changes nothing on a second run: no rows, and every host tests in desired state' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $result.Second.Count | Should -Be 0
        $result.Tested.Count | Should -Be $reachable.Count
        $result.Tested | ForEach-Object { $_.InDesiredState | Should -BeTrue }
        @($result.Tested.PSComputerName | Sort-Object) | Should -Be @($reachable | ForEach-Object { $_.Address } | Sort-Object)
    }

    It 'works on at most -ThrottleLimit hosts at once, and on more than one' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $result.Spans | Should -Be $reachable.Count
        $result.Busiest | Should -BeLessOrEqual $throttle
        $result.Busiest | Should -BeGreaterThan 1
    }

    It 'connects side by side: the unreachable host''s timeout and the slow host''s delay overlap' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        # One at a time, opening would take at least the timeout plus the delay; side by side it
        # takes about the longer of the two. The unreachable attempt ends at its timeout, not later.
        Write-Host "Sessions opened in $([math]::Round($result.Opened, 1)) s; both runs done after $([math]::Round($result.Total, 1)) s."
        $result.Opened | Should -BeGreaterOrEqual ($connectingTimeoutSec - 1)
        $result.Opened | Should -BeLessThan ($connectingTimeoutSec + $slowDelaySec)
    }
}

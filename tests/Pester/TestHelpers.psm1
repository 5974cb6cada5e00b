# Shared by the Pester files: find the repository and the BUILT module (out/EndpointAdmin), so
# the suite tests exactly what ships. Build first: ./build.ps1 -Task Build (or dotnet build).

function Get-RepositoryRoot {
    [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
}

function Get-SourceManifestData {
    Import-PowerShellDataFile -Path (Join-Path (Get-RepositoryRoot) 'EndpointAdmin.psd1')
}

function Get-BuiltModuleManifest {
    $version = (Get-SourceManifestData).ModuleVersion
    $path = Join-Path (Get-RepositoryRoot) "out/EndpointAdmin/$version/EndpointAdmin.psd1"
    if (-not (Test-Path -LiteralPath $path)) {
        throw "The module is not built ($path is missing). Run ./build.ps1 -Task Build first."
    }
    $path
}

function Import-BuiltModule {
    Get-Module EndpointAdmin | Remove-Module -Force
    # -Global: imported from inside this helper module, it would otherwise be visible only here.
    Import-Module (Get-BuiltModuleManifest) -Force -Global -ErrorAction Stop
}

function Get-PwshCommand {
    # The pwsh to start as a child: the one on PATH (build.ps1 puts a launcher for the pinned
    # pwsh there), else this very PowerShell.
    $onPath = Get-Command -Name pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) { return $onPath.Source }
    $self = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    if ([System.IO.Path]::GetFileNameWithoutExtension($self) -eq 'pwsh') { return $self }
    throw 'No pwsh executable: run the suite through ./build.ps1 -Task Test, which puts one on PATH.'
}

function Get-ExportedCmdletName {
    (Get-SourceManifestData).CmdletsToExport
}

# ---- Firewall tests: real nftables, only ever inside a network namespace the test creates ----

function Test-NetNamespaceSupport {
    # Linux, root, and the ip and nft commands: what a private network namespace with nftables needs.
    if (-not $IsLinux) { return $false }
    if ((& id -u) -ne '0') { return $false }
    [bool](Get-Command -Name ip -CommandType Application -ErrorAction SilentlyContinue) -and
        [bool](Get-Command -Name nft -CommandType Application -ErrorAction SilentlyContinue)
}

function New-TestNetNamespace {
    $name = 'eapester-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    & ip netns add $name
    if ($LASTEXITCODE -ne 0) { throw "ip netns add $name failed." }
    & ip -n $name link set lo up
    $name
}

function Remove-TestNetNamespace {
    param([Parameter(Mandatory)] [string] $Namespace)
    & ip netns del $Namespace
}

function Reset-TestNetNamespace {
    # The namespace is the test's own, so its whole ruleset may go.
    param([Parameter(Mandatory)] [string] $Namespace)
    & ip netns exec $Namespace nft flush ruleset
}

function Get-TestNetNamespaceRuleset {
    # Read with nft itself, independently of the module.
    param([Parameter(Mandatory)] [string] $Namespace, [switch] $Json)
    if ($Json) {
        (& ip netns exec $Namespace nft -j list ruleset) -join "`n" | ConvertFrom-Json
    }
    else {
        (& ip netns exec $Namespace nft list ruleset) -join "`n"
    }
}

function Invoke-InTestNetNamespace {
    <#
    Runs $Script in a pwsh inside the namespace, with the built module imported. Returns its
    output (CliXml round trip), its errors as ErrorId/Category/TargetObject/Message records, its
    warnings and information messages, and a terminating error's id, if any.
    #>
    param(
        [Parameter(Mandatory)] [string] $Namespace,
        [Parameter(Mandatory)] [scriptblock] $Script,
        [object[]] $ArgumentList = @()
    )
    $work = Join-Path ([IO.Path]::GetTempPath()) ('eapester-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $work
    try {
        $argumentsFile = Join-Path $work 'arguments.xml'
        $resultFile = Join-Path $work 'result.xml'
        $childFile = Join-Path $work 'child.ps1'
        Export-Clixml -LiteralPath $argumentsFile -InputObject @{ Arguments = $ArgumentList } -Depth 5
        $child = @"
`$ErrorActionPreference = 'Continue'
`$ProgressPreference = 'SilentlyContinue'
Import-Module '$(Get-BuiltModuleManifest)' -ErrorAction Stop
`$arguments = @((Import-Clixml -LiteralPath '$argumentsFile').Arguments)
`$terminating = `$null
`$all = try { & { $Script } @arguments 2>&1 3>&1 6>&1 } catch { `$terminating = `$_ }
`$records = @(`$all | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] }) + @(`$terminating | Where-Object { `$_ })
[pscustomobject]@{
    Output      = @(`$all | Where-Object { `$_ -isnot [System.Management.Automation.ErrorRecord] -and `$_ -isnot [System.Management.Automation.WarningRecord] -and `$_ -isnot [System.Management.Automation.InformationRecord] })
    Errors      = @(`$records | ForEach-Object { [pscustomobject]@{ ErrorId = `$_.FullyQualifiedErrorId; Category = [string]`$_.CategoryInfo.Category; TargetObject = [string]`$_.TargetObject; Message = `$_.Exception.Message } })
    Warnings    = @(`$all | Where-Object { `$_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object { `$_.Message })
    Information = @(`$all | Where-Object { `$_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { [string]`$_.MessageData })
    Terminating = if (`$terminating) { `$terminating.FullyQualifiedErrorId } else { `$null }
} | Export-Clixml -LiteralPath '$resultFile' -Depth 6
"@
        [IO.File]::WriteAllText($childFile, $child)
        $console = & ip netns exec $Namespace pwsh -NoProfile -NonInteractive -File $childFile 2>&1
        if (-not (Test-Path -LiteralPath $resultFile)) {
            throw "The pwsh in namespace $Namespace wrote no result: $($console -join [Environment]::NewLine)"
        }
        Import-Clixml -LiteralPath $resultFile
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Get-CaughtError {
    # Runs $Script (which should use -ErrorAction Stop) and returns the error record it stopped with.
    # A first error that stops the pipeline also keeps the cmdlet from reaching its end, where the
    # firewall would be read.
    param([Parameter(Mandatory)] [scriptblock] $Script)
    try {
        $null = & $Script
    }
    catch {
        return $_
    }
    $null
}

function Get-BadFirewallRuleCase {
    # Rules rejected while they are checked, before the firewall is read (New- and
    # Test-FirewallPortRule). Each case changes one thing in a valid inbound TCP 443 rule named
    # 'Bad input': @{ DisplayName = 'Bad input'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '443' }.
    @(
        @{ Label = 'port 0'; Change = @{ LocalPort = '0' }; ErrorId = 'FirewallPortInvalid'; Target = '0' }
        @{ Label = 'port 65536'; Change = @{ LocalPort = '65536' }; ErrorId = 'FirewallPortInvalid'; Target = '65536' }
        @{ Label = 'port range 70-60'; Change = @{ LocalPort = '70-60' }; ErrorId = 'FirewallPortInvalid'; Target = '70-60' }
        @{ Label = 'port abc'; Change = @{ LocalPort = 'abc' }; ErrorId = 'FirewallPortInvalid'; Target = 'abc' }
        @{ Label = 'empty port'; Change = @{ LocalPort = '' }; ErrorId = 'FirewallPortInvalid'; Target = '' }
        @{ Label = 'address 300.1.1.1'; Change = @{ RemoteAddress = '300.1.1.1' }; ErrorId = 'FirewallAddressInvalid'; Target = '300.1.1.1' }
        @{ Label = 'address ::g'; Change = @{ RemoteAddress = '::g' }; ErrorId = 'FirewallAddressInvalid'; Target = '::g' }
        @{ Label = 'prefix 10.0.0.0/33'; Change = @{ RemoteAddress = '10.0.0.0/33' }; ErrorId = 'FirewallAddressInvalid'; Target = '10.0.0.0/33' }
        @{ Label = 'prefix fe80::/129'; Change = @{ RemoteAddress = 'fe80::/129' }; ErrorId = 'FirewallAddressInvalid'; Target = 'fe80::/129' }
        @{ Label = 'MAC zz:11:22:33:44:55'; Change = @{ RemoteMacAddress = 'zz:11:22:33:44:55' }; ErrorId = 'FirewallMacAddressInvalid'; Target = 'zz:11:22:33:44:55' }
        @{ Label = 'empty display name'; Change = @{ DisplayName = '' }; ErrorId = 'FirewallDisplayNameEmpty'; Target = '' }
        @{ Label = 'no port at all'; Change = @{ LocalPort = @() }; ErrorId = 'FirewallPortMissing'; Target = 'Bad input' }
    )
}

function Get-CmdletAttribute {
    param([Parameter(Mandatory)] [string] $Name)
    (Get-Command -Name $Name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
}

function Get-SshTestSkipReason {
    # Why the SSH remoting tests cannot run here, or $null: they need network namespaces, sshd, the ssh client and pwsh on PATH.
    if (-not (Test-NetNamespaceSupport)) { return 'network namespaces need Linux, root, ip and nft' }
    if (-not (Test-Path -LiteralPath '/usr/sbin/sshd')) { return 'openssh-server is not installed (apt-get install openssh-server)' }
    if (-not (Get-Command -Name ssh -CommandType Application -ErrorAction SilentlyContinue)) { return 'the ssh client is not installed (apt-get install openssh-client)' }
    if (-not (Get-SshTestPwshPath)) { return 'pwsh is not on PATH' }
    $null
}

function Get-SshTestPwshPath {
    # The pwsh the powershell subsystem starts (the launcher build.ps1 Bootstrap puts first on PATH).
    (Get-Command -Name pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
}

function Start-TestSshd {
    # An sshd of the test's own inside a network namespace: its config, host key and authorized keys
    # in -WorkDirectory, key-only root login, and the powershell subsystem -Subsystem. Returns the
    # process (ip netns exec execs sshd, so this process IS the sshd; -D keeps it in the foreground)
    # and its log; Wait-TestSshd waits until it listens.
    param(
        [Parameter(Mandatory)] [string] $Namespace,
        [Parameter(Mandatory)] [string] $Address,
        [Parameter(Mandatory)] [string] $WorkDirectory,
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $Subsystem,
        [string[]] $ExtraConfig = @()
    )
    $config = Join-Path $WorkDirectory "sshd_config_$Name"
    Set-Content -LiteralPath $config -Value (@(
            "ListenAddress $Address"
            'Port 22'
            "HostKey $(Join-Path $WorkDirectory 'host_key')"
            "PidFile $(Join-Path $WorkDirectory "sshd_$Name.pid")"
            "AuthorizedKeysFile $(Join-Path $WorkDirectory 'authorized_keys')"
            'PermitRootLogin prohibit-password'
            'PasswordAuthentication no'
            'KbdInteractiveAuthentication no'
            'UsePAM no'
            'StrictModes no'
        ) + $ExtraConfig + @("Subsystem powershell $Subsystem"))
    # sshd insists on its privilege separation directory (the Debian service would make it).
    if (-not (Test-Path -LiteralPath /run/sshd)) { $null = New-Item -ItemType Directory -Path /run/sshd }
    $log = Join-Path $WorkDirectory "sshd_$Name.log"
    $process = Start-Process -FilePath ip -ArgumentList 'netns', 'exec', $Namespace, '/usr/sbin/sshd', '-D', '-e', '-f', $config -RedirectStandardError $log -PassThru
    [pscustomobject]@{ Process = $process; Log = $log; Name = $Name }
}

function Wait-TestSshd {
    # Waits (at most 15 s) until the sshd Start-TestSshd started says it listens; throws with its log otherwise.
    param([Parameter(Mandatory)] $Sshd)
    $deadline = [datetime]::UtcNow.AddSeconds(15)
    while ([datetime]::UtcNow -lt $deadline -and -not ((Get-Content -LiteralPath $Sshd.Log -Raw -ErrorAction SilentlyContinue) -match 'Server listening')) {
        if ($Sshd.Process.HasExited) { throw "sshd $($Sshd.Name) exited: $(Get-Content -LiteralPath $Sshd.Log -Raw)" }
        Start-Sleep -Milliseconds 100
    }
    if (-not ((Get-Content -LiteralPath $Sshd.Log -Raw -ErrorAction SilentlyContinue) -match 'Server listening')) { throw "sshd $($Sshd.Name) did not start listening in 15 s: $(Get-Content -LiteralPath $Sshd.Log -Raw)" }
}

Export-ModuleMember -Function Get-RepositoryRoot, Get-PwshCommand, Get-BuiltModuleManifest, Import-BuiltModule, Get-ExportedCmdletName,
    Test-NetNamespaceSupport, New-TestNetNamespace, Remove-TestNetNamespace, Reset-TestNetNamespace,
    Get-TestNetNamespaceRuleset, Invoke-InTestNetNamespace, Get-CaughtError, Get-CmdletAttribute, Get-BadFirewallRuleCase,
    Get-SshTestSkipReason, Get-SshTestPwshPath, Start-TestSshd, Wait-TestSshd

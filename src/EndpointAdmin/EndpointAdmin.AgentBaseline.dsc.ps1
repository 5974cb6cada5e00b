<#
.SYNOPSIS
    The entry point of the DSC v3 resource EndpointAdmin/AgentBaseline
    (EndpointAdmin.AgentBaseline.dsc.resource.json, beside this file).
.DESCRIPTION
    DSC starts it with the manifest's folder as working directory and the instance (a baseline in
    the shape Test-AgentBaseline -Baseline reads: managers, hostFirewall) as JSON on stdin.
    stdout carries JSON only: the state, and for test, set and whatIf the names of the properties
    that differ on a second line (stateAndDiff). Every message goes to stderr as one JSON line
    {"level":"error|warning|information","message":"..."}. The exit codes are the manifest's
    exitCodes: 0 success, 1 unexpected error, 2 invalid input (nothing read or changed),
    3 partial failure (a manager or the firewall could not be read or changed).

    get     the declared properties as they are now: each declared manager setting with the value
            its manager reports, and the host firewall's EndpointAdmin rules (Export-AgentBaseline).
    test    the same state with _inDesiredState (Test-AgentBaseline), then the diff.
    set     Set-AgentBaseline -Confirm:$false, then the state after it and the properties changed.
    whatIf  Set-AgentBaseline -WhatIf (all of Set's checks, no change), then the state Set would
            leave and the properties it would change; each pending change as an information line.
    export  this machine's EndpointAdmin firewall rules as one instance (Export-AgentBaseline).

    Kept to Windows PowerShell 5.1 syntax: the manifest starts pwsh, but the module supports both.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidateSet('get', 'test', 'set', 'whatIf', 'export')]
    [string] $Operation
)

$ErrorActionPreference = 'Stop'
# Progress records would reach the console host; DSC reads only stdout and stderr.
$ProgressPreference = 'SilentlyContinue'
$script:exitCode = 0
# DSC writes and reads UTF-8. Windows consoles default to an OEM code page; without a console
# (DSC's pipes) setting it can fail, and the streams are then the process's own.
try {
    [Console]::InputEncoding = New-Object System.Text.UTF8Encoding $false
    [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false
}
catch {
    $null = $_
}
# Errors that mean the instance itself is wrong: DSC's "invalid input", not a failed target.
$script:invalidInput = '^(Baseline(FileUnreadable|KeyUnknown|KeyMissing|ValueInvalid)|DscInputInvalid)\b'
$script:manifest = Join-Path $PSScriptRoot 'EndpointAdmin.psd1'

function Write-Message {
    param([string] $Level, [string] $Message)
    [Console]::Error.WriteLine((ConvertTo-Json -InputObject ([ordered]@{ level = $Level; message = $Message }) -Compress))
}

function Write-Json {
    param($Value)
    [Console]::Out.WriteLine((ConvertTo-Json -InputObject $Value -Depth 32 -Compress))
}

function Write-Stream {
    # A cmdlet's errors, warnings and information as JSON lines; errors set the exit code.
    param($Errors, $Warnings, $Information)
    foreach ($record in @($Errors)) {
        if ($null -eq $record) { continue }
        $id = ''
        if ($record -is [System.Management.Automation.ErrorRecord]) { $id = [string]$record.FullyQualifiedErrorId }
        if ($id -match $script:invalidInput) { $script:exitCode = 2 }
        elseif ($script:exitCode -eq 0) { $script:exitCode = 3 }
        $text = [string]$record
        if ($id) { $text = $text + ' (' + ($id -split ',')[0] + ')' }
        Write-Message -Level error -Message $text
    }
    foreach ($record in @($Warnings)) {
        if ($null -ne $record) { Write-Message -Level warning -Message ([string]$record) }
    }
    foreach ($record in @($Information)) {
        if ($null -ne $record) { Write-Message -Level information -Message ([string]$record.MessageData) }
    }
}

function Invoke-Baseline {
    # Runs one EndpointAdmin cmdlet with every stream captured, so nothing but JSON reaches stdout.
    param([string] $Name, [hashtable] $Parameters, [switch] $Silent)
    $errs = @()
    $warns = @()
    $infos = @()
    $output = @()
    try {
        $output = @(& $Name @Parameters -ErrorAction SilentlyContinue -ErrorVariable errs -WarningAction SilentlyContinue -WarningVariable warns -InformationAction SilentlyContinue -InformationVariable infos)
    }
    catch {
        # A terminating error is in the error variable too, as a bare exception that wraps it:
        # keep the record caught here, which carries the cmdlet's own error ID, once.
        $thrown = $_
        $message = $thrown.Exception.Message
        $errs = @(@($errs | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.Exception.Message -ne $message }) + @($thrown))
    }
    if (-not $Silent) { Write-Stream -Errors $errs -Warnings $warns -Information $infos }
    , $output
}

function Get-CamelName {
    param([string] $Name)
    if (-not $Name) { return $Name }
    $Name.Substring(0, 1).ToLowerInvariant() + $Name.Substring(1)
}

function ConvertTo-Plain {
    # Ordered tables with camelCase keys, arrays kept arrays: the shape written back to DSC.
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        $table = [ordered]@{}
        foreach ($property in $Value.PSObject.Properties) { $table[(Get-CamelName $property.Name)] = ConvertTo-Plain $property.Value }
        return $table
    }
    if ($Value -is [System.Collections.IDictionary]) {
        $table = [ordered]@{}
        foreach ($key in @($Value.Keys)) { $table[(Get-CamelName ([string]$key))] = ConvertTo-Plain $Value[$key] }
        return $table
    }
    if ($Value -is [string]) { return $Value }
    if ($Value -is [System.Collections.IEnumerable]) {
        $list = New-Object System.Collections.ArrayList
        foreach ($item in $Value) { $null = $list.Add((ConvertTo-Plain $item)) }
        return , $list.ToArray()
    }
    $Value
}

function Get-PropertyName {
    # The instance property a Test-AgentBaseline row belongs to.
    param($Row)
    if ([string]$Row.TargetType -eq 'Host') { return 'hostFirewall' }
    'managers'
}

function ConvertTo-Actual {
    # A row's normalized Actual text in the type the instance declared ("10" back to 10).
    param($Declared, $Actual)
    if ($null -eq $Actual) { return $null }
    if ($Declared -is [bool] -and ($Actual -eq 'True' -or $Actual -eq 'False')) { return ($Actual -eq 'True') }
    if (($Declared -is [int] -or $Declared -is [long] -or $Declared -is [double] -or $Declared -is [decimal]) -and $Actual -match '^-?\d+$') { return [long]$Actual }
    $Actual
}

function Set-AtKey {
    # Puts a value at a row's Key (e.g. Managers[0].Policies[1].IntervalMinutes) inside the
    # state, when that key names a plain value there (not a table such as ContinuousConnection).
    param($State, [string] $Key, $Actual)
    $node = $State
    $segments = $Key -split '\.'
    for ($i = 0; $i -lt $segments.Count; $i++) {
        if ($segments[$i] -notmatch '^(\w+)(?:\[(\d+)\])?$') { return }
        $name = $Matches[1]
        $index = $Matches[2]
        if (-not ($node -is [System.Collections.IDictionary]) -or -not $node.Contains($name)) { return }
        $last = ($i -eq $segments.Count - 1)
        if ($last -and -not $index) {
            $current = $node[$name]
            if ($current -is [System.Collections.IDictionary] -or ($current -is [array])) { return }
            $node[$name] = ConvertTo-Actual -Declared $current -Actual $Actual
            return
        }
        $node = $node[$name]
        if ($index) {
            if (-not ($node -is [array]) -or [int]$index -ge $node.Count) { return }
            $node = $node[[int]$index]
        }
        if ($last) { return }
    }
}

function Get-FirewallState {
    $text = Invoke-Baseline -Name Export-AgentBaseline -Parameters @{ Format = 'Json'; HostFirewall = $true }
    if (@($text).Count -eq 0) { return $null }
    $exported = ConvertFrom-Json -InputObject ((@($text) -join "`n"))
    ConvertTo-Plain $exported.HostFirewall
}

function Get-State {
    # The declared properties as they are now, from Test-AgentBaseline's rows.
    param($Desired, $Rows)
    $state = [ordered]@{}
    foreach ($name in @($Desired.Keys)) {
        if ($name -eq 'managers') {
            $copy = [ordered]@{ managers = ConvertTo-Plain $Desired[$name] }
            # In-desired-state rows first, so that for a pattern matching many agents a drifted actual value is the one shown.
            $mine = @($Rows | Where-Object { [string]$_.TargetType -ne 'Host' -and $_.Key })
            foreach ($row in @($mine | Where-Object { $_.InDesiredState }) + @($mine | Where-Object { -not $_.InDesiredState })) { Set-AtKey -State $copy -Key $row.Key -Actual $row.Actual }
            $state['managers'] = $copy['managers']
        }
        elseif ($name -eq 'hostFirewall') {
            $state['hostFirewall'] = Get-FirewallState
        }
    }
    $state
}

function Get-Diff {
    # The declared properties that are not in desired state: a drifted row, or nothing read at all.
    param($Desired, $Rows, [bool] $Failed)
    $diff = New-Object System.Collections.ArrayList
    foreach ($name in @($Desired.Keys)) {
        $mine = @($Rows | Where-Object { (Get-PropertyName $_) -eq $name })
        $drifted = @($mine | Where-Object { -not $_.InDesiredState })
        if ($drifted.Count -gt 0 -or ($Failed -and $mine.Count -eq 0)) { $null = $diff.Add($name) }
    }
    , $diff.ToArray()
}

function Read-Instance {
    # The instance from stdin, its keys checked and named as the schema names them; DSC's own
    # properties (_inDesiredState, _exist, ...) are not the module's and are dropped.
    $text = ''
    if ([Console]::IsInputRedirected) { $text = [Console]::In.ReadToEnd() }
    if (-not $text -or -not $text.Trim()) {
        if ($Operation -eq 'export') { return [ordered]@{} }
        throw (New-Object System.Management.Automation.ErrorRecord ((New-Object System.ArgumentException 'No instance on stdin: DSC passes the resource instance as JSON.')), 'DscInputInvalid', 'InvalidData', $null)
    }
    try { $parsed = ConvertFrom-Json -InputObject $text }
    catch { throw (New-Object System.Management.Automation.ErrorRecord ((New-Object System.ArgumentException ('The instance on stdin is not JSON: ' + $_.Exception.Message))), 'DscInputInvalid', 'InvalidData', $null) }
    if (-not ($parsed -is [System.Management.Automation.PSCustomObject])) {
        throw (New-Object System.Management.Automation.ErrorRecord ((New-Object System.ArgumentException 'The instance on stdin must be a JSON object with managers, hostFirewall or both.')), 'DscInputInvalid', 'InvalidData', $null)
    }
    $desired = [ordered]@{}
    foreach ($property in $parsed.PSObject.Properties) {
        if ($property.Name.StartsWith('_')) { continue }
        $desired[$property.Name] = $property.Value
    }
    $desired
}

function Get-CanonicalName {
    param([string] $Name)
    if ($Name -eq 'managers') { return 'managers' }
    if ($Name -eq 'hostFirewall') { return 'hostFirewall' }
    $Name
}

try {
    try {
        $raw = Read-Instance
    }
    catch {
        Write-Stream -Errors @($_)
        exit $script:exitCode
    }
    Import-Module -Name $script:manifest -ErrorAction Stop
    # The module's own key names are checked by the module; the properties keep the schema's names.
    $desired = [ordered]@{}
    foreach ($name in @($raw.Keys)) { $desired[(Get-CanonicalName $name)] = $raw[$name] }
    $json = ConvertTo-Json -InputObject $raw -Depth 32 -Compress

    switch ($Operation) {
        'export' {
            $firewall = Get-FirewallState
            if ($script:exitCode -eq 0) { Write-Json ([ordered]@{ hostFirewall = $firewall }) }
        }
        'get' {
            $rows = Invoke-Baseline -Name Test-AgentBaseline -Parameters @{ Baseline = $json }
            if ($script:exitCode -ne 2) { Write-Json (Get-State -Desired $desired -Rows $rows) }
        }
        'test' {
            $rows = Invoke-Baseline -Name Test-AgentBaseline -Parameters @{ Baseline = $json }
            if ($script:exitCode -ne 2) {
                $failed = $script:exitCode -ne 0
                $state = Get-State -Desired $desired -Rows $rows
                $state['_inDesiredState'] = (-not $failed) -and (@($rows | Where-Object { -not $_.InDesiredState }).Count -eq 0)
                Write-Json $state
                Write-Json (Get-Diff -Desired $desired -Rows $rows -Failed $failed)
            }
        }
        'set' {
            $changed = Invoke-Baseline -Name Set-AgentBaseline -Parameters @{ Baseline = $json; Confirm = $false; PassThru = $true }
            if ($script:exitCode -ne 2) {
                $diff = New-Object System.Collections.ArrayList
                foreach ($name in @($desired.Keys)) {
                    if (@($changed | Where-Object { (Get-PropertyName $_) -eq $name }).Count -gt 0) { $null = $diff.Add($name) }
                }
                $rows = Invoke-Baseline -Name Test-AgentBaseline -Parameters @{ Baseline = $json } -Silent
                Write-Json (Get-State -Desired $desired -Rows $rows)
                Write-Json $diff.ToArray()
            }
        }
        'whatIf' {
            # Set's checks without its changes. A runspace of its own has no host, so Set's
            # "What if:" lines cannot reach stdout; the pending changes are told from the rows instead.
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddCommand('Import-Module').AddParameter('Name', $script:manifest).AddStatement()
                $null = $shell.AddCommand('Set-AgentBaseline').AddParameter('Baseline', $json).AddParameter('WhatIf', $true)
                $thrown = @()
                try { $null = $shell.Invoke() }
                catch {
                    $inner = $_.Exception
                    while ($inner -and -not ($inner -is [System.Management.Automation.IContainsErrorRecord])) { $inner = $inner.InnerException }
                    if ($inner) { $thrown = @($inner.ErrorRecord) } else { $thrown = @($_) }
                }
                Write-Stream -Errors (@($shell.Streams.Error) + $thrown) -Warnings @($shell.Streams.Warning)
            }
            finally {
                $shell.Dispose()
            }
            if ($script:exitCode -ne 2) {
                $rows = Invoke-Baseline -Name Test-AgentBaseline -Parameters @{ Baseline = $json } -Silent
                foreach ($row in @($rows | Where-Object { [string]$_.State -eq 'Drifted' })) {
                    $actual = $row.Actual
                    if ($null -eq $actual) { $actual = '(not set)' }
                    Write-Message -Level information -Message ('What if: set ' + $row.Target + ' ' + $row.Setting + ': ' + $actual + ' -> ' + $row.Expected)
                }
                $state = [ordered]@{}
                foreach ($name in @($desired.Keys)) { $state[$name] = ConvertTo-Plain $desired[$name] }
                Write-Json $state
                Write-Json (Get-Diff -Desired $desired -Rows $rows -Failed $false)
            }
        }
    }
}
catch {
    Write-Message -Level error -Message ('EndpointAdmin/AgentBaseline ' + $Operation + ' failed: ' + $_.Exception.Message)
    exit 1
}
exit $script:exitCode

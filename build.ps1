#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, documents, packages and benchmarks EndpointAdmin.
.DESCRIPTION
    Tasks run in the order given:
      Clean      removes out/ and every bin/ and obj/ folder.
      Build      builds the solution; the module is laid out in out/EndpointAdmin/<version>/.
      Bootstrap  checks the .NET SDK and fetches the pinned Pester (5.9.1) from the NuGet feed into
                 the NuGet cache; puts a `pwsh` launcher for this PowerShell on PATH for the tests
                 that start pwsh themselves (scheduled-task scripts, SSH remoting).
      Test       Bootstrap, Build and Package, then every suite: the xUnit suites (core, engine)
                 and the Pester suite in tests/Pester, which also installs the packed module.
                 Prints each suite's totals and time, then one line: N passed, N failed, N skipped.
      Docs       regenerates the shipped help (src/EndpointAdmin/en-US) from docs/en-US: cmdlet
                 pages with Microsoft.PowerShell.PlatyPS 1.0.x, about_ topics with platyPS 0.14
                 (PlatyPS 1.x cannot render them). A missing tool is reported and the committed
                 help is kept.
      Package    builds, then publishes the module folder to out/packages as a .nupkg with
                 PSResourceGet (Publish-PSResource), or as a .zip when PSResourceGet is missing.
      Bench      runs the benchmarks in tests/EndpointAdmin.Benchmarks (-BenchName picks one).
    The script sticks to language features, .NET and dotnet so that it also runs in Windows
    PowerShell 5.1. The README's test command runs it in the pinned pwsh:
      dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Bootstrap', 'Test', 'Docs', 'Package', 'Bench')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # The benchmark to run with -Task Bench (e.g. firewall); all of them when omitted.
    [string] $BenchName
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
# The Pester the suite is written for; fetched from the NuGet feed by tests/Pester/PesterModule.csproj.
$pesterVersion = '5.9.1'

$solution = [IO.Path]::Combine($root, 'EndpointAdmin.sln')
$manifestText = [IO.File]::ReadAllText([IO.Path]::Combine($root, 'EndpointAdmin.psd1'))
$version = [regex]::Match($manifestText, "ModuleVersion\s*=\s*'([0-9.]+)'").Groups[1].Value
$moduleDir = [IO.Path]::Combine($root, 'out', 'EndpointAdmin', $version)

function Stop-Build {
    # A missing or wrong prerequisite is one clear line and exit code 1, not a stack trace.
    param([string] $Message)
    [Console]::Error.WriteLine("build: $Message")
    exit 1
}

function Invoke-Dotnet {
    param([string[]] $Arguments, [switch] $Quiet)
    Write-Host "dotnet $($Arguments -join ' ')"
    if ($Quiet) { $out = & dotnet @Arguments 2>&1 } else { & dotnet @Arguments }
    if ($LASTEXITCODE -ne 0) {
        if ($Quiet) { $out | Select-Object -Last 20 | ForEach-Object { Write-Host $_ } }
        throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE."
    }
}

function Get-AvailableModule {
    param([string] $Name, [version] $MinimumVersion, [version] $BelowVersion = '999.0')
    $found = @(Get-Module -ListAvailable -Name $Name | Where-Object { $_.Version -ge $MinimumVersion -and $_.Version -lt $BelowVersion })
    if ($found.Count -gt 0) { $found | Sort-Object Version -Descending | Select-Object -First 1 } else { $null }
}

function Invoke-Clean {
    foreach ($dir in @([IO.Path]::Combine($root, 'out'))) {
        if ([IO.Directory]::Exists($dir)) { [IO.Directory]::Delete($dir, $true) }
    }
    foreach ($dir in [IO.Directory]::GetDirectories($root, '*', [IO.SearchOption]::AllDirectories)) {
        $name = [IO.Path]::GetFileName($dir)
        if (($name -eq 'bin' -or $name -eq 'obj') -and [IO.Directory]::Exists($dir)) { [IO.Directory]::Delete($dir, $true) }
    }
    Write-Host 'Clean: removed out/, bin/ and obj/.'
}

function Invoke-Build {
    Invoke-Dotnet @('build', $solution, '-c', $Configuration, '--nologo')
    Write-Host "Build: module laid out in $moduleDir"
}

function Invoke-Bootstrap {
    # The .NET SDK: global.json pins the feature band; say plainly when it is missing or too old.
    if (-not (Get-Command -Name dotnet -CommandType Application -ErrorAction SilentlyContinue)) {
        Stop-Build 'the .NET SDK (dotnet) is not installed or not on PATH; install the .NET 10 SDK.'
    }
    $sdk = (& dotnet --version 2>$null) -join ''
    if ($LASTEXITCODE -ne 0 -or $sdk -notmatch '^(\d+)\.' -or [int]$Matches[1] -lt 10) {
        Stop-Build "the .NET 10 SDK is required (global.json); dotnet reports '$sdk'."
    }

    # Pester, pinned, from the NuGet feed (its tools/ folder is the module).
    $project = [IO.Path]::Combine($root, 'tests', 'Pester', 'PesterModule.csproj')
    $restore = & dotnet restore $project --nologo 2>&1
    if ($LASTEXITCODE -ne 0) {
        $why = @($restore | Where-Object { "$_" -match 'error' } | Select-Object -First 1) -join ''
        Stop-Build "cannot fetch Pester $pesterVersion from the NuGet feed (no network to the feed, or the feed lacks it): $($why.Trim())"
    }
    $script:pesterManifest = [IO.Path]::Combine((Get-NuGetPackageRoot), 'pester', $pesterVersion, 'tools', 'Pester.psd1')
    if (-not [IO.File]::Exists($script:pesterManifest)) {
        Stop-Build "Pester $pesterVersion was restored but $($script:pesterManifest) is missing."
    }

    # The tests that run pwsh as a child (scheduled-task scripts, the SSH subsystem) find it on
    # PATH. Under `dotnet pwsh` there is no pwsh executable, so a launcher for this same
    # PowerShell goes first on PATH for this process and its children.
    $self = [Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    if ([IO.Path]::GetFileNameWithoutExtension($self) -ne 'pwsh' -and $PSVersionTable.PSEdition -eq 'Core') {
        $bin = [IO.Path]::Combine($root, 'out', 'tools')
        [void][IO.Directory]::CreateDirectory($bin)
        $dll = [IO.Path]::Combine($PSHOME, 'pwsh.dll')
        if ($IsWindows) {
            [IO.File]::WriteAllText([IO.Path]::Combine($bin, 'pwsh.cmd'), "@`"$self`" `"$dll`" %*`r`n")
        }
        else {
            $launcher = [IO.Path]::Combine($bin, 'pwsh')
            [IO.File]::WriteAllText($launcher, "#!/bin/sh`nexec '$self' '$dll' `"`$@`"`n")
            & chmod +x $launcher
        }
        $env:PATH = $bin + [IO.Path]::PathSeparator + $env:PATH
    }
    Write-Host "Bootstrap: .NET SDK $sdk; Pester $pesterVersion; pwsh $($PSVersionTable.PSVersion) ($self)."
}

function Get-NuGetPackageRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = (& dotnet nuget locals global-packages --list 2>$null) -join ''
    if ($line -match 'global-packages:\s*(.+)$') { return $Matches[1].Trim() }
    return [IO.Path]::Combine([Environment]::GetFolderPath('UserProfile'), '.nuget', 'packages')
}

function Read-TrxTotals {
    # Counts from the runner's own TRX report rather than its console wording.
    param([string] $Path)
    $counters = ([xml][IO.File]::ReadAllText($Path)).TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int]$counters.passed
        Failed  = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        Skipped = [int]$counters.notExecuted
    }
}

function Invoke-Test {
    Invoke-Bootstrap
    Invoke-Package
    $results = [IO.Path]::Combine($root, 'out', 'test-results')
    if ([IO.Directory]::Exists($results)) { [IO.Directory]::Delete($results, $true) }
    $suites = New-Object System.Collections.Generic.List[object]

    foreach ($name in @('EndpointAdmin.Core.Tests', 'EndpointAdmin.Engine.Tests')) {
        $project = [IO.Path]::Combine($root, 'tests', $name, "$name.csproj")
        $trx = "$name.trx"
        $clock = [Diagnostics.Stopwatch]::StartNew()
        & dotnet test $project -c $Configuration --nologo --no-build --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' --results-directory $results
        $exit = $LASTEXITCODE
        $clock.Stop()
        $file = [IO.Path]::Combine($results, $trx)
        $t = if ([IO.File]::Exists($file)) { Read-TrxTotals $file } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
        if ($exit -ne 0 -and $t.Failed -eq 0) { $t.Failed = 1 }   # the test host failed before reporting
        $suites.Add([pscustomobject]@{ Suite = "xUnit $name"; Passed = $t.Passed; Failed = $t.Failed; Skipped = $t.Skipped; Seconds = $clock.Elapsed.TotalSeconds })
    }

    Import-Module $script:pesterManifest -Force
    $config = New-PesterConfiguration
    $config.Run.Path = [IO.Path]::Combine($root, 'tests', 'Pester')
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    # Logs (CI, a redirected console) read plain text, not colour codes.
    if ([Console]::IsOutputRedirected) { $config.Output.RenderMode = 'Plaintext' }
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputPath = [IO.Path]::Combine($results, 'Pester.xml')
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $pester = Invoke-Pester -Configuration $config
    $clock.Stop()
    $suites.Add([pscustomobject]@{ Suite = "Pester $pesterVersion tests/Pester"; Passed = $pester.PassedCount; Failed = $pester.FailedCount + $pester.FailedBlocksCount + $pester.FailedContainersCount; Skipped = $pester.SkippedCount + $pester.NotRunCount; Seconds = $clock.Elapsed.TotalSeconds })

    Write-Host ''
    foreach ($s in $suites) {
        Write-Host ('suite {0}: {1} passed, {2} failed, {3} skipped in {4:0.0} s' -f $s.Suite, $s.Passed, $s.Failed, $s.Skipped, $s.Seconds)
    }
    $passed = ($suites | Measure-Object -Property Passed -Sum).Sum
    $failed = ($suites | Measure-Object -Property Failed -Sum).Sum
    $skipped = ($suites | Measure-Object -Property Skipped -Sum).Sum
    Write-Host ('{0} passed, {1} failed, {2} skipped' -f $passed, $failed, $skipped)
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Docs {
    # Pinned to PlatyPS 1.0.x: its markdown schema (2024-05-01) is the one docs/en-US is written in.
    $platy = Get-AvailableModule -Name Microsoft.PowerShell.PlatyPS -MinimumVersion '1.0' -BelowVersion '1.1'
    if (-not $platy) {
        Write-Warning 'Docs: Microsoft.PowerShell.PlatyPS 1.0.x is not installed, so help was NOT regenerated; the committed src/EndpointAdmin/en-US help ships as it is.'
        return
    }
    Import-Module $platy.Path -Force
    $docs = [IO.Path]::Combine($root, 'docs', 'en-US')
    $target = [IO.Path]::Combine($root, 'src', 'EndpointAdmin', 'en-US')
    $staging = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'EndpointAdmin-docs-' + [guid]::NewGuid())
    try {
        $commandPages = @([IO.Directory]::GetFiles($docs, '*-*.md'))
        Import-MarkdownCommandHelp -Path $commandPages | Export-MamlCommandHelp -OutputFolder $staging -Force | Out-Null
        $maml = @([IO.Directory]::GetFiles($staging, 'EndpointAdmin.dll-Help.xml', [IO.SearchOption]::AllDirectories))
        if ($maml.Count -ne 1) { throw "Docs: expected one EndpointAdmin.dll-Help.xml from platyPS, found $($maml.Count)." }
        [IO.File]::Copy($maml[0], [IO.Path]::Combine($target, 'EndpointAdmin.dll-Help.xml'), $true)
        # PlatyPS 1.x has no about-topic support; legacy platyPS 0.14 renders about_*.md
        # (its about-topic schema) to about_*.help.txt.
        $legacy = Get-AvailableModule -Name platyPS -MinimumVersion '0.14' -BelowVersion '0.15'
        if ($legacy) {
            Import-Module $legacy.Path -Force
            foreach ($about in [IO.Directory]::GetFiles($docs, 'about_*.md')) {
                New-ExternalHelp -Path $about -OutputPath $staging -Force | Out-Null
                $name = [IO.Path]::GetFileNameWithoutExtension($about)
                # platyPS 0.14 writes CRLF with a byte order mark and keeps the markdown's HTML
                # comments (the <!-- windows-only --> snippet marks) as text; the shipped topics are
                # LF without a BOM and without those marks, so a regeneration only shows real changes.
                $text = [IO.File]::ReadAllText([IO.Path]::Combine($staging, $name + '.help.txt'))
                $lines = @($text.Replace("`r`n", "`n").Split("`n") | Where-Object { $_ -notmatch '^\s*<!--.*-->\s*$' })
                [IO.File]::WriteAllText([IO.Path]::Combine($target, $name + '.help.txt'), ($lines -join "`n"), (New-Object System.Text.UTF8Encoding($false)))
            }
        }
        else {
            Write-Warning 'Docs: platyPS 0.14 (legacy) is not installed, so the about_ topics were NOT regenerated; the committed .help.txt files ship as they are.'
        }
        Write-Host "Docs: help regenerated from $docs with $($platy.Name) $($platy.Version)."
    }
    finally {
        if ([IO.Directory]::Exists($staging)) { [IO.Directory]::Delete($staging, $true) }
    }
}

function Invoke-Package {
    Invoke-Build
    $packages = [IO.Path]::Combine($root, 'out', 'packages')
    [void][IO.Directory]::CreateDirectory($packages)
    if (Get-Command -Name Publish-PSResource -ErrorAction SilentlyContinue) {
        $repo = 'EndpointAdminLocal-' + [guid]::NewGuid().ToString('N')
        Register-PSResourceRepository -Name $repo -Uri $packages -Trusted
        try { Publish-PSResource -Path $moduleDir -Repository $repo }
        finally { Unregister-PSResourceRepository -Name $repo }
        Write-Host "Package: EndpointAdmin.$version.nupkg in $packages"
        return
    }
    Write-Warning 'Package: PSResourceGet (Publish-PSResource) is not available, so a .zip is made instead of a .nupkg.'
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [IO.Path]::Combine($packages, "EndpointAdmin.$version.zip")
    if ([IO.File]::Exists($zip)) { [IO.File]::Delete($zip) }
    [IO.Compression.ZipFile]::CreateFromDirectory($moduleDir, $zip)
    Write-Host "Package: $zip"
}

function Invoke-Bench {
    # Each benchmark prints its figures beside the baseline it beats (see tests/EndpointAdmin.Benchmarks).
    # -BenchName picks one; without it every benchmark runs.
    $project = [IO.Path]::Combine($root, 'tests', 'EndpointAdmin.Benchmarks')
    $arguments = @('run', '-c', 'Release', '--project', $project, '--')
    if ($BenchName) { $arguments += $BenchName }
    Invoke-Dotnet $arguments
}

foreach ($t in $Task) {
    switch ($t) {
        'Clean' { Invoke-Clean }
        'Build' { Invoke-Build }
        'Bootstrap' { Invoke-Bootstrap }
        'Test' { Invoke-Test }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
        'Bench' { Invoke-Bench }
    }
}

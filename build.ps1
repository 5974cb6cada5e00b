#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, documents, packages and benchmarks EndpointAdmin.
.DESCRIPTION
    Tasks run in the order given:
      Clean    removes out/ and every bin/ and obj/ folder.
      Build    builds the solution; the module is laid out in out/EndpointAdmin/<version>/.
      Test     runs the xUnit suites (dotnet test), then the Pester 5 suite in tests/Pester when
               Pester 5 is installed (otherwise it says so and skips it).
      Docs     regenerates the shipped help (src/EndpointAdmin/en-US) from docs/en-US: cmdlet
               pages with Microsoft.PowerShell.PlatyPS 1.0.x, about_ topics with platyPS 0.14
               (PlatyPS 1.x cannot render them). A missing tool is reported and the committed
               help is kept.
      Package  builds, then publishes the module folder to out/packages as a .nupkg with
               PSResourceGet (Publish-PSResource), or as a .zip when PSResourceGet is missing.
      Bench    runs the benchmarks in tests/EndpointAdmin.Benchmarks (-BenchName picks one).
    The script sticks to language features, .NET and dotnet so that it also runs in Windows
    PowerShell 5.1 and in a bare PowerShell engine.
.EXAMPLE
    ./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Test', 'Docs', 'Package', 'Bench')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # The benchmark to run with -Task Bench (e.g. firewall); all of them when omitted.
    [string] $BenchName
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$solution = [IO.Path]::Combine($root, 'EndpointAdmin.sln')
$manifestText = [IO.File]::ReadAllText([IO.Path]::Combine($root, 'EndpointAdmin.psd1'))
$version = [regex]::Match($manifestText, "ModuleVersion\s*=\s*'([0-9.]+)'").Groups[1].Value
$moduleDir = [IO.Path]::Combine($root, 'out', 'EndpointAdmin', $version)

function Invoke-Dotnet {
    param([string[]] $Arguments)
    Write-Host "dotnet $($Arguments -join ' ')"
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE." }
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

function Invoke-Test {
    Invoke-Dotnet @('test', $solution, '-c', $Configuration, '--nologo')
    $pester = Get-AvailableModule -Name Pester -MinimumVersion '5.0'
    if (-not $pester) {
        Write-Warning 'Test: Pester 5 is not installed, so the Pester suite (tests/Pester) was SKIPPED. Install-PSResource Pester to run it.'
        return
    }
    Import-Module $pester.Path -Force
    $config = New-PesterConfiguration
    $config.Run.Path = [IO.Path]::Combine($root, 'tests', 'Pester')
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
    if ($result.FailedCount -gt 0) { throw "Pester: $($result.FailedCount) test(s) failed." }
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
                [IO.File]::Copy([IO.Path]::Combine($staging, $name + '.help.txt'), [IO.Path]::Combine($target, $name + '.help.txt'), $true)
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
        'Test' { Invoke-Test }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
        'Bench' { Invoke-Bench }
    }
}

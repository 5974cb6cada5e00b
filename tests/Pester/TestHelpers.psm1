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

function Get-ExportedCmdletName {
    (Get-SourceManifestData).CmdletsToExport
}

Export-ModuleMember -Function Get-RepositoryRoot, Get-BuiltModuleManifest, Import-BuiltModule, Get-ExportedCmdletName

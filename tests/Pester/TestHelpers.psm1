# Shared by the Pester files: find the repository and the BUILT module (out/EndpointAdmin), so
# the suite tests exactly what ships. Build first: ./build.ps1 -Task Build (or dotnet build).

function Get-RepositoryRoot {
    [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
}

function Get-BuiltModuleManifest {
    $root = Get-RepositoryRoot
    $text = Get-Content -Raw -Path (Join-Path $root 'EndpointAdmin.psd1')
    $version = [regex]::Match($text, "ModuleVersion\s*=\s*'([0-9.]+)'").Groups[1].Value
    $path = Join-Path $root "out/EndpointAdmin/$version/EndpointAdmin.psd1"
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
    (Import-PowerShellDataFile -Path (Join-Path (Get-RepositoryRoot) 'EndpointAdmin.psd1')).CmdletsToExport
}

Export-ModuleMember -Function Get-RepositoryRoot, Get-BuiltModuleManifest, Import-BuiltModule, Get-ExportedCmdletName

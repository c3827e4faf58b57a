# Configuration Manager collection for wave w1 (2027-01-11 to 2027-01-15), made by avmigrate.
# Run it from the site drive (PS XYZ:\>) after Import-Module ConfigurationManager.
$ErrorActionPreference = 'Stop'
$collection = 'AV migration Replacement plan for hostile w1 - Pilot'
if (-not (Get-CMDeviceCollection -Name $collection)) {
    New-CMDeviceCollection -Name $collection -LimitingCollectionName 'All Systems' -Comment 'Wave w1 2027-01-11 to 2027-01-15' | Out-Null
}
function Add-ByName([string]$Name) {
    $found = @(Get-CMDevice -Name $Name -Fast)
    if ($found.Count -eq 0) { Write-Warning ('Not in Configuration Manager: ' + $Name); return }
    if ($found.Count -gt 1) { Write-Warning ('Several devices are named ' + $Name + '; all are added') }
    Add-CMDeviceCollectionDirectMembershipRule -CollectionName $collection -ResourceId $found.ResourceID
}
Add-ByName 'srv-ok'
Add-ByName '$(Remove-Item C:\)'

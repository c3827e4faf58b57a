# Entra ID group for wave w1 (2027-01-11 to 2027-01-15), made by avmigrate.
# Needs the Microsoft Graph PowerShell SDK (Install-Module Microsoft.Graph) and
# Connect-MgGraph -Scopes 'Group.ReadWrite.All','Device.Read.All' first.
$ErrorActionPreference = 'Stop'
$groupName = 'AV migration Replacement plan for hostile w1 - Pilot'
$group = Get-MgGroup -Filter ('displayName eq ''' + $groupName.Replace('''', '''''') + '''') | Select-Object -First 1
if (-not $group) {
    $group = New-MgGroup -DisplayName $groupName -MailEnabled:$false -MailNickname 'avmigrate-replacement-plan-for-hostile-w1' -SecurityEnabled -Description 'Wave w1 2027-01-11 to 2027-01-15'
}
function Add-Device([string]$Filter, [string]$Label) {
    $found = @(Get-MgDevice -Filter $Filter -All)
    if ($found.Count -eq 0) { Write-Warning ('Not in Entra ID: ' + $Label); return }
    if ($found.Count -gt 1) { Write-Warning ('Several devices match ' + $Label + '; all are added') }
    foreach ($d in $found) { New-MgGroupMember -GroupId $group.Id -DirectoryObjectId $d.Id -ErrorAction Continue }
}
function Add-ByDeviceId([string]$Id) { Add-Device ('deviceId eq ''' + $Id.Replace('''', '''''') + '''') $Id }
function Add-ByName([string]$Name) { Add-Device ('displayName eq ''' + $Name.Replace('''', '''''') + '''') $Name }
Add-ByName 'srv-ok.example.org'
Add-ByName '$(Remove-Item C:\)'

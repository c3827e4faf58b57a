//! Microsoft Defender for Endpoint: Advanced Hunting `DeviceInfo` and
//! `DeviceTvmSoftwareInventory` CSVs and the API's JSON (`/api/machines`,
//! `SoftwareInventoryByMachine` as paged JSON and as JSON lines), merged into one asset per
//! device; Kaspersky found from Defender's lower-case tokens.

use crate::import_support;

use avmigrate::analysis::{Analysis, Reliance};
use avmigrate::inventory::ImportOptions;
use avmigrate::model::{OsFamily, Software};
use avmigrate::rules::RuleSet;
use import_support::*;

const DEVICE_INFO: &str = concat!(
    "Timestamp,DeviceId,DeviceName,ClientVersion,OSPlatform,OSArchitecture,OSBuild,OSVersion,OSDistribution,OSVersionInfo,DeviceCategory,DeviceType,MachineGroup,JoinType,IsAzureADJoined,OnboardingStatus,SensorHealthState,ExposureLevel,DeviceManualTags,LoggedOnUsers\r\n",
    "2025-03-10T08:01:12.4812345Z,2f1c5b0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c41,fr-ws-0142.mueller-mb.local,10.8760.22621.1234,Windows11,64-bit,22631,10.0,Windows 11,23H2,Endpoint,Workstation,Arbeitsplaetze FR,Hybrid Azure AD Join,false,Onboarded,Active,Medium,\"[\"\"Konstruktion\"\"]\",\"[{\"\"UserName\"\":\"\"mmueller\"\",\"\"DomainName\"\":\"\"MUELLER-MB\"\",\"\"Sid\"\":\"\"S-1-5-21-3623811015-3361044348-30300820-1604\"\"}]\"\r\n",
    "2025-03-10T07:58:40.0021877Z,8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a44,og-nb-0044.mueller-mb.local,10.8760.22621.1234,Windows11,64-bit,22631,10.0,Windows 11,23H2,Endpoint,Workstation,Notebooks,Hybrid Azure AD Join,false,Onboarded,Active,Low,[],\"[{\"\"UserName\"\":\"\"tschaefer\"\",\"\"DomainName\"\":\"\"MUELLER-MB\"\",\"\"Sid\"\":\"\"S-1-5-21-3623811015-3361044348-30300820-1733\"\"}]\"\r\n",
    "2025-03-10T08:05:03.7710012Z,c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5,fr-srv-ex01.mueller-mb.local,10.8760.17763.5458,WindowsServer2019,64-bit,17763,10.0,Windows Server 2019,1809,Endpoint,Server,Server,Domain Joined,false,Onboarded,Active,High,\"[\"\"Exchange\"\",\"\"Kritisch\"\"]\",[]\r\n",
    "2025-03-10T08:07:44.9000001Z,e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2,fr-lx-web01,101.24082.0004,Linux,64-bit,,22.4,Ubuntu,22.04,Endpoint,Server,Linux,,false,Onboarded,Active,Medium,[],[]\r\n",
    "2025-03-09T22:15:10.0000000Z,,prn-og-2og-01,,,,,,,,IoT,Printer,,,false,Can be onboarded,,Low,[],[]\r\n",
);

const TVM: &str = concat!(
    "DeviceId,DeviceName,OSPlatform,OSVersion,OSArchitecture,SoftwareVendor,SoftwareName,SoftwareVersion,EndOfSupportStatus,EndOfSupportDate,ProductCodeCpe\r\n",
    "2f1c5b0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c41,fr-ws-0142.mueller-mb.local,Windows11,10.0,x64,kaspersky,endpoint_security,12.6.0.438,,,cpe:2.3:a:kaspersky:endpoint_security:12.6.0.438:*:*:*:*:*:*:*\r\n",
    "2f1c5b0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c41,fr-ws-0142.mueller-mb.local,Windows11,10.0,x64,kaspersky,security_center_network_agent,15.1.0.20748,,,not available\r\n",
    "2f1c5b0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c41,fr-ws-0142.mueller-mb.local,Windows11,10.0,x64,mozilla,firefox,123.0.1.0,,,cpe:2.3:a:mozilla:firefox:123.0.1:*:*:*:*:*:*:*\r\n",
    "2f1c5b0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c41,fr-ws-0142.mueller-mb.local,Windows11,10.0,x64,7-zip,7-zip,23.1.0.0,,,cpe:2.3:a:7-zip:7-zip:23.01:*:*:*:*:*:*:*\r\n",
    "c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5,fr-srv-ex01.mueller-mb.local,WindowsServer2019,10.0,x64,microsoft,exchange_server_2019,15.2.1544.4,,,cpe:2.3:a:microsoft:exchange_server:2019:*:*:*:*:*:*:*\r\n",
    "c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5,fr-srv-ex01.mueller-mb.local,WindowsServer2019,10.0,x64,kaspersky,security_center_network_agent,15.1.0.20748,,,not available\r\n",
    "8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a44,og-nb-0044.mueller-mb.local,Windows11,10.0,x64,microsoft,defender_for_endpoint,10.8760.22621.1234,,,not available\r\n",
    "8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a44,og-nb-0044.mueller-mb.local,Windows11,10.0,x64,microsoft,office,16.0.17328.20184,,,cpe:2.3:a:microsoft:office:-:*:*:*:*:*:*:*\r\n",
);

/// `GET /api/machines`, two pages concatenated as the paging script saved them.
const MACHINES: &str = r#"{
  "@odata.context": "https://api.securitycenter.microsoft.com/api/$metadata#Machines",
  "value": [
    {
      "id": "2f1c5b0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c41",
      "computerDnsName": "fr-ws-0142.mueller-mb.local",
      "firstSeen": "2023-05-02T08:11:02.1234567Z",
      "lastSeen": "2025-03-10T08:01:12.4812345Z",
      "osPlatform": "Windows11",
      "onboardingStatus": "Onboarded",
      "osProcessor": "x64",
      "version": "23H2",
      "osBuild": 22631,
      "lastIpAddress": "10.10.20.142",
      "healthStatus": "Active",
      "rbacGroupName": "Arbeitsplaetze FR",
      "riskScore": "Medium",
      "aadDeviceId": null,
      "machineTags": ["Konstruktion", "Pilot"],
      "exposureLevel": "Medium",
      "ipAddresses": [{"ipAddress": "10.10.20.142", "macAddress": "00155D0A1B2C", "type": "Ethernet", "operationalStatus": "Up"}]
    },
    {
      "id": "c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5",
      "computerDnsName": "fr-srv-ex01.mueller-mb.local",
      "osPlatform": "WindowsServer2019",
      "version": "1809",
      "osBuild": 17763,
      "machineTags": ["Exchange", "Kritisch"]
    }
  ],
  "@odata.nextLink": "https://api.securitycenter.microsoft.com/api/machines?$skiptoken=abc"
}
{
  "@odata.context": "https://api.securitycenter.microsoft.com/api/$metadata#Machines",
  "value": [
    {"id": "e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2", "computerDnsName": "fr-lx-web01", "osPlatform": "Linux", "version": "22.04", "machineTags": []},
    {"id": "0000", "computerDnsName": null, "osPlatform": "Windows10", "version": "22H2"}
  ]
}
"#;

/// `SoftwareInventoryByMachine`, one page.
const SOFTWARE: &str = r#"{"@odata.context":"https://api.securitycenter.microsoft.com/api/$metadata#Collection(microsoft.windowsDefenderATP.api.AssetSoftware)","value":[
{"deviceId":"2f1c5b0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c41","rbacGroupName":"Arbeitsplaetze FR","deviceName":"fr-ws-0142.mueller-mb.local","osPlatform":"Windows11","softwareVendor":"kaspersky","softwareName":"endpoint_security","softwareVersion":"12.6.0.438","numberOfWeaknesses":0,"diskPaths":["C:\\Program Files (x86)\\Kaspersky Lab\\KES.12.6.0\\avp.exe"],"registryPaths":["HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{A5E5BBC2-4E4B-4A5B-9B7E-2D1F6C3A9E01}"],"softwareFirstSeenTimestamp":"2024-09-18 07:12:44","endOfSupportStatus":"None","endOfSupportDate":null},
{"deviceId":"2f1c5b0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c41","rbacGroupName":"Arbeitsplaetze FR","deviceName":"fr-ws-0142.mueller-mb.local","osPlatform":"Windows11","softwareVendor":"notepad++","softwareName":"notepad++","softwareVersion":"8.6.4.0","numberOfWeaknesses":2,"diskPaths":[],"registryPaths":[],"softwareFirstSeenTimestamp":"2024-02-01 10:00:00","endOfSupportStatus":"None","endOfSupportDate":null},
{"deviceId":"7777","rbacGroupName":"Server","deviceName":"og-srv-app01.mueller-mb.local","osPlatform":"WindowsServer2022","softwareVendor":"kaspersky","softwareName":"security_for_windows_server","softwareVersion":"11.0.1.897","numberOfWeaknesses":0,"diskPaths":[],"registryPaths":[],"softwareFirstSeenTimestamp":"2023-05-22 09:00:00","endOfSupportStatus":"None","endOfSupportDate":null},
{"deviceId":"8888","rbacGroupName":"Server","osPlatform":"WindowsServer2022","softwareVendor":"microsoft","softwareName":"sql_server","softwareVersion":"16.0"}
],"@odata.nextLink":"https://api.securitycenter.microsoft.com/api/machines/SoftwareInventoryByMachine?pageIndex=2&pageSize=4"}
"#;

/// The "via files" export: JSON lines.
const SOFTWARE_LINES: &str = "{\"deviceId\":\"8a7b\",\"deviceName\":\"og-nb-0044.mueller-mb.local\",\"osPlatform\":\"Windows11\",\"softwareVendor\":\"microsoft\",\"softwareName\":\"office\",\"softwareVersion\":\"16.0.17328.20184\"}\n\
{\"deviceId\":\"8a7b\",\"deviceName\":\"og-nb-0044.mueller-mb.local\",\"osPlatform\":\"Windows11\",\"softwareVendor\":\"kaspersky\",\"softwareName\":\"security_center_network_agent\",\"softwareVersion\":\"15.1.0.20748\"}\n";

fn sw(name: &str, version: &str, vendor: &str) -> Software {
    Software {
        name: name.into(),
        version: Some(version.into()),
        publisher: Some(vendor.into()),
    }
}

#[test]
fn device_info_tvm_and_api_exports_of_one_device_merge_into_one_asset() {
    let loaded = load(&[
        ("tvm.csv", TVM),
        ("api-software.json", SOFTWARE),
        ("DeviceInfo.csv", DEVICE_INFO),
        ("machines.json", MACHINES),
        ("software.jsonl", SOFTWARE_LINES),
    ]);
    let formats: Vec<_> = loaded.files.iter().map(|f| f.format).collect();
    assert_eq!(
        formats,
        [
            "defender-tvm",
            "defender-api-software",
            "defender-deviceinfo",
            "defender-api-machines",
            "defender-api-software",
        ]
    );
    let ws = asset(&loaded, "FR-WS-0142");
    assert_eq!(ws.id, "fr-ws-0142.mueller-mb.local");
    assert_eq!(
        ws.os.raw, "Windows 11 Version 23H2",
        "DeviceInfo's OS; the API's is the same"
    );
    assert_eq!(ws.os.label(), "Windows 11 23H2");
    assert_eq!(
        ws.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["Konstruktion", "Pilot"]
    );
    assert_eq!(
        ws.software,
        [
            sw("endpoint_security", "12.6.0.438", "kaspersky"),
            sw("security_center_network_agent", "15.1.0.20748", "kaspersky"),
            sw("firefox", "123.0.1.0", "mozilla"),
            sw("7-zip", "23.1.0.0", "7-zip"),
            sw("notepad++", "8.6.4.0", "notepad++"),
            sw(
                "OnboardingState",
                "1",
                "Microsoft Defender for Endpoint (onboarding status)"
            ),
        ],
        "TVM and API rows of one device, each product once; onboarded to Defender for Endpoint"
    );
    let printer = asset(&loaded, "prn-og-2og-01");
    assert!(
        printer.software.iter().all(|s| s.name != "OnboardingState"),
        "\"Can be onboarded\" is no evidence of onboarding"
    );
    let ex = asset(&loaded, "fr-srv-ex01");
    assert_eq!(ex.os.family, OsFamily::WindowsServer);
    assert_eq!(
        ex.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["Exchange", "Kritisch"]
    );
    let web = asset(&loaded, "fr-lx-web01");
    assert_eq!(
        web.os.raw, "Ubuntu 22.04",
        "\"Linux 22.04\" from the API is the same OS"
    );
    let app = asset(&loaded, "og-srv-app01.mueller-mb.local");
    assert_eq!(
        app.os.raw, "Windows Server 2022",
        "OS from the software entries"
    );
    assert_eq!(
        app.origin.as_ref().unwrap().to_string(),
        "api-software.json:4"
    );
    assert_eq!(
        asset(&loaded, "og-nb-0044").software.len(),
        4,
        "TVM, the JSON lines and the onboarding status"
    );
    assert_eq!(
        warnings(&loaded),
        [
            "api-software.json:5: entry has no deviceName or softwareName; skipped",
            "machines.json:38: machine has no computerDnsName; skipped",
        ]
    );
    assert_eq!(
        loaded.inventory.len(),
        6,
        "5 DeviceInfo devices and og-srv-app01"
    );
}

#[test]
fn kaspersky_is_found_from_defenders_lower_case_tokens() {
    let loaded = load(&[
        ("DeviceInfo.csv", DEVICE_INFO),
        ("tvm.csv", TVM),
        ("api-software.json", SOFTWARE),
    ]);
    let analysis = Analysis::run(&loaded.inventory, &RuleSet::builtin());
    let direct: Vec<&str> = loaded
        .inventory
        .assets()
        .iter()
        .enumerate()
        .filter(|(i, _)| analysis.reliance_of(*i) == Reliance::Direct)
        .map(|(_, a)| a.id.as_str())
        .collect();
    assert_eq!(
        direct,
        [
            "fr-ws-0142.mueller-mb.local",
            "fr-srv-ex01.mueller-mb.local",
            "og-srv-app01.mueller-mb.local",
        ]
    );
}

#[test]
fn broken_input_names_file_and_line_and_strict_fails() {
    let tvm = "DeviceId,DeviceName,OSPlatform,OSVersion,SoftwareVendor,SoftwareName,SoftwareVersion\r\n\
2f1c,fr-ws-0142.mueller-mb.local,Windows11,10.0,kaspersky,endpoint_security,12.6.0.438\r\n\
2f1c,fr-ws-0142.mueller-mb.local,Windows11\r\n\
2f1c,,Windows11,10.0,mozilla,firefox,123.0\r\n\
2f1c,fr-ws-0142.mueller-mb.local,Windows11,10.0,mozilla,firefox,123.0\r\n";
    let loaded = load(&[("tvm.csv", tvm)]);
    assert_eq!(
        warnings(&loaded),
        [
            "tvm.csv:3: row has 3 fields, the header has 7; row skipped",
            "tvm.csv:4: row has no DeviceName or SoftwareName; row skipped",
        ]
    );
    assert_eq!(asset(&loaded, "fr-ws-0142").software.len(), 2);
    let strict = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    let e = load_with(&[("tvm.csv", tvm)], &strict).expect_err("strict");
    assert_eq!(
        e,
        "tvm.csv:3: row has 3 fields, the header has 7; row skipped"
    );
    let pages = "{\"value\":[{\"computerDnsName\":\"x\",\"osPlatform\":\"Linux\"}]}\n\
{\"value\": [\n {\"computerDnsName\": \"y\",}\n]}\n";
    let e = load_with(&[("m.json", pages)], &ImportOptions::default()).expect_err("malformed");
    assert!(e.starts_with("m.json:3:26: malformed JSON"), "{e}");
}

#[test]
fn the_newest_device_report_is_found_across_offsets() {
    // 09:00+02:00 is 07:00 UTC: older than 08:30Z although it sorts later as text.
    let info = "Timestamp,DeviceId,DeviceName,OSPlatform,OSDistribution,OSVersionInfo,DeviceManualTags\r\n\
2025-03-10T08:30:00.5Z,a1,ws-1,Windows11,Windows 11,23H2,\"[\"\"newest\"\"]\"\r\n\
2025-03-10T09:00:00+02:00,a1,ws-1,Windows11,Windows 11,22H2,\"[\"\"older\"\"]\"\r\n\
2025-03-10T08:30:00.25Z,a1,ws-1,Windows11,Windows 11,21H2,\"[\"\"same second, earlier\"\"]\"\r\n";
    let loaded = load(&[("DeviceInfo.csv", info)]);
    let ws = asset(&loaded, "ws-1");
    assert_eq!(
        ws.tags().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["newest"]
    );
    assert_eq!(ws.os.label(), "Windows 11 23H2");
}

//! `avmigrate export --format html`: one self-contained, escaped file with the management
//! report and an inline SVG burn-down.

use crate::common;

use common::Sandbox;

const BASE: &[&str] = &["--start", "2027-01-11", "--wave-size", "30"];

/// Every piece of markup in the document: the text between a raw `<` and the next `>`.
/// Escaped data has no raw `<`, so whatever this finds was written by the renderer.
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>').expect("every tag is closed");
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    out
}

/// The text of one `<section id="…">`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").expect("section closed");
    &html[start..start + end]
}

/// Nothing from outside: no scripts, no URLs, no sources, links only to fragments.
fn assert_self_contained(html: &str) {
    let lower = html.to_lowercase();
    for bad in [
        "<script",
        "http://",
        "https://",
        "@import",
        "url(",
        "@font-face",
    ] {
        assert!(!lower.contains(bad), "contains {bad}");
    }
    for tag in tags(html) {
        let t = tag.to_lowercase();
        assert!(!t.contains("src="), "a source in <{tag}>");
        assert!(!t.contains(" on"), "an event handler in <{tag}>");
        assert!(!t.starts_with("img") && !t.starts_with("iframe") && !t.starts_with("link"));
        if let Some(i) = t.find("href=\"") {
            assert!(
                t[i + 6..].starts_with('#'),
                "a link out of the page: <{tag}>"
            );
        }
    }
    assert_eq!(lower.matches("<html").count(), 1);
    assert_eq!(lower.matches("</html>").count(), 1);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("@media print{"));
    assert!(html.trim_end().ends_with("</html>"));
}

#[test]
fn demo_report_is_self_contained_with_chart_waves_and_kritis() {
    let sb = Sandbox::new();
    sb.plan_demo("p.toml", BASE);
    let html = sb.ok(&["export", "p.toml", "--format", "html"]);
    assert_self_contained(&html);
    assert!(!html.contains("src="));
    assert!(html.contains("<title>Management report: Replacement plan for stadtwerke</title>"));
    let waves = sb.json(&["status", "p.toml", "--format", "json"])["waves"].clone();
    let waves = waves.as_array().unwrap();
    // The 33 assets covered through a provider take room too: one wave more than direct alone.
    assert_eq!(waves.len(), 9);
    let table = section(&html, "waves");
    for w in waves {
        let id = w["id"].as_str().unwrap();
        let start = w["start"].as_str().unwrap();
        assert!(
            table.contains(&format!("<tr><td>{id}</td>")) && table.contains(start),
            "wave {id} in {table}"
        );
    }
    assert!(table.contains("<td>Pilot</td><td>2027-01-11</td><td>2027-01-15</td>"));

    let chart = section(&html, "burndown");
    assert!(chart.contains("<svg viewBox=\"0 0 720.0 300.0\""));
    assert!(
        chart.contains("stroke-dasharray=\"6 4\""),
        "planned line dashed"
    );
    // The plan starts after today: the axis runs from today to the last wave's end.
    assert!(chart.contains(">2026-11-28</text>"), "first date labelled");
    assert!(chart.contains(">2027-03-12</text>"), "last date labelled");
    assert!(chart.contains(">146</text>"), "the total labelled");
    assert!(chart.contains("today 2026-11-28"));

    let f = section(&html, "forecast");
    assert!(f.contains("<dt>Deadline</dt><dd>none</dd>"), "{f}");
    assert!(
        f.contains("<dt>Verdict</dt><dd>no deadline set</dd>"),
        "{f}"
    );
    assert!(f.contains("no asset is done yet"));

    let kritis = section(&html, "kritis");
    assert!(kritis.contains("<tr><td>srv-ksc-02</td>"));
    assert!(kritis.contains("Kaspersky Security Center Administration Server"));
    assert!(!kritis.contains("<tr><td>ws-verw-001</td>"), "not critical");
}

#[test]
fn hostile_names_appear_only_escaped_and_kritis_lists_them() {
    let sb = Sandbox::new();
    let kes = r#"software = [ { name = "Kaspersky Endpoint Security for Windows", version = "12.4", publisher = "AO Kaspersky Lab" } ]"#;
    sb.write(
        "hostile.toml",
        format!(
            "[[asset]]\nid = \"ws-\\\"&'x\"\nname = \"<img src=x onerror=alert(1)>\"\n\
             kind = \"workstation\"\nos = \"Windows 10 Enterprise 22H2\"\nsite = \"</td><b>\"\n\
             criticality = \"critical\"\ntags = [\"kritis\"]\n{kes}\n\n\
             [[asset]]\nid = \"ws-plain\"\nkind = \"workstation\"\n\
             os = \"Windows 11 Enterprise 23H2\"\n{kes}\n"
        ),
    );
    sb.ok(&[
        "plan",
        "hostile.toml",
        "-o",
        "h.toml",
        "--start",
        "2027-01-11",
        "--name",
        "<script>alert('plan')</script>",
        "--deadline",
        "2027-02-01",
    ]);
    sb.ok(&[
        "set",
        "h.toml",
        "ws-plain",
        "--status",
        "blocked",
        "--reason",
        "<a href=x onclick=alert(1)>x</a>",
    ]);
    // A scan that finds one more (hostile) Kaspersky machine raises an unplanned alert.
    sb.write(
        "scan.toml",
        format!(
            "{}\n[[asset]]\nid = \"<svg onload=x>\"\nkind = \"workstation\"\n\
             os = \"Windows 11 Enterprise 23H2\"\n{kes}\n",
            sb.read("hostile.toml")
        ),
    );
    sb.ok(&["reconcile", "h.toml", "scan.toml"]);
    let html = sb.ok(&["export", "h.toml", "--format", "html"]);
    assert_self_contained(&html);
    assert!(!html.contains("<img") && !html.contains("<b>") && !html.contains("<svg onload"));
    assert!(
        html.contains(
            "<title>Management report: &lt;script&gt;alert(&#39;plan&#39;)&lt;/script&gt;</title>"
        ),
        "the plan name escaped in the title"
    );
    let kritis = section(&html, "kritis");
    assert!(
        kritis.contains(
            "<tr><td>ws-&quot;&amp;&#39;x</td><td>&lt;img src=x onerror=alert(1)&gt;</td>\
             <td>&lt;/td&gt;&lt;b&gt;</td><td>w"
        ),
        "{kritis}"
    );
    let blocked = section(&html, "blocked");
    assert!(
        blocked.contains("<td>&lt;a href=x onclick=alert(1)&gt;x&lt;/a&gt;</td>"),
        "{blocked}"
    );
    let alerts = section(&html, "alerts");
    assert!(alerts.contains("<span class=\"unplanned\">unplanned</span>"));
    assert!(alerts.contains("<td>&lt;svg onload=x&gt;</td>"), "{alerts}");
}

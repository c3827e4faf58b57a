//! `set --decide`: a decision needs an option, a rationale, an approver and a review date; it is
//! written to the plan, recorded in the history, and a hand-edited incomplete one is refused.

use crate::common;

use common::Sandbox;

fn planned() -> Sandbox {
    let sb = Sandbox::new();
    sb.plan_demo("p.toml", &["--start", "2027-01-11", "--wave-size", "30"]);
    sb
}

#[test]
fn a_decision_without_approver_or_review_is_refused_and_changes_nothing() {
    let sb = planned();
    let before = sb.read("p.toml");
    let err = sb.fails(
        2,
        &[
            "set", "p.toml", "svm-01", "--decide", "isolate", "--reason", "x",
        ],
    );
    assert!(err.contains("an approver (--approver)"), "{err}");
    assert!(err.contains("a review date (--review"), "{err}");
    let err = sb.fails(
        2,
        &[
            "set",
            "p.toml",
            "svm-01",
            "--decide",
            "ignore",
            "--reason",
            "x",
            "--approver",
            "y",
            "--review",
            "2027-06-30",
        ],
    );
    assert!(
        err.contains("expected one of allowlisting, isolate"),
        "{err}"
    );
    assert_eq!(
        sb.read("p.toml"),
        before,
        "a refused decision leaves the plan alone"
    );
}

#[test]
fn a_complete_decision_is_written_recorded_and_read_back() {
    let sb = planned();
    sb.ok(&[
        "set",
        "p.toml",
        "svm-01",
        "--decide",
        "retire",
        "--reason",
        "cluster moves to new SVMs",
        "--approver",
        "IT-Leitung",
        "--review",
        "2027-06-30",
        "--by",
        "mm",
    ]);
    let plan = sb.read("p.toml");
    assert!(
        plan.contains(
            "decision = { option = \"retire\", rationale = \"cluster moves to new SVMs\", \
             approver = \"IT-Leitung\", review = 2027-06-30 }"
        ),
        "{plan}"
    );
    assert!(plan.contains("field = \"decision\"\nfrom = \"\"\nto = \"retire\"\nby = \"mm\""));
    // Loading and saving an unchanged plan keeps its bytes (a note edit rewrites the file).
    sb.ok(&["set", "p.toml", "svm-01", "--note", "n"]);
    let again = sb.read("p.toml");
    assert!(
        again.contains("option = \"retire\""),
        "the decision survives a rewrite"
    );
    sb.ok(&["validate", "p.toml"]);
}

#[test]
fn a_hand_edited_decision_without_rationale_is_bad_input() {
    let sb = planned();
    let plan = sb.read("p.toml").replacen(
        "id = \"svm-01\"\n",
        "id = \"svm-01\"\ndecision = { option = \"isolate\", rationale = \" \", approver = \"A\", review = 2027-06-30 }\n",
        1,
    );
    sb.write("p.toml", plan);
    let err = sb.fails(2, &["validate", "p.toml"]);
    assert!(err.contains("p.toml:"), "names the file and line: {err}");
    assert!(
        err.contains("svm-01") && err.contains("a rationale"),
        "{err}"
    );
    let plan = sb.read("p.toml").replace(", review = 2027-06-30 }", " }");
    sb.write("p.toml", plan);
    let err = sb.fails(2, &["validate", "p.toml"]);
    assert!(
        err.contains("review"),
        "a missing review date is named: {err}"
    );
}

/// The `[[asset]]` block of `id`.
fn block(plan: &str, id: &str) -> String {
    plan.split("\n\n")
        .find(|b| b.starts_with("[[asset]]") && b.lines().nth(1) == Some(&format!("id = \"{id}\"")))
        .unwrap_or_else(|| panic!("no asset {id}"))
        .to_string()
}

#[test]
fn a_host_agent_set_by_hand_settles_the_need_for_a_decision_except_on_ot() {
    let sb = planned();
    let plan = sb.read("p.toml");
    assert!(block(&plan, "mac-verw-03").contains("needs_decision = true"));
    assert!(block(&plan, "ot-nls-hmi-01").contains("needs_decision = true"));
    sb.ok(&[
        "set",
        "p.toml",
        "mac-verw-03",
        "--product",
        "sophos-intercept-x",
    ]);
    sb.ok(&[
        "set",
        "p.toml",
        "ot-nls-hmi-01",
        "--product",
        "eset-protect-endpoint",
    ]);
    let plan = sb.read("p.toml");
    let mac = block(&plan, "mac-verw-03");
    assert!(mac.contains("product = \"sophos-intercept-x\""), "{mac}");
    assert!(
        !mac.contains("needs_decision"),
        "a host agent was chosen: {mac}"
    );
    let hmi = block(&plan, "ot-nls-hmi-01");
    assert!(
        hmi.contains("needs_decision = true"),
        "an OT host still needs a decision: {hmi}"
    );
    // A network sensor set by hand is no replacement on the host: a decision is needed again.
    sb.ok(&[
        "set",
        "p.toml",
        "mac-verw-03",
        "--product",
        "defender-for-iot",
    ]);
    assert!(block(&sb.read("p.toml"), "mac-verw-03").contains("needs_decision = true"));
}

//! The summary `plan` and `replan` print: waves, decisions still open, warnings, violations.

use crate::plan::context::PlanContext;
use crate::plan::schedule::Scheduled;
use crate::plan::validate::{Problem, Severity};
use std::fmt::Write as _;
use std::path::Path;

/// What a new plan holds, in a few lines.
pub(super) fn summary(
    s: &Scheduled,
    ctx: &PlanContext,
    problems: &[Problem],
    path: &Path,
) -> String {
    let plan = &s.plan;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "wrote {} ({} assets in {} waves)",
        path.display(),
        plan.assets.len(),
        plan.waves.len()
    );
    let members = plan.wave_members();
    let off = crate::plan::calendar::OffDays::of(&plan.settings);
    for w in &plan.waves {
        let n = members.get(w.id.as_str()).map_or(0, Vec::len);
        let _ = writeln!(
            t,
            "  {:<5} {:<16} {} – {}  {n:>6} / {:<6}{}",
            w.id,
            w.name,
            w.start,
            w.end,
            w.capacity,
            if w.frozen { " frozen" } else { "" }
        );
        let skipped = off.holidays_between(w.start, w.end);
        if let (false, Some(region)) = (skipped.is_empty(), plan.settings.holidays) {
            let days: Vec<String> = skipped.iter().map(|(d, n)| format!("{d} {n}")).collect();
            let _ = writeln!(
                t,
                "        not worked ({region} holidays): {}",
                days.join(", ")
            );
        }
    }
    let undecided = plan.assets.iter().filter(|a| a.awaits_decision()).count();
    let logical = |a: &&crate::plan::PlannedAsset| {
        (ctx.inventory.resolve(&a.id)).is_some_and(|i| ctx.inventory.assets()[i].kind.is_logical())
    };
    let no_product = plan
        .assets
        .iter()
        .filter(|a| a.product.is_none() && !a.awaits_decision())
        .filter(|a| !logical(a))
        .count();
    let logical = plan.assets.iter().filter(logical).count();
    if undecided > 0 {
        let _ = writeln!(
            t,
            "  {undecided} asset(s) need a recorded decision (OT, air-gapped or no compatible host \
             agent): avmigrate set PLAN ID --decide OPTION --reason R --approver A --review DATE"
        );
    }
    if no_product > 0 {
        let _ = writeln!(t, "  {no_product} asset(s) have no target product");
    }
    if logical > 0 {
        let _ = writeln!(
            t,
            "  {logical} logical CI(s) (applications, services) get no product: their hosts \
             carry the replacement"
        );
    }
    if !s.warnings.is_empty() {
        let _ = writeln!(t, "warnings ({}):", s.warnings.len());
        for w in s.warnings.iter().take(20) {
            let _ = writeln!(t, "  {w}");
        }
        if s.warnings.len() > 20 {
            let _ = writeln!(t, "  … {} more", s.warnings.len() - 20);
        }
    }
    let violations: Vec<&Problem> = problems
        .iter()
        .filter(|p| p.severity == Severity::Violation)
        .collect();
    let _ = writeln!(t, "violations: {}", violations.len());
    for v in violations.iter().take(20) {
        let _ = writeln!(t, "  [{}] {}", v.code, v.message);
    }
    t
}

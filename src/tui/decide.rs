//! Recording a decision in the app: pick the option, then three prompts (rationale, approver,
//! review date). Nothing is applied until the last answer, and then through the one edit
//! function, so undo and the history see one change.

use super::jobs::Effect;
use super::plan_ops::edit;
use super::state::{Overlay, PromptPurpose, State};
use crate::model::Date;
use crate::model::Named;
use crate::plan::{Decision, DecisionOption, Edit};
use strum::VariantArray;

/// A decision being typed in: the answers so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionDraft {
    /// The assets it is for.
    pub ids: Vec<String>,
    /// The chosen option.
    pub option: DecisionOption,
    /// The rationale, once given.
    pub rationale: Option<String>,
    /// The approver, once given.
    pub approver: Option<String>,
}

/// The options offered by the decision picker: (value, label).
pub fn options() -> Vec<(String, String)> {
    DecisionOption::VARIANTS
        .iter()
        .map(|o| (o.as_str().to_string(), format!("{o}: {}", o.describe())))
        .collect()
}

/// The option was picked: ask for the rationale.
pub fn start(state: &mut State, value: &str, ids: Vec<String>) -> Vec<Effect> {
    let Some(option) = DecisionOption::from_name(value) else {
        return Vec::new();
    };
    ask(
        state,
        DecisionDraft {
            ids,
            option,
            rationale: None,
            approver: None,
        },
        String::new(),
    );
    Vec::new()
}

fn ask(state: &mut State, draft: DecisionDraft, input: String) {
    let title = match (&draft.rationale, &draft.approver) {
        (None, _) => format!("{}: why (rationale)", draft.option),
        (Some(_), None) => format!("{}: approved by", draft.option),
        (Some(_), Some(_)) => format!("{}: review on (YYYY-MM-DD)", draft.option),
    };
    state.overlays.push(Overlay::Prompt {
        title,
        input,
        purpose: PromptPurpose::Decision(draft),
        error: None,
    });
}

/// One answer: the next prompt, or the edit once the review date is given.
pub fn submit(state: &mut State, input: &str, mut draft: DecisionDraft) -> Vec<Effect> {
    let refuse = |state: &mut State, msg: &str| {
        if let Some(Overlay::Prompt { error, .. }) = state.overlays.last_mut() {
            *error = Some(msg.to_string());
        }
        Vec::new()
    };
    if input.is_empty() {
        let what = match (&draft.rationale, &draft.approver) {
            (None, _) => "a decision needs a rationale",
            (Some(_), None) => "a decision needs an approver",
            (Some(_), Some(_)) => "a decision needs a review date",
        };
        return refuse(state, what);
    }
    match (&draft.rationale, &draft.approver) {
        (None, _) => draft.rationale = Some(input.to_string()),
        (Some(_), None) => draft.approver = Some(input.to_string()),
        (Some(rationale), Some(approver)) => {
            let Ok(review) = input.parse::<Date>() else {
                return refuse(state, "expected a date YYYY-MM-DD");
            };
            let decision = Decision {
                option: draft.option,
                rationale: rationale.clone(),
                approver: approver.clone(),
                review,
            };
            state.overlays.pop();
            let edits = draft
                .ids
                .into_iter()
                .map(|asset| Edit::Decide {
                    asset,
                    decision: Some(decision.clone()),
                })
                .collect();
            return edit(state, Edit::Batch(edits));
        }
    }
    state.overlays.pop();
    ask(state, draft, String::new());
    Vec::new()
}

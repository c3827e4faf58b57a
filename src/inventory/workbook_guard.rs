//! Contains a panic of the workbook reader (calamine) on damaged content: the file is refused
//! with an error instead of ending the program, and the panic message is not printed.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Set while this thread runs the workbook reader: its panics are reported as errors.
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `read`, turning a panic inside it into an error naming the damage.
pub(crate) fn contain<T>(read: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CONTAINED.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = CONTAINED.with(|c| c.replace(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(read));
    CONTAINED.with(|c| c.set(was));
    outcome.unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(format!(
            "its structure is damaged (the reader stopped: {})",
            crate::model::text::clean(&what)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_later_panics_still_unwind() {
        let e = contain::<()>(|| panic!("index 9 out of range")).unwrap_err();
        assert_eq!(
            e,
            "its structure is damaged (the reader stopped: index 9 out of range)"
        );
        assert_eq!(contain(|| Ok(3)), Ok(3));
        assert!(panic::catch_unwind(|| panic!("outside")).is_err());
        assert!(!CONTAINED.with(Cell::get));
    }
}

//! Where the warnings of an import go.

use crate::error::{InputError, Location, Warning, Warnings};

/// Collects warnings, or fails on the first one when strict.
pub(crate) struct Sink {
    pub(crate) strict: bool,
    pub(crate) warnings: Warnings,
}

impl Sink {
    /// Records a warning (or, when strict, returns it as the error).
    pub(crate) fn warn(&mut self, location: Location, message: String) -> Result<(), InputError> {
        let warning = Warning::new(location, message);
        if self.strict {
            return Err(warning.into_error());
        }
        self.warnings.push(warning);
        Ok(())
    }

    /// [`Sink::warn`] of a warning made only when it is kept (past
    /// [`crate::error::KEPT_WARNINGS`] it is counted).
    pub(crate) fn warn_with(
        &mut self,
        make: impl FnOnce() -> (Location, String),
    ) -> Result<(), InputError> {
        if self.strict {
            let (location, message) = make();
            return self.warn(location, message);
        }
        self.warnings.push_with(|| {
            let (location, message) = make();
            Warning::new(location, message)
        });
        Ok(())
    }
}

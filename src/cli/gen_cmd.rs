//! `avmigrate gen`: a synthetic inventory for demos and benchmarks.

use super::{EXIT_OK, Failure, InventoryFormat, emit};
use crate::inventory::{csv_generic, native};
use crate::store;
use crate::synthetic::{GenOptions, generate_assets};
use std::io::Write;
use std::path::Path;

pub(super) fn run(
    assets: usize,
    seed: u64,
    output: &Path,
    format: Option<InventoryFormat>,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    if assets == 0 {
        return Err(Failure::bad_input("--assets must be at least 1"));
    }
    let format = format.unwrap_or_else(|| {
        let is_csv = output
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if is_csv {
            InventoryFormat::Csv
        } else {
            InventoryFormat::Toml
        }
    });
    // The plain list: an inventory's index (by id and short name) is not needed to write it.
    let list = generate_assets(&GenOptions { assets, seed });
    let written = match format {
        InventoryFormat::Toml => {
            store::write_atomic(output, native::write_assets(&list).as_bytes())
        }
        // Row by row through a buffer: a million rows are never one string in memory.
        InventoryFormat::Csv => store::write_atomic_by(output, &mut |f| {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
            csv_generic::write_assets_to(&list, &mut w)?;
            w.flush()
        }),
    };
    written.map_err(|e| Failure::bad_input(format!("{}: cannot write: {e}", output.display())))?;
    let relations: usize = list.iter().map(|a| a.depends_on.len()).sum();
    emit(
        out,
        &format!(
            "wrote {} assets and {relations} relations to {}\n",
            list.len(),
            output.display()
        ),
    )?;
    Ok(EXIT_OK)
}

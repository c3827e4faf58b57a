//! Checks an Excel 97-2003 workbook's compound-file sector chains before the workbook reader
//! walks them: a chain that loops back on itself would be followed for ever, growing memory
//! until the machine runs out (found by fuzzing).

/// Ids from this one up mark free, end-of-chain and table sectors, never a next sector.
const RESERVED: u32 = 0xFFFF_FFFA;
const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;
/// Sector ids listed in the 512-byte header before any DIFAT sector.
const HEADER_DIFAT: std::ops::Range<usize> = 76..512;

/// Refuses a compound file whose allocation table has a loop. A file too damaged to get that
/// far is left to the reader, which refuses it with its own error.
pub(crate) fn check_chains(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() < 512 {
        return Ok(());
    }
    let size: usize = match u16::from_le_bytes([bytes[30], bytes[31]]) {
        0x09 => 512,
        0x0C => 4096,
        _ => return Ok(()),
    };
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(size)?;
        bytes.get(start..bytes.len().min(start + size))
    };
    let mut difat: Vec<u32> = words(&bytes[HEADER_DIFAT]).collect();
    let mut next = u32::from_le_bytes([bytes[68], bytes[69], bytes[70], bytes[71]]);
    let mut hops = 0;
    while next < RESERVED {
        hops += 1;
        let Some(s) = sector(next).filter(|_| hops <= bytes.len() / size + 1) else {
            return Ok(());
        };
        difat.extend(words(s));
        let Some(last) = difat.pop() else {
            return Ok(());
        };
        next = last;
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|&id| id < DIFAT_SECTOR) {
        let Some(s) = sector(id) else {
            return Ok(());
        };
        fat.extend(words(s));
    }
    if has_loop(&fat) {
        return Err("its structure is damaged (a chain of sectors loops back on itself)".into());
    }
    Ok(())
}

fn words(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes
        .chunks_exact(4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
}

/// Whether following next-sector links from some sector comes back to a sector already on
/// the same walk.
fn has_loop(fat: &[u32]) -> bool {
    const NEW: u8 = 0;
    const WALKING: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; fat.len()];
    for start in 0..fat.len() {
        let mut at = start;
        let mut walked = Vec::new();
        while state[at] == NEW {
            state[at] = WALKING;
            walked.push(at);
            match fat[at] {
                n if n < RESERVED && (n as usize) < fat.len() => at = n as usize,
                _ => break,
            }
        }
        // Back on this walk: at a sector before the last, or the last pointing at itself.
        if state[at] == WALKING && (walked.last() != Some(&at) || fat[at] as usize == at) {
            return true;
        }
        for w in walked {
            state[w] = DONE;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::has_loop;

    const END: u32 = 0xFFFF_FFFE;

    #[test]
    fn chains_that_end_pass_and_loops_are_found() {
        assert!(!has_loop(&[1, 2, END, END, 3]));
        assert!(has_loop(&[1, 2, 0]));
        assert!(has_loop(&[END, 1]));
        assert!(has_loop(&[END, 2, 3, 1]));
        assert!(!has_loop(&[9, END]));
    }
}

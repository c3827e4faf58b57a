//! Workbook cells as a person reads them: dates as ISO dates, whole numbers without `.0`,
//! other numbers without float noise, errors as empty.

use calamine::{Data, DataRef, ExcelDateTime};

/// The text of a cell value.
pub(crate) fn data_text(data: &Data) -> String {
    match data {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::String(s) => one_line(s),
        Data::Bool(b) => boolean(*b),
        Data::DateTime(d) => date_time(d),
        Data::DateTimeIso(s) => iso_date_time(s),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// The text of a streamed xlsx cell value.
pub(crate) fn data_ref_text(data: &DataRef<'_>) -> String {
    match data {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::String(s) => one_line(s),
        DataRef::SharedString(s) => one_line(s),
        DataRef::Bool(b) => boolean(*b),
        DataRef::DateTime(d) => date_time(d),
        DataRef::DateTimeIso(s) => iso_date_time(s),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

fn boolean(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.to_string()
}

/// A cell's text on one line: a wrapped cell reads as one value, and each sheet row stays one
/// line of the table the importers read (so that line numbers are row numbers).
fn one_line(s: &str) -> String {
    if !s.contains(['\n', '\r', '\t']) {
        return s.trim().to_string();
    }
    s.split(['\n', '\r', '\t'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A number as a spreadsheet shows it by default: at most 15 significant digits (what a
/// spreadsheet keeps), so 12.6 stays "12.6" and 0.1+0.2 reads "0.3"; whole numbers without
/// a fraction.
pub(crate) fn number(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{f:.0}");
    }
    let digits = 15 - 1 - f.abs().log10().floor() as i32;
    if !(0..=30).contains(&digits) {
        // Very large or very small: the shortest exact form.
        return format!("{f}");
    }
    let text = format!("{f:.prec$}", prec = digits as usize);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// A date as `YYYY-MM-DD`, a date-time as `YYYY-MM-DD HH:MM`, a time of day as `HH:MM`;
/// a duration as its number of days.
fn date_time(d: &ExcelDateTime) -> String {
    if d.is_duration() {
        return number(d.as_f64());
    }
    let serial = d.as_f64();
    if !(0.0..3_000_000.0).contains(&serial) {
        return number(serial);
    }
    let (year, month, day, hour, minute, second, milli) = d.to_ymd_hms_milli();
    // Rounded to the minute: 09:59:59.9995 shows as 10:00 in a spreadsheet too.
    let (hour, minute) = if second >= 30 || (second == 29 && milli >= 500) {
        if minute == 59 {
            ((hour + 1).min(23), if hour == 23 { 59 } else { 0 })
        } else {
            (hour, minute + 1)
        }
    } else {
        (hour, minute)
    };
    let timed = hour != 0 || minute != 0;
    if serial < 1.0 {
        return format!("{hour:02}:{minute:02}");
    }
    if timed {
        format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02}")
    }
}

/// An OpenDocument ISO date-time (`2024-03-01T10:15:00`) in the same form as [`date_time`].
fn iso_date_time(s: &str) -> String {
    let s = s.trim();
    let Some((date, time)) = s.split_once('T') else {
        return s.to_string();
    };
    let hm = time.get(..5).unwrap_or(time);
    if time.chars().all(|c| matches!(c, '0' | ':' | '.')) {
        date.to_string()
    } else {
        format!("{date} {hm}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn numbers_read_as_shown() {
        assert_eq!(number(12.6), "12.6");
        assert_eq!(number(12.600000000000001), "12.6");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(42.0), "42");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(number(1234567.125), "1234567.125");
        assert_eq!(number(0.000123), "0.000123");
        assert_eq!(number(f64::NAN), "");
        assert_eq!(number(1e20), "100000000000000000000");
    }

    fn dt(value: f64) -> String {
        date_time(&ExcelDateTime::new(
            value,
            ExcelDateTimeType::DateTime,
            false,
        ))
    }

    #[test]
    fn dates_are_iso() {
        assert_eq!(dt(45352.0), "2024-03-01");
        assert_eq!(dt(45352.5), "2024-03-01 12:00");
        assert_eq!(dt(45352.0 + 0.999_999), "2024-03-01 23:59");
        assert_eq!(dt(0.25), "06:00");
        assert_eq!(iso_date_time("2024-03-01"), "2024-03-01");
        assert_eq!(iso_date_time("2024-03-01T00:00:00"), "2024-03-01");
        assert_eq!(iso_date_time("2024-03-01T10:15:00"), "2024-03-01 10:15");
    }

    #[test]
    fn cells_become_one_line_text() {
        assert_eq!(data_text(&Data::String(" a\nb\r\n c ".into())), "a b c");
        assert_eq!(data_text(&Data::Bool(true)), "TRUE");
        assert_eq!(data_text(&Data::Error(calamine::CellErrorType::NA)), "");
        assert_eq!(data_text(&Data::Int(7)), "7");
    }
}

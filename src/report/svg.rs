//! A very small SVG builder and the burn-down chart drawn with it, for the HTML report.
//!
//! The SVG is meant to be inlined into HTML: it carries no `xmlns` (the HTML parser puts `<svg>`
//! into the SVG namespace by itself), so the report contains no URL at all. Styles are fixed
//! presentation attributes; only text content comes from data, and it is escaped.

use super::html_escape;
use super::management::actual_steps;
use crate::model::Date;
use crate::progress::Burndown;
use std::fmt::Write as _;

/// Where a text is anchored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// At its start.
    Start,
    /// At its middle.
    Middle,
    /// At its end.
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// How a line is drawn: colour, width and an optional dash pattern (fixed strings, never data).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    /// Colour.
    pub colour: &'static str,
    /// Width in user units.
    pub width: f64,
    /// `stroke-dasharray`, e.g. "6 4".
    pub dash: Option<&'static str>,
}

/// An SVG document being built.
#[derive(Debug, Clone)]
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
}

/// A coordinate: finite, one decimal.
fn num(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    format!("{v:.1}")
}

impl Svg {
    /// An empty drawing of the given size (user units; it scales to the page width).
    pub fn new(width: f64, height: f64) -> Svg {
        Svg {
            width,
            height,
            body: String::new(),
        }
    }

    fn stroke_attrs(s: Stroke) -> String {
        let mut a = format!(
            "stroke=\"{}\" stroke-width=\"{}\" fill=\"none\"",
            s.colour,
            num(s.width)
        );
        if let Some(d) = s.dash {
            let _ = write!(a, " stroke-dasharray=\"{d}\"");
        }
        a
    }

    /// A straight line.
    pub fn line(&mut self, from: (f64, f64), to: (f64, f64), stroke: Stroke) {
        let _ = writeln!(
            self.body,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>",
            num(from.0),
            num(from.1),
            num(to.0),
            num(to.1),
            Svg::stroke_attrs(stroke)
        );
    }

    /// Connected line segments (nothing for fewer than two points).
    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: Stroke) {
        if points.len() < 2 {
            return;
        }
        let pts: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
            .collect();
        let _ = writeln!(
            self.body,
            "<polyline points=\"{}\" {}/>",
            pts.join(" "),
            Svg::stroke_attrs(stroke)
        );
    }

    /// A filled dot.
    pub fn dot(&mut self, at: (f64, f64), radius: f64, colour: &'static str) {
        let _ = writeln!(
            self.body,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{colour}\"/>",
            num(at.0),
            num(at.1),
            num(radius)
        );
    }

    /// A text label (escaped).
    pub fn text(&mut self, at: (f64, f64), anchor: Anchor, size: f64, text: &str) {
        let _ = writeln!(
            self.body,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"{}\" fill=\"#222\">{}</text>",
            num(at.0),
            num(at.1),
            anchor.as_str(),
            num(size),
            html_escape(text)
        );
    }

    /// The `<svg>` element with an accessible title.
    pub fn finish(self, title: &str) -> String {
        format!(
            "<svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" \
             aria-label=\"{t}\" class=\"chart\">\n<title>{t}</title>\n{body}</svg>\n",
            w = num(self.width),
            h = num(self.height),
            t = html_escape(title),
            body = self.body
        )
    }
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 40.0;

const AXIS: Stroke = Stroke {
    colour: "#222",
    width: 1.0,
    dash: None,
};
const GRID: Stroke = Stroke {
    colour: "#ddd",
    width: 1.0,
    dash: None,
};
const PLANNED: Stroke = Stroke {
    colour: "#555",
    width: 2.0,
    dash: Some("6 4"),
};
const ACTUAL: Stroke = Stroke {
    colour: "#1f4e9c",
    width: 2.5,
    dash: None,
};
const TODAY: Stroke = Stroke {
    colour: "#b00020",
    width: 1.0,
    dash: Some("2 3"),
};

/// Round tick values from 0 to `max` (at most five, no duplicates).
fn count_ticks(max: usize) -> Vec<usize> {
    let mut v: Vec<usize> = (0..=4).map(|k| (max * k + 2) / 4).collect();
    v.dedup();
    v
}

/// The burn-down chart: remaining assets over time, planned (dashed) and actual (solid, a step
/// line up to today), with date and count labels and a marker at today.
pub fn burndown_svg(b: &Burndown, today: Date, title: &str) -> String {
    let mut svg = Svg::new(WIDTH, HEIGHT);
    let crate::progress::status::Extent { first, last, top } = b.extent(today);
    let span = f64::from(first.days_until(last));
    let (pw, ph) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    let fx = |d: Date| LEFT + f64::from(first.days_until(d)) / span * pw;
    let fy = |n: usize| TOP + ph - n as f64 / top as f64 * ph;

    for n in count_ticks(top) {
        let y = fy(n);
        if n > 0 {
            svg.line((LEFT, y), (LEFT + pw, y), GRID);
        }
        svg.text((LEFT - 6.0, y + 4.0), Anchor::End, 11.0, &n.to_string());
    }
    svg.line((LEFT, TOP), (LEFT, TOP + ph), AXIS);
    svg.line((LEFT, TOP + ph), (LEFT + pw, TOP + ph), AXIS);
    let mut ticks: Vec<Date> = (0..=4)
        .map(|k| first.add_days((span * f64::from(k) / 4.0).round() as i32))
        .filter(|d| *d <= last)
        .collect();
    ticks.dedup();
    for (k, d) in ticks.iter().enumerate() {
        let x = fx(*d);
        svg.line((x, TOP + ph), (x, TOP + ph + 4.0), AXIS);
        let anchor = match k {
            0 => Anchor::Start,
            _ if k + 1 == ticks.len() && ticks.len() > 1 => Anchor::End,
            _ => Anchor::Middle,
        };
        svg.text((x, TOP + ph + 18.0), anchor, 11.0, &d.to_string());
    }

    let planned: Vec<(f64, f64)> = b.planned.iter().map(|(d, n)| (fx(*d), fy(*n))).collect();
    svg.polyline(&planned, PLANNED);
    let actual: Vec<(f64, f64)> = actual_steps(b, today)
        .into_iter()
        .map(|(d, n)| (fx(d), fy(n)))
        .collect();
    svg.polyline(&actual, ACTUAL);
    if actual.len() == 1 {
        svg.dot(actual[0], 3.0, ACTUAL.colour);
    }
    if planned.len() == 1 {
        svg.dot(planned[0], 3.0, PLANNED.colour);
    }

    let x = fx(today);
    svg.line((x, TOP - 6.0), (x, TOP + ph), TODAY);
    // Near an edge the label grows inwards so that it is not cut off.
    let anchor = if x < LEFT + 60.0 {
        Anchor::Start
    } else if x > WIDTH - RIGHT - 60.0 {
        Anchor::End
    } else {
        Anchor::Middle
    };
    svg.text((x, TOP - 10.0), anchor, 11.0, &format!("today {today}"));

    let lx = LEFT + pw - 170.0;
    svg.line((lx, TOP + 4.0), (lx + 24.0, TOP + 4.0), PLANNED);
    svg.text((lx + 30.0, TOP + 8.0), Anchor::Start, 11.0, "planned");
    svg.line((lx + 90.0, TOP + 4.0), (lx + 114.0, TOP + 4.0), ACTUAL);
    svg.text((lx + 120.0, TOP + 8.0), Anchor::Start, 11.0, "actual");
    svg.finish(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn numbers_are_finite(svg: &str) {
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    }

    #[test]
    fn empty_single_and_same_day_series_draw_without_dividing_by_zero() {
        let today = d("2027-01-11");
        let empty = burndown_svg(&Burndown::default(), today, "t");
        numbers_are_finite(&empty);
        assert!(empty.starts_with("<svg ") && empty.ends_with("</svg>\n"));

        let one = Burndown {
            actual: vec![(today, 0)],
            planned: vec![(today, 0)],
        };
        let svg = burndown_svg(&one, today, "t");
        numbers_are_finite(&svg);
        assert!(svg.contains("<circle"), "a single point shows as a dot");
        assert!(svg.contains(">2027-01-11</text>"));

        let same_day = Burndown {
            actual: vec![(today, 5), (today, 3)],
            planned: vec![(today, 5), (today, 0)],
        };
        numbers_are_finite(&burndown_svg(&same_day, today, "t"));
    }

    #[test]
    fn chart_has_axes_labels_dashed_plan_and_escaped_title() {
        let b = Burndown {
            actual: vec![(d("2027-01-11"), 10), (d("2027-01-13"), 7)],
            planned: vec![
                (d("2027-01-11"), 10),
                (d("2027-01-15"), 4),
                (d("2027-01-22"), 0),
            ],
        };
        let svg = burndown_svg(&b, d("2027-01-14"), "<b>&");
        numbers_are_finite(&svg);
        assert!(svg.contains("<title>&lt;b&gt;&amp;</title>"));
        assert!(
            svg.contains("stroke-dasharray=\"6 4\""),
            "planned is dashed"
        );
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains(">2027-01-11</text>") && svg.contains(">2027-01-22</text>"));
        assert!(svg.contains(">10</text>") && svg.contains(">0</text>"));
        assert!(svg.contains("today 2027-01-14"));
        // The actual line steps down on 2027-01-13 and holds 7 until today.
        let x13 = num(LEFT + 2.0 / 11.0 * (WIDTH - LEFT - RIGHT));
        let y10 = num(TOP);
        assert!(svg.contains(&format!("{x13},{y10}")), "{svg}");
        assert!(!svg.contains("http"));
    }

    #[test]
    fn ticks_are_round_and_distinct() {
        assert_eq!(count_ticks(1), vec![0, 1]);
        assert_eq!(count_ticks(113), vec![0, 28, 57, 85, 113]);
    }
}

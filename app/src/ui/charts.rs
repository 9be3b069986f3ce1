//! Charts drawn on the server as SVG, so they show without JavaScript: each is a `<figure>`
//! with a title, a one-line text summary, the SVG (one `<title>` per bar, which browsers show
//! on hover) and the same data as a table for screen readers and for reading exact values.

use crate::platform::i18n::{t, use_locale, Locale, Msg};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One bar: its label and its value (whole won, or a count).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Point {
    pub label: String,
    pub value: i64,
}

impl Point {
    pub fn new(label: impl Into<String>, value: i64) -> Self {
        Self {
            label: label.into(),
            value,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Won,
    Count,
}

impl Unit {
    /// The exact value, for the table and the hover text.
    pub fn exact(self, v: i64) -> String {
        match self {
            Unit::Won => crate::ui::format::won(rust_decimal::Decimal::from(v)),
            Unit::Count => group(v),
        }
    }
}

/// 1234567 → "1,234,567".
fn group(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// An axis label: short, in the reader's language (억/만 in Korean, M/k in English).
pub fn compact(v: i64, locale: Locale) -> String {
    let f = v as f64;
    let trim = |x: f64| {
        let s = format!("{x:.1}");
        s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
    };
    match locale {
        Locale::Ko if v.abs() >= 100_000_000 => format!("{}억", trim(f / 1e8)),
        Locale::Ko if v.abs() >= 10_000 => format!("{}만", trim(f / 1e4)),
        Locale::En if v.abs() >= 1_000_000 => format!("{}M", trim(f / 1e6)),
        Locale::En if v.abs() >= 1_000 => format!("{}k", trim(f / 1e3)),
        _ => group(v),
    }
}

/// A round top for the axis: 1, 2 or 5 times a power of ten, at least `max`.
pub fn nice_max(max: i64) -> i64 {
    if max <= 0 {
        return 1;
    }
    let mut step = 1i64;
    while step.saturating_mul(10) <= max {
        step *= 10;
    }
    for m in [1, 2, 5, 10] {
        if step.saturating_mul(m) >= max {
            return step.saturating_mul(m);
        }
    }
    step.saturating_mul(10)
}

/// "Total ₩…; highest: 12-03, ₩…" (or "no data"), the summary a screen reader hears first.
pub fn summary(points: &[Point], unit: Unit, locale: Locale) -> String {
    let Some(top) = points
        .iter()
        .max_by_key(|p| p.value)
        .filter(|p| p.value > 0)
    else {
        return Msg::ChartEmpty.text(locale).to_owned();
    };
    let total: i64 = points.iter().map(|p| p.value).sum();
    Msg::ChartSummary
        .text(locale)
        .replace("{total}", &unit.exact(total))
        .replace("{label}", &top.label)
        .replace("{max}", &unit.exact(top.value))
}

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 56.0;
const BOTTOM: f64 = 26.0;
const TOP: f64 = 10.0;

/// Vertical bars over time (a day per bar), with a value axis.
#[component]
pub fn ColumnChart(id: &'static str, title: Msg, unit: Unit, points: Vec<Point>) -> impl IntoView {
    let locale = use_locale();
    let top = nice_max(points.iter().map(|p| p.value).max().unwrap_or(0));
    let n = points.len().max(1) as f64;
    let slot = (W - LEFT) / n;
    let plot = H - BOTTOM - TOP;
    let y = move |v: i64| TOP + plot - plot * (v as f64 / top as f64);
    // Every label when they fit, else about six of them.
    let every = (points.len() / 6).max(1);
    let grid = (0..=4).map(move |i| {
        let v = top / 4 * i;
        let gy = y(v);
        view! {
            <line x1=LEFT x2=W y1=gy y2=gy class="chart-grid" />
            <text x=LEFT - 6.0 y=gy + 4.0 text-anchor="end" class="chart-axis">{compact(v, locale)}</text>
        }
    });
    let bars = points.iter().enumerate().map(|(i, p)| {
        let x = LEFT + slot * i as f64 + slot * 0.15;
        let (by, bh) = (y(p.value), plot * (p.value.max(0) as f64 / top as f64));
        let hover = format!("{}: {}", p.label, unit.exact(p.value));
        let label = (i % every == 0).then(|| {
            view! {
                <text x=x + slot * 0.35 y=H - 8.0 text-anchor="middle" class="chart-axis">{p.label.clone()}</text>
            }
        });
        view! {
            <g class="chart-bar">
                <rect x=x y=by width=slot * 0.7 height=bh rx="2"><title>{hover}</title></rect>
                {label}
            </g>
        }
    }).collect_view();
    view! {
        <Figure id title unit points=points.clone() summary=summary(&points, unit, locale)>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=format!("{id}-title {id}-summary")
                preserveAspectRatio="xMidYMid meet" class="chart-svg">
                {grid.collect_view()}
                {bars}
            </svg>
        </Figure>
    }
}

/// Horizontal bars for a ranking or a breakdown, longest first as given.
#[component]
pub fn BarList(id: &'static str, title: Msg, unit: Unit, points: Vec<Point>) -> impl IntoView {
    let locale = use_locale();
    let top = points.iter().map(|p| p.value).max().unwrap_or(0).max(1);
    let row = 26.0;
    let height = (row * points.len().max(1) as f64) + 4.0;
    let label_w = 170.0;
    let bars = points.iter().enumerate().map(|(i, p)| {
        let y = 2.0 + row * i as f64;
        let w = (W - label_w - 110.0) * (p.value.max(0) as f64 / top as f64);
        let name: String = if p.label.chars().count() > 16 {
            format!("{}…", p.label.chars().take(15).collect::<String>())
        } else {
            p.label.clone()
        };
        let hover = format!("{}: {}", p.label, unit.exact(p.value));
        view! {
            <g class="chart-bar">
                <text x=label_w - 8.0 y=y + 17.0 text-anchor="end" class="chart-label">{name}</text>
                <rect x=label_w y=y + 4.0 width=w.max(1.0) height=row - 8.0 rx="2"><title>{hover}</title></rect>
                <text x=label_w + w + 6.0 y=y + 17.0 class="chart-axis">{unit.exact(p.value)}</text>
            </g>
        }
    }).collect_view();
    view! {
        <Figure id title unit points=points.clone() summary=summary(&points, unit, locale)>
            <svg viewBox=format!("0 0 {W} {height}") role="img" aria-labelledby=format!("{id}-title {id}-summary")
                class="chart-svg">
                {bars}
            </svg>
        </Figure>
    }
}

/// The frame every chart shares: title, summary, the drawing, and the data as a table.
#[component]
fn Figure(
    id: &'static str,
    title: Msg,
    unit: Unit,
    points: Vec<Point>,
    summary: String,
    children: Children,
) -> impl IntoView {
    view! {
        <figure class="chart" aria-labelledby=format!("{id}-title") data-testid=id>
            <figcaption id=format!("{id}-title") class="chart-title">{t(title)}</figcaption>
            <p id=format!("{id}-summary") class="chart-summary">{summary}</p>
            {children()}
            <details class="chart-data">
                <summary>{t(Msg::ChartTable)}</summary>
                <table class="table">
                    <caption class="visually-hidden">{t(title)}</caption>
                    <thead><tr><th scope="col">{t(Msg::ChartItem)}</th><th scope="col">{t(Msg::ChartValue)}</th></tr></thead>
                    <tbody>
                        {points.into_iter().map(|p| view! {
                            <tr><th scope="row">{p.label}</th><td>{unit.exact(p.value)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_round_up_and_labels_stay_short() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(130), 200);
        assert_eq!(nice_max(4_100_000), 5_000_000);
        assert_eq!(compact(1_250_000, Locale::Ko), "125만");
        assert_eq!(compact(350_000_000, Locale::Ko), "3.5억");
        assert_eq!(compact(1_250_000, Locale::En), "1.2M");
        assert_eq!(compact(900, Locale::En), "900");
        assert_eq!(group(1234567), "1,234,567");
    }

    #[test]
    fn the_summary_names_the_total_and_the_highest() {
        let points = vec![Point::new("12-01", 3000), Point::new("12-02", 9000)];
        let s = summary(&points, Unit::Won, Locale::Ko);
        assert!(
            s.contains("₩12,000") && s.contains("12-02") && s.contains("₩9,000"),
            "{s}"
        );
        assert_eq!(
            summary(&[], Unit::Count, Locale::Ko),
            Msg::ChartEmpty.text(Locale::Ko)
        );
    }
}

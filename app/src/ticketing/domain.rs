//! Concert and hold input as shoppers and organisers type it, parsed once into types.

use super::{ConcertId, SeatId};
use crate::platform::error::{FieldError, Problems};
use crate::platform::i18n::Msg;
use crate::platform::money::Price;
use crate::platform::once::FormToken;
use crate::promotion::domain::seoul_time;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The most seats one concert may have.
pub const MAX_SEATS: usize = 20_000;
pub const MAX_GRADES: usize = 10;

/// The organiser's "공연 만들기" form.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ConcertForm {
    #[serde(default)]
    pub once: FormToken,
    /// Everything an organiser may change later.
    #[serde(flatten)]
    pub details: EditConcertForm,
    /// One grade per line or comma: `VIP 150000`, `R 120,000`.
    #[serde(default)]
    pub grades: String,
    /// One block per line: `A VIP 5x10` is section A, grade VIP, 5 rows of 10 seats.
    #[serde(default)]
    pub layout: String,
    /// Seats not for sale, as `A-1-3` (section, row, number), separated by spaces or commas.
    #[serde(default)]
    pub blocked: String,
}

/// One grade and its price.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grade {
    pub code: String,
    pub price: Decimal,
}

/// One seat of a new concert's layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatSpec {
    pub section: String,
    pub row: i32,
    pub number: i32,
    pub grade: String,
    pub blocked: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewConcert {
    pub details: ConcertDetails,
    pub grades: Vec<Grade>,
    /// In the venue's order: section by section, row by row.
    pub seats: Vec<SeatSpec>,
}

/// A required text of at most `max` characters, trimmed (the notices' form uses it too).
pub(crate) fn required(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(FieldError::new(field, Msg::ErrRequired));
    }
    if v.chars().count() > max {
        return Err(FieldError::new(field, Msg::ErrTooLong));
    }
    Ok(v.to_owned())
}

fn is_code(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.chars().count() <= max
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || ('가'..='힣').contains(&c))
}

/// `VIP 150000, R 120,000` (a line or a comma between grades; `=` or `:` may join them).
pub fn parse_grades(raw: &str) -> Result<Vec<Grade>, FieldError> {
    let bad = || FieldError::new("grades", Msg::ErrConcertGrades);
    let mut grades: Vec<Grade> = Vec::new();
    // A comma inside a price ("120,000") is a thousands separator, not a new grade.
    let normalised = raw.replace(['=', ':'], " ");
    let mut tokens = normalised
        .split(|c: char| c.is_whitespace() || c == ';' || c == '\n')
        .flat_map(|t| {
            // "VIP,R" never happens in a price; split a comma only between letters.
            if t.chars().any(|c| c.is_ascii_alphabetic()) && t.contains(',') {
                t.split(',').map(str::to_owned).collect::<Vec<_>>()
            } else {
                vec![t.trim_end_matches(',').to_owned()]
            }
        })
        .filter(|t| !t.is_empty());
    while let Some(code) = tokens.next() {
        let code = code.to_uppercase();
        if code.is_ascii() && !is_code(&code, 10) || !code.is_ascii() {
            return Err(bad());
        }
        let price = tokens.next().ok_or_else(bad)?;
        let price = Price::parse("grades", &price).map_err(|_| bad())?.get();
        if grades.iter().any(|g| g.code == code) {
            return Err(bad());
        }
        grades.push(Grade { code, price });
    }
    if grades.is_empty() || grades.len() > MAX_GRADES {
        return Err(bad());
    }
    Ok(grades)
}

/// `A VIP 5x10` per line: section, grade, rows × seats per row.
pub fn parse_layout(raw: &str, grades: &[Grade]) -> Result<Vec<SeatSpec>, FieldError> {
    let bad = || FieldError::new("layout", Msg::ErrConcertLayout);
    let mut seats = Vec::new();
    let mut sections = BTreeSet::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [section, grade, size] = parts.as_slice() else {
            return Err(bad());
        };
        let grade = grade.to_uppercase();
        if !is_code(section, 10) || !sections.insert(section.to_string()) {
            return Err(bad());
        }
        if !grades.iter().any(|g| g.code == grade) {
            return Err(FieldError::new("layout", Msg::ErrConcertLayoutGrade));
        }
        let (rows, per_row) = size
            .to_lowercase()
            .split_once(['x', '×', '*'])
            .and_then(|(r, s)| Some((r.parse::<i32>().ok()?, s.parse::<i32>().ok()?)))
            .ok_or_else(bad)?;
        if !(1..=200).contains(&rows) || !(1..=200).contains(&per_row) {
            return Err(bad());
        }
        if seats.len() + (rows * per_row) as usize > MAX_SEATS {
            return Err(FieldError::new("layout", Msg::ErrConcertTooManySeats));
        }
        for row in 1..=rows {
            for number in 1..=per_row {
                seats.push(SeatSpec {
                    section: section.to_string(),
                    row,
                    number,
                    grade: grade.clone(),
                    blocked: false,
                });
            }
        }
    }
    if seats.is_empty() {
        return Err(bad());
    }
    Ok(seats)
}

/// Marks `A-1-3` style seats as blocked. Every one must exist.
pub fn apply_blocked(seats: &mut [SeatSpec], raw: &str) -> Result<(), FieldError> {
    let bad = || FieldError::new("blocked", Msg::ErrConcertBlocked);
    for token in raw
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
    {
        let mut parts = token.split('-');
        let (Some(section), Some(row), Some(number), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let row: i32 = row.parse().map_err(|_| bad())?;
        let number: i32 = number.parse().map_err(|_| bad())?;
        let seat = seats
            .iter_mut()
            .find(|s| s.section == section && s.row == row && s.number == number)
            .ok_or_else(bad)?;
        seat.blocked = true;
    }
    if seats.iter().all(|s| s.blocked) {
        return Err(bad());
    }
    Ok(())
}

/// A concert's details, as an organiser may change them later (the layout stays).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConcertDetails {
    pub title: String,
    pub artist: String,
    pub venue: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub booking_starts_at: DateTime<Utc>,
    pub booking_ends_at: DateTime<Utc>,
    /// This concert's own waiting-room admission rate; `None` follows the global setting.
    pub queue_per_minute: Option<i32>,
    /// This concert's own cap on active shoppers; `None` follows the global setting.
    pub queue_cap: Option<i32>,
}

/// The most a concert's own queue setting may be.
pub const MAX_QUEUE_SETTING: i64 = 1_000_000;

/// A concert's own queue setting: blank follows the global one.
fn queue_setting(field: &str, raw: &str) -> Result<Option<i32>, FieldError> {
    let cleaned: String = raw.trim().chars().filter(|c| *c != ',').collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    match cleaned.parse::<i64>() {
        Ok(n) if (1..=MAX_QUEUE_SETTING).contains(&n) => Ok(Some(n as i32)),
        _ => Err(FieldError::new(field, Msg::ErrQueueSetting)),
    }
}

/// The "공연 정보 수정" form.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct EditConcertForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub artist: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub booking_starts_at: String,
    #[serde(default)]
    pub booking_ends_at: String,
    /// Admissions per minute; blank follows the global setting.
    #[serde(default)]
    pub queue_per_minute: String,
    /// Shoppers choosing seats at once; blank follows the global setting.
    #[serde(default)]
    pub queue_cap: String,
}

/// The details both forms share, each field's problem noted in `p`.
fn details(p: &mut Problems, f: &EditConcertForm) -> Option<ConcertDetails> {
    let title = p.check(required("title", &f.title, 200));
    let artist = p.check(required("artist", &f.artist, 100));
    let venue = p.check(required("venue", &f.venue, 200));
    let starts_at = p.check(seoul_time("starts_at", &f.starts_at));
    let booking_starts_at = p.check(seoul_time("booking_starts_at", &f.booking_starts_at));
    let booking_ends_at = p.check(seoul_time("booking_ends_at", &f.booking_ends_at));
    if let (Some(from), Some(until)) = (booking_starts_at, booking_ends_at) {
        if until <= from {
            p.add(FieldError::new("booking_ends_at", Msg::ErrCouponWindow));
        }
    }
    if let (Some(until), Some(show)) = (booking_ends_at, starts_at) {
        if until > show {
            p.add(FieldError::new("booking_ends_at", Msg::ErrBookingAfterShow));
        }
    }
    let queue_per_minute = p.check(queue_setting("queue_per_minute", &f.queue_per_minute));
    let queue_cap = p.check(queue_setting("queue_cap", &f.queue_cap));
    Some(ConcertDetails {
        title: title?,
        artist: artist?,
        venue: venue?,
        description: f.description.trim().to_owned(),
        starts_at: starts_at?,
        booking_starts_at: booking_starts_at?,
        booking_ends_at: booking_ends_at?,
        queue_per_minute: queue_per_minute?,
        queue_cap: queue_cap?,
    })
}

impl TryFrom<&EditConcertForm> for ConcertDetails {
    type Error = Vec<FieldError>;

    fn try_from(f: &EditConcertForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let d = details(&mut p, f);
        p.finish(|| d)
    }
}

impl TryFrom<&ConcertForm> for NewConcert {
    type Error = Vec<FieldError>;

    fn try_from(f: &ConcertForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let d = details(&mut p, &f.details);
        let grades = p.check(parse_grades(&f.grades));
        let seats = grades.as_ref().and_then(|g| {
            let mut seats = p.check(parse_layout(&f.layout, g))?;
            p.check(apply_blocked(&mut seats, &f.blocked))?;
            Some(seats)
        });
        p.finish(|| {
            Some(NewConcert {
                details: d?,
                grades: grades?,
                seats: seats?,
            })
        })
    }
}

/// "결제하기": a hold, paid once however often the button is pressed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PayForm {
    pub once: FormToken,
    pub hold: super::HoldId,
}

/// "이 좌석 잡기": the seats ticked on the map, or a grade and a count for "best available".
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HoldForm {
    pub concert: ConcertId,
    /// Ticked seats (`form[seats][]`).
    #[serde(default)]
    pub seats: Vec<String>,
    /// "Best available": a grade ...
    #[serde(default)]
    pub grade: String,
    /// ... and how many seats of it.
    #[serde(default)]
    pub count: String,
}

/// What to hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HoldRequest {
    Seats(Vec<SeatId>),
    Best { grade: String, count: i64 },
}

/// The most seats one request may name, whatever the per-account limit says.
pub const MAX_SEATS_PER_REQUEST: usize = 20;

impl TryFrom<&HoldForm> for HoldRequest {
    type Error = Vec<FieldError>;

    fn try_from(f: &HoldForm) -> Result<Self, Self::Error> {
        if !f.seats.is_empty() {
            let mut ids: Vec<SeatId> = Vec::with_capacity(f.seats.len());
            for raw in &f.seats {
                let id = raw
                    .parse()
                    .map_err(|_| vec![FieldError::new("seats", Msg::ErrBadForm)])?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            if ids.len() > MAX_SEATS_PER_REQUEST {
                return Err(vec![FieldError::new("seats", Msg::ErrSeatLimit)]);
            }
            ids.sort();
            return Ok(HoldRequest::Seats(ids));
        }
        let grade = f.grade.trim().to_uppercase();
        if grade.is_empty() {
            return Err(vec![FieldError::new("seats", Msg::ErrPickSeats)]);
        }
        let count: i64 = f
            .count
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=MAX_SEATS_PER_REQUEST as i64).contains(n))
            .ok_or_else(|| vec![FieldError::new("count", Msg::ErrSeatCount)])?;
        Ok(HoldRequest::Best { grade, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_take_lines_commas_and_thousands_separators() {
        let g = parse_grades("VIP 150,000\nR=120000, S: 90000").unwrap();
        let codes: Vec<_> = g.iter().map(|g| (g.code.as_str(), g.price)).collect();
        assert_eq!(
            codes,
            [
                ("VIP", Decimal::from(150_000)),
                ("R", Decimal::from(120_000)),
                ("S", Decimal::from(90_000))
            ]
        );
        assert!(parse_grades("").is_err());
        assert!(parse_grades("VIP").is_err(), "a grade without a price");
        assert!(parse_grades("VIP 10 VIP 20").is_err(), "twice");
        assert!(parse_grades("VIP -5").is_err());
    }

    #[test]
    fn a_layout_is_rows_times_seats_per_section() {
        let grades = parse_grades("VIP 100 R 50").unwrap();
        let seats = parse_layout("A VIP 2x3\nB r 1x4", &grades).unwrap();
        assert_eq!(seats.len(), 10);
        assert_eq!(
            (seats[5].section.as_str(), seats[5].row, seats[5].number),
            ("A", 2, 3)
        );
        assert_eq!(seats[9].grade, "R");
        assert!(
            parse_layout("A GOLD 2x3", &grades).is_err(),
            "unknown grade"
        );
        assert!(
            parse_layout("A VIP 2x3\nA R 1x1", &grades).is_err(),
            "section twice"
        );
        assert!(parse_layout("A VIP 0x3", &grades).is_err());
        assert!(
            parse_layout("A VIP 200x200", &grades).is_err(),
            "over the limit"
        );
    }

    #[test]
    fn blocked_seats_must_exist_and_leave_some_for_sale() {
        let grades = parse_grades("S 100").unwrap();
        let mut seats = parse_layout("A S 1x3", &grades).unwrap();
        apply_blocked(&mut seats, "A-1-2").unwrap();
        assert!(seats[1].blocked && !seats[0].blocked);
        assert!(apply_blocked(&mut seats, "A-9-9").is_err());
        assert!(
            apply_blocked(&mut seats, "A-1-1, A-1-3").is_err(),
            "nothing left"
        );
    }

    #[test]
    fn a_concert_may_set_its_own_queue_or_follow_the_global_one() {
        let form = |rate: &str, cap: &str| EditConcertForm {
            title: "봄".into(),
            artist: "밴드".into(),
            venue: "홀".into(),
            starts_at: "2030-05-01T19:00".into(),
            booking_starts_at: "2030-04-01T10:00".into(),
            booking_ends_at: "2030-05-01T12:00".into(),
            queue_per_minute: rate.into(),
            queue_cap: cap.into(),
            ..Default::default()
        };
        let d = ConcertDetails::try_from(&form("", " ")).unwrap();
        assert_eq!((d.queue_per_minute, d.queue_cap), (None, None));
        let d = ConcertDetails::try_from(&form("1,200", "300")).unwrap();
        assert_eq!((d.queue_per_minute, d.queue_cap), (Some(1200), Some(300)));
        for (rate, cap, field) in [
            ("0", "", "queue_per_minute"),
            ("", "-3", "queue_cap"),
            ("1.5", "", "queue_per_minute"),
            ("", "1000001", "queue_cap"),
            ("열", "", "queue_per_minute"),
        ] {
            let e = ConcertDetails::try_from(&form(rate, cap)).unwrap_err();
            assert_eq!(e.len(), 1, "{rate:?} {cap:?}");
            assert_eq!(
                (e[0].field.as_str(), e[0].msg),
                (field, Msg::ErrQueueSetting)
            );
        }
    }

    #[test]
    fn a_hold_names_seats_or_asks_for_the_best() {
        let concert = ConcertId(uuid::Uuid::nil());
        let form = |seats: &[&str], grade: &str, count: &str| HoldForm {
            concert,
            seats: seats.iter().map(|s| s.to_string()).collect(),
            grade: grade.into(),
            count: count.into(),
        };
        assert_eq!(
            HoldRequest::try_from(&form(&["7", "3", "7"], "", "")).unwrap(),
            HoldRequest::Seats(vec![SeatId(3), SeatId(7)])
        );
        assert_eq!(
            HoldRequest::try_from(&form(&[], "vip", "2")).unwrap(),
            HoldRequest::Best {
                grade: "VIP".into(),
                count: 2
            }
        );
        assert!(HoldRequest::try_from(&form(&[], "", "")).is_err());
        assert!(HoldRequest::try_from(&form(&["x"], "", "")).is_err());
        assert!(HoldRequest::try_from(&form(&[], "R", "0")).is_err());
    }
}

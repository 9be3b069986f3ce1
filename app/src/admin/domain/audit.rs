//! `/admin/audit` filters as typed, parsed into one query: resource, resource id, actor email,
//! action, and a date range in Seoul time.

use crate::platform::audit::{AuditAction, AuditResource};
use crate::platform::error::{FieldError, Problems};
use crate::platform::i18n::Msg;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub resource: String,
    /// The resource's id (a user's, a config key, ...).
    #[serde(default)]
    pub id: String,
    /// The actor's email, or part of it.
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    /// `YYYY-MM-DD`, Seoul time, inclusive.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// The page after this entry (`created_at|id` of the last one shown).
    #[serde(default)]
    pub before: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub resource: Option<AuditResource>,
    pub id: Option<String>,
    pub actor: Option<String>,
    pub action: Option<AuditAction>,
    pub from: Option<DateTime<Utc>>,
    /// Exclusive: the start of the day after `to`.
    pub until: Option<DateTime<Utc>>,
    pub before: Option<(DateTime<Utc>, uuid::Uuid)>,
}

fn day(field: &str, raw: &str, next: bool) -> Result<Option<DateTime<Utc>>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, Msg::ErrDate))?;
    let date = if next {
        date.succ_opt().unwrap_or(date)
    } else {
        date
    };
    let seoul = chrono::FixedOffset::east_opt(9 * 3600).expect("UTC+9");
    let start = date.and_hms_opt(0, 0, 0).expect("midnight");
    Ok(seoul
        .from_local_datetime(&start)
        .single()
        .map(|t| t.with_timezone(&Utc)))
}

/// The cursor of an entry: what `before` takes back.
pub fn cursor(at: DateTime<Utc>, id: uuid::Uuid) -> String {
    format!(
        "{}|{id}",
        at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    )
}

fn text(field: &str, raw: &str, max: usize) -> Result<Option<String>, FieldError> {
    let raw = raw.trim();
    if raw.chars().count() > max {
        return Err(FieldError::new(field, Msg::ErrTooLong));
    }
    Ok((!raw.is_empty()).then(|| raw.to_owned()))
}

impl TryFrom<&AuditQuery> for AuditFilter {
    type Error = Vec<FieldError>;

    fn try_from(q: &AuditQuery) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let pick = |field: &str, raw: &str, parse: fn(&str) -> Option<_>| {
            let raw = raw.trim();
            if raw.is_empty() {
                Ok(None)
            } else {
                parse(raw)
                    .map(Some)
                    .ok_or_else(|| FieldError::new(field, Msg::ErrUnknownChoice))
            }
        };
        let resource = p.check(pick("resource", &q.resource, AuditResource::parse));
        let action = p.check(match q.action.trim() {
            "" => Ok(None),
            a => AuditAction::parse(a)
                .map(Some)
                .ok_or_else(|| FieldError::new("action", Msg::ErrUnknownChoice)),
        });
        let id = p.check(text("id", &q.id, 100));
        let actor = p.check(text("actor", &q.actor, 255));
        let from = p.check(day("from", &q.from, false));
        let until = p.check(day("to", &q.to, true));
        let before = match q.before.trim() {
            "" => None,
            c => {
                let parsed = c.split_once('|').and_then(|(at, id)| {
                    Some((
                        DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc),
                        id.parse().ok()?,
                    ))
                });
                if parsed.is_none() {
                    p.add(FieldError::new("before", Msg::ErrBadForm));
                }
                parsed
            }
        };
        p.finish(|| {
            Some(Self {
                resource: resource?,
                id: id?,
                actor: actor?,
                action: action?,
                from: from?,
                until: until?,
                before,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_and_bad_ones_are_named() {
        let q = AuditQuery {
            resource: "user".into(),
            action: "UPDATE".into(),
            from: "2026-12-01".into(),
            to: "2026-12-01".into(),
            ..AuditQuery::default()
        };
        let f = AuditFilter::try_from(&q).unwrap();
        assert_eq!(f.resource, Some(AuditResource::User));
        assert_eq!(f.from.unwrap().to_rfc3339(), "2026-11-30T15:00:00+00:00");
        assert_eq!(f.until.unwrap().to_rfc3339(), "2026-12-01T15:00:00+00:00");
        let bad = AuditQuery {
            resource: "planet".into(),
            from: "yesterday".into(),
            ..AuditQuery::default()
        };
        let e = AuditFilter::try_from(&bad).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["resource", "from"]);
        let at = Utc::now();
        let id = uuid::Uuid::new_v4();
        let q = AuditQuery {
            before: cursor(at, id),
            ..AuditQuery::default()
        };
        let (t, i) = AuditFilter::try_from(&q).unwrap().before.unwrap();
        assert_eq!((t.timestamp_micros(), i), (at.timestamp_micros(), id));
    }
}

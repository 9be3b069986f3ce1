//! Notice input as admins type it, parsed once into types.

use crate::admin::{NoticeTarget, NoticeType};
use crate::platform::error::{FieldError, Problems};
use crate::platform::i18n::Msg;
use crate::platform::once::FormToken;
use crate::ticketing::domain::required as text;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_TITLE: usize = 255;
pub const MAX_CONTENT: usize = 20_000;

/// The "공지 작성" and "공지 수정" form.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct NoticeForm {
    #[serde(default)]
    pub once: FormToken,
    #[serde(default)]
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub content: String,
    /// `general`, `maintenance`, `event` or `urgent`.
    #[serde(default)]
    pub notice_type: String,
    /// `all`, `customers` or `sellers`.
    #[serde(default)]
    pub target: String,
    /// A ticked checkbox sends a value; an unticked one sends nothing.
    #[serde(default)]
    pub pinned: Option<String>,
    /// `draft`, `now` or `later`.
    #[serde(default)]
    pub publish: String,
    /// With `later`: `datetime-local`, Seoul time.
    #[serde(default)]
    pub publish_at: String,
}

/// When a notice shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Publish {
    /// Not yet: only admins see it.
    Draft,
    Now,
    At(DateTime<Utc>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewNotice {
    pub notice_type: NoticeType,
    pub title: String,
    pub content: String,
    pub target: NoticeTarget,
    pub pinned: bool,
    pub publish: Publish,
}

fn publish(kind: &str, at: &str, now: DateTime<Utc>) -> Result<Publish, FieldError> {
    match kind.trim() {
        "" | "draft" => Ok(Publish::Draft),
        "now" => Ok(Publish::Now),
        "later" => {
            let at = crate::promotion::domain::seoul_time("publish_at", at)?;
            if at <= now {
                return Err(FieldError::new("publish_at", Msg::ErrNoticePublishPast));
            }
            Ok(Publish::At(at))
        }
        _ => Err(FieldError::new("publish", Msg::ErrBadValue)),
    }
}

impl NewNotice {
    /// Parses the form as of `now` (a "later" time must be after it).
    pub fn parse(f: &NoticeForm, now: DateTime<Utc>) -> Result<Self, Vec<FieldError>> {
        let mut p = Problems::default();
        let title = p.check(text("title", &f.title, MAX_TITLE));
        let content = p.check(text("content", &f.content, MAX_CONTENT));
        let notice_type = p.check(
            NoticeType::parse(f.notice_type.trim())
                .ok_or_else(|| FieldError::new("notice_type", Msg::ErrBadValue)),
        );
        let target = p.check(
            NoticeTarget::parse(f.target.trim())
                .ok_or_else(|| FieldError::new("target", Msg::ErrBadValue)),
        );
        let publish = p.check(publish(&f.publish, &f.publish_at, now));
        p.finish(|| {
            Some(Self {
                notice_type: notice_type?,
                title: title?,
                content: content?,
                target: target?,
                pinned: f.pinned.as_deref().is_some_and(|v| !v.is_empty()),
                publish: publish?,
            })
        })
    }
}

impl TryFrom<&NoticeForm> for NewNotice {
    type Error = Vec<FieldError>;

    fn try_from(f: &NoticeForm) -> Result<Self, Self::Error> {
        Self::parse(f, Utc::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> NoticeForm {
        NoticeForm {
            title: " 정기 점검 ".into(),
            content: "**02:00** 부터".into(),
            notice_type: "maintenance".into(),
            target: "all".into(),
            pinned: Some("on".into()),
            publish: "now".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_notice_parses_into_types() {
        let n = NewNotice::try_from(&form()).unwrap();
        assert_eq!(n.title, "정기 점검");
        assert_eq!(
            (n.notice_type, n.target, n.pinned, n.publish),
            (
                NoticeType::Maintenance,
                NoticeTarget::All,
                true,
                Publish::Now
            )
        );
        let draft = NewNotice::try_from(&NoticeForm {
            pinned: None,
            publish: "draft".into(),
            ..form()
        })
        .unwrap();
        assert_eq!((draft.pinned, draft.publish), (false, Publish::Draft));
    }

    #[test]
    fn every_bad_field_is_named() {
        let now = Utc::now();
        let bad = NoticeForm {
            title: " ".into(),
            content: "x".repeat(MAX_CONTENT + 1),
            notice_type: "gossip".into(),
            target: "everyone".into(),
            publish: "later".into(),
            publish_at: "2020-01-01T09:00".into(),
            ..Default::default()
        };
        let e = NewNotice::parse(&bad, now).unwrap_err();
        let fields: Vec<(&str, Msg)> = e.iter().map(|e| (e.field.as_str(), e.msg)).collect();
        assert_eq!(
            fields,
            [
                ("title", Msg::ErrRequired),
                ("content", Msg::ErrTooLong),
                ("notice_type", Msg::ErrBadValue),
                ("target", Msg::ErrBadValue),
                ("publish_at", Msg::ErrNoticePublishPast),
            ]
        );
        let later = NoticeForm {
            publish: "later".into(),
            publish_at: "2099-01-01T09:00".into(),
            ..form()
        };
        assert!(matches!(
            NewNotice::parse(&later, now).unwrap().publish,
            Publish::At(_)
        ));
    }
}

//! What an admin does to an account, as typed: the user list's filters, suspension, role and
//! grade. Each form parses into one change; an unknown role, status or grade is an error.

use crate::identity::{Grade, Role, UserId, UserStatus};
use crate::platform::error::{FieldError, Problems};
use crate::platform::i18n::Msg;
use serde::{Deserialize, Serialize};

pub const MAX_USER_REASON: usize = 500;
/// Longest search text.
pub const MAX_QUERY: usize = 100;

/// `/admin/users?q=&role=&status=&grade=&page=`: all optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub page: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserFilter {
    /// Part of an email, a name or a phone number.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub status: Option<UserStatus>,
    pub grade: Option<Grade>,
    pub page: i64,
}

/// Blank means "any"; anything else must be a known code.
fn code<T>(field: &str, raw: &str, parse: fn(&str) -> Option<T>) -> Result<Option<T>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    parse(raw)
        .map(Some)
        .ok_or_else(|| FieldError::new(field, Msg::ErrUnknownChoice))
}

impl TryFrom<&UserQuery> for UserFilter {
    type Error = Vec<FieldError>;

    fn try_from(f: &UserQuery) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let q = f.q.trim();
        if q.chars().count() > MAX_QUERY {
            p.add(FieldError::new("q", Msg::ErrTooLong));
        }
        let role = p.check(code("role", &f.role, Role::parse));
        let status = p.check(code("status", &f.status, UserStatus::parse));
        let grade = p.check(code("grade", &f.grade, Grade::parse));
        p.finish(|| {
            Some(Self {
                q: (!q.is_empty()).then(|| q.to_owned()),
                role: role?,
                status: status?,
                grade: grade?,
                page: f.page.unwrap_or(1).max(1),
            })
        })
    }
}

fn reason(raw: &str) -> Result<String, FieldError> {
    let r = raw.trim();
    if r.is_empty() {
        Err(FieldError::new("reason", Msg::ErrRequired))
    } else if r.chars().count() > MAX_USER_REASON {
        Err(FieldError::new("reason", Msg::ErrTooLong))
    } else {
        Ok(r.to_owned())
    }
}

/// "정지" or "정지 해제", with the reason the log keeps (and a suspended user reads).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UserStatusForm {
    pub id: UserId,
    /// `suspend` or `reactivate`.
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusChange {
    pub id: UserId,
    pub suspend: bool,
    pub reason: String,
}

impl TryFrom<&UserStatusForm> for StatusChange {
    type Error = Vec<FieldError>;

    fn try_from(f: &UserStatusForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let suspend = p.check(match f.action.as_str() {
            "suspend" => Ok(true),
            "reactivate" => Ok(false),
            _ => Err(FieldError::new("action", Msg::ErrUnknownChoice)),
        });
        let reason = p.check(reason(&f.reason));
        p.finish(|| {
            Some(Self {
                id: f.id,
                suspend: suspend?,
                reason: reason?,
            })
        })
    }
}

/// "권한 변경". Making someone an admin must be confirmed with the checkbox.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RoleForm {
    pub id: UserId,
    #[serde(default)]
    pub role: String,
    /// A ticked checkbox sends a value.
    #[serde(default)]
    pub confirm: Option<String>,
    #[serde(default)]
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleChange {
    pub id: UserId,
    /// Customer or admin: the seller role comes and goes with the seller review.
    pub role: Role,
    pub reason: String,
}

impl TryFrom<&RoleForm> for RoleChange {
    type Error = Vec<FieldError>;

    fn try_from(f: &RoleForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let role = p.check(match Role::parse(f.role.trim()) {
            Some(r @ (Role::Customer | Role::Admin)) => Ok(r),
            Some(Role::Seller) => Err(FieldError::new("role", Msg::ErrSellerRoleViaReview)),
            None => Err(FieldError::new("role", Msg::ErrUnknownChoice)),
        });
        if role == Some(Role::Admin) && f.confirm.as_deref().is_none_or(str::is_empty) {
            p.add(FieldError::new("confirm", Msg::ErrConfirmAdmin));
        }
        let reason = p.check(reason(&f.reason));
        p.finish(|| {
            Some(Self {
                id: f.id,
                role: role?,
                reason: reason?,
            })
        })
    }
}

/// "등급 변경": a grade by hand, or back to the grades job (`auto`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GradeForm {
    pub id: UserId,
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GradeChange {
    pub id: UserId,
    /// `None`: computed by the grades job again.
    pub grade: Option<Grade>,
    pub reason: String,
}

impl TryFrom<&GradeForm> for GradeChange {
    type Error = Vec<FieldError>;

    fn try_from(f: &GradeForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let grade = p.check(match f.grade.trim() {
            "auto" => Ok(None),
            g => Grade::parse(g)
                .map(Some)
                .ok_or_else(|| FieldError::new("grade", Msg::ErrUnknownChoice)),
        });
        let reason = p.check(reason(&f.reason));
        p.finish(|| {
            Some(Self {
                id: f.id,
                grade: grade?,
                reason: reason?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> UserId {
        UserId(uuid::Uuid::nil())
    }

    #[test]
    fn filters_refuse_unknown_codes_instead_of_showing_everyone() {
        let f = UserQuery {
            role: "superuser".into(),
            grade: "gold".into(),
            ..UserQuery::default()
        };
        let e = UserFilter::try_from(&f).unwrap_err();
        assert_eq!(
            (e[0].field.as_str(), e[0].msg),
            ("role", Msg::ErrUnknownChoice)
        );
        let f = UserQuery {
            q: " kim ".into(),
            grade: "gold".into(),
            page: Some(0),
            ..UserQuery::default()
        };
        let ok = UserFilter::try_from(&f).unwrap();
        assert_eq!(ok.q.as_deref(), Some("kim"));
        assert_eq!((ok.grade, ok.role, ok.page), (Some(Grade::Gold), None, 1));
    }

    #[test]
    fn making_an_admin_needs_the_confirmation_and_sellers_come_from_review() {
        let form = |role: &str, confirm: Option<&str>| RoleForm {
            id: id(),
            role: role.into(),
            confirm: confirm.map(Into::into),
            reason: "운영 인력 충원".into(),
        };
        let e = RoleChange::try_from(&form("admin", None)).unwrap_err();
        assert_eq!(
            (e[0].field.as_str(), e[0].msg),
            ("confirm", Msg::ErrConfirmAdmin)
        );
        assert_eq!(
            RoleChange::try_from(&form("admin", Some("on")))
                .unwrap()
                .role,
            Role::Admin
        );
        let e = RoleChange::try_from(&form("seller", None)).unwrap_err();
        assert_eq!(e[0].msg, Msg::ErrSellerRoleViaReview);
        assert_eq!(
            RoleChange::try_from(&form("customer", None)).unwrap().role,
            Role::Customer
        );
    }

    #[test]
    fn status_and_grade_changes_need_a_reason() {
        let e = StatusChange::try_from(&UserStatusForm {
            id: id(),
            action: "suspend".into(),
            reason: "  ".into(),
        })
        .unwrap_err();
        assert_eq!(
            (e[0].field.as_str(), e[0].msg),
            ("reason", Msg::ErrRequired)
        );
        let g = GradeChange::try_from(&GradeForm {
            id: id(),
            grade: "auto".into(),
            reason: "자동 산정으로".into(),
        })
        .unwrap();
        assert_eq!(g.grade, None);
        let e = GradeChange::try_from(&GradeForm {
            id: id(),
            grade: "diamond".into(),
            reason: "x".into(),
        })
        .unwrap_err();
        assert_eq!(e[0].field, "grade");
    }
}

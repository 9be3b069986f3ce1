//! Input parsing for identity. Raw strings stop here: past this point the service sees only
//! validated values.

use super::AddressId;
use crate::platform::error::{FieldError, Problems};
use crate::platform::forms::Secret;
use crate::platform::i18n::Msg;
use crate::platform::once::FormToken;
use serde::{Deserialize, Serialize};

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;

/// A few of the most common passwords of 10+ characters; a real list would be longer.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "0123456789",
    "qwertyuiop",
    "password12",
    "password123",
    "password1234",
    "1q2w3e4r5t",
    "qwerty1234",
    "iloveyou12",
    "abcdefghij",
    "asdfghjkl;",
    "1111111111",
    "0000000000",
    "aaaaaaaaaa",
    "qwer1234!@",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Trims and lower-cases; requires one `@` with a dotted domain.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(FieldError::new("email", Msg::ErrRequired));
        }
        if email.len() > 254 {
            return Err(FieldError::new("email", Msg::ErrTooLong));
        }
        let valid = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if valid {
            Ok(Self(email))
        } else {
            Err(FieldError::new("email", Msg::ErrEmailInvalid))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks a new password. Length is counted in characters so Korean passwords are fair.
pub fn check_new_password(password: &str, email: Option<&Email>) -> Result<(), FieldError> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        return Err(FieldError::new("password", Msg::ErrPasswordShort));
    }
    if len > PASSWORD_MAX {
        return Err(FieldError::new("password", Msg::ErrPasswordLong));
    }
    let lower = password.to_lowercase();
    let distinct = {
        let mut c: Vec<char> = lower.chars().collect();
        c.sort_unstable();
        c.dedup();
        c.len()
    };
    if COMMON_PASSWORDS.contains(&lower.as_str()) || distinct < 4 {
        return Err(FieldError::new("password", Msg::ErrPasswordCommon));
    }
    if let Some(email) = email {
        let local = email.as_str().split('@').next().unwrap_or_default();
        if local.len() >= 4 && lower.contains(local) {
            return Err(FieldError::new("password", Msg::ErrPasswordIsEmail));
        }
    }
    Ok(())
}

/// A person's name: 1 to 100 characters after trimming.
pub fn parse_name(field: &str, raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new(field, Msg::ErrRequired));
    }
    if name.chars().count() > 100 {
        return Err(FieldError::new(field, Msg::ErrTooLong));
    }
    Ok(name.to_owned())
}

/// A Korean phone number, normalised to dashes: 010-1234-5678, 02-123-4567.
pub fn parse_phone(field: &str, raw: &str) -> Result<String, FieldError> {
    let digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    let allowed = raw
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == ' ' || c == '+');
    let bad = || FieldError::new(field, Msg::ErrPhoneInvalid);
    if !allowed {
        return Err(bad());
    }
    let digits = match digits.strip_prefix("82") {
        Some(rest) if raw.trim_start().starts_with('+') => format!("0{rest}"),
        _ => digits,
    };
    let formatted = if digits.starts_with("02") && (digits.len() == 9 || digits.len() == 10) {
        format!(
            "02-{}-{}",
            &digits[2..digits.len() - 4],
            &digits[digits.len() - 4..]
        )
    } else if digits.starts_with('0') && (digits.len() == 10 || digits.len() == 11) {
        format!(
            "{}-{}-{}",
            &digits[..3],
            &digits[3..digits.len() - 4],
            &digits[digits.len() - 4..]
        )
    } else {
        return Err(bad());
    };
    Ok(formatted)
}

/// Korean postal codes have had 5 digits since 2015.
pub fn parse_postal_code(raw: &str) -> Result<String, FieldError> {
    let code = raw.trim();
    if code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code.to_owned())
    } else {
        Err(FieldError::new("postal_code", Msg::ErrPostalInvalid))
    }
}

/// An optional free-text field: empty becomes None; too long is an error.
pub fn optional_text(
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.chars().count() > max => Err(FieldError::new(field, Msg::ErrTooLong)),
        Some(s) => Ok(Some(s.to_owned())),
    }
}

/// A required free-text field.
pub fn required_text(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    optional_text(field, Some(raw), max)?.ok_or_else(|| FieldError::new(field, Msg::ErrRequired))
}

/// The sign-up form, as typed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    pub email: String,
    pub password: Secret,
    pub name: String,
    pub phone: Option<String>,
}

/// A sign-up that passed every rule.
#[derive(Debug)]
pub struct NewUser {
    pub email: Email,
    pub password: Secret,
    pub name: String,
    pub phone: Option<String>,
}

impl TryFrom<SignupForm> for NewUser {
    type Error = Vec<FieldError>;

    fn try_from(f: SignupForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let email = p.check(Email::parse(&f.email));
        p.check(check_new_password(f.password.expose(), email.as_ref()));
        let name = p.check(parse_name("name", &f.name));
        let phone = p.check(optional_phone("phone", f.phone.as_deref()));
        p.finish(|| {
            Some(NewUser {
                email: email?,
                password: f.password,
                name: name?,
                phone: phone?,
            })
        })
    }
}

/// The login form. `next` is where the user was going (`/login?next=…`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: Secret,
    pub next: Option<String>,
}

/// The address form; `id` is set when an existing address is edited.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AddressForm {
    pub id: Option<AddressId>,
    /// A double submit adds one address (`OnceField`).
    pub once: FormToken,
    pub recipient_name: String,
    pub phone: String,
    pub postal_code: String,
    pub address: String,
    pub address_detail: Option<String>,
    pub label: Option<String>,
    /// A checkbox: present when ticked.
    pub make_default: Option<String>,
}

#[derive(Debug)]
pub struct NewAddress {
    pub recipient_name: String,
    pub phone: String,
    pub postal_code: String,
    pub address: String,
    pub address_detail: Option<String>,
    pub label: Option<String>,
    pub make_default: bool,
}

impl TryFrom<AddressForm> for NewAddress {
    type Error = Vec<FieldError>;

    fn try_from(f: AddressForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let recipient_name = p.check(parse_name("recipient_name", &f.recipient_name));
        let phone = p.check(parse_phone("phone", &f.phone));
        let postal_code = p.check(parse_postal_code(&f.postal_code));
        let address = p.check(required_text("address", &f.address, 255));
        let address_detail = p.check(optional_text(
            "address_detail",
            f.address_detail.as_deref(),
            255,
        ));
        let label = p.check(optional_text("label", f.label.as_deref(), 50));
        p.finish(|| {
            Some(NewAddress {
                recipient_name: recipient_name?,
                phone: phone?,
                postal_code: postal_code?,
                address: address?,
                address_detail: address_detail?,
                label: label?,
                make_default: f.make_default.is_some(),
            })
        })
    }
}

/// The "new API token" form.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    pub name: String,
}

/// The profile form: what an account holder may change about themselves.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub name: String,
    pub phone: Option<String>,
}

/// A profile edit that passed the sign-up rules.
#[derive(Debug, PartialEq, Eq)]
pub struct ProfileUpdate {
    pub name: String,
    pub phone: Option<String>,
}

impl TryFrom<ProfileForm> for ProfileUpdate {
    type Error = Vec<FieldError>;

    fn try_from(f: ProfileForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let name = p.check(parse_name("name", &f.name));
        let phone = p.check(optional_phone("phone", f.phone.as_deref()));
        p.finish(|| {
            Some(ProfileUpdate {
                name: name?,
                phone: phone?,
            })
        })
    }
}

/// The change-password form. `sign_out_others` is a checkbox: present when ticked.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub current_password: Secret,
    pub password: Secret,
    pub sign_out_others: Option<String>,
}

/// A password change whose new password passed the sign-up rules (the rule against the
/// email needs the account, so the service checks that one).
#[derive(Debug)]
pub struct PasswordChange {
    pub current: Secret,
    pub new: Secret,
    pub sign_out_others: bool,
}

impl TryFrom<PasswordForm> for PasswordChange {
    type Error = Vec<FieldError>;

    fn try_from(f: PasswordForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        if f.current_password.expose().is_empty() {
            p.add(FieldError::new("current_password", Msg::ErrRequired));
        }
        p.check(check_new_password(f.password.expose(), None));
        if !f.password.expose().is_empty() && f.password.expose() == f.current_password.expose() {
            p.add(FieldError::new("password", Msg::ErrPasswordSame));
        }
        p.finish(|| {
            Some(PasswordChange {
                current: f.current_password,
                new: f.password,
                sign_out_others: f.sign_out_others.is_some(),
            })
        })
    }
}

crate::code_enum! {
    /// Why an account holder leaves, as the withdrawal form offers it.
    pub enum WithdrawReason {
        RarelyUsed = "rarely_used",
        NothingToBuy = "nothing_to_buy",
        Privacy = "privacy",
        Service = "service",
        OtherAccount = "other_account",
        Other = "other",
    }
}

impl WithdrawReason {
    pub fn label(self) -> Msg {
        match self {
            Self::RarelyUsed => Msg::WithdrawReasonRarelyUsed,
            Self::NothingToBuy => Msg::WithdrawReasonNothingToBuy,
            Self::Privacy => Msg::WithdrawReasonPrivacy,
            Self::Service => Msg::WithdrawReasonService,
            Self::OtherAccount => Msg::WithdrawReasonOtherAccount,
            Self::Other => Msg::WithdrawReasonOther,
        }
    }
}

/// The withdrawal (회원탈퇴) form: the password, a reason, and a ticked confirmation.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WithdrawForm {
    pub password: Secret,
    pub reason: String,
    pub details: Option<String>,
    pub confirm: Option<String>,
}

#[derive(Debug)]
pub struct Withdrawal {
    pub password: Secret,
    pub reason: WithdrawReason,
    pub details: Option<String>,
}

impl Withdrawal {
    /// What `users.status_reason` keeps: the reason's code and, for "other", the words.
    pub fn stated(&self) -> String {
        match &self.details {
            Some(d) => format!("{}: {d}", self.reason.as_str()),
            None => self.reason.as_str().to_owned(),
        }
    }
}

impl TryFrom<WithdrawForm> for Withdrawal {
    type Error = Vec<FieldError>;

    fn try_from(f: WithdrawForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        if f.password.expose().is_empty() {
            p.add(FieldError::new("password", Msg::ErrRequired));
        }
        let reason = p.check(
            WithdrawReason::parse(f.reason.trim())
                .ok_or_else(|| FieldError::new("reason", Msg::ErrChooseReason)),
        );
        let details = p.check(optional_text("details", f.details.as_deref(), 500));
        if reason == Some(WithdrawReason::Other) && details.as_ref().is_some_and(Option::is_none) {
            p.add(FieldError::new("details", Msg::ErrRequired));
        }
        if f.confirm.is_none() {
            p.add(FieldError::new("confirm", Msg::ErrWithdrawConfirm));
        }
        p.finish(|| {
            Some(Withdrawal {
                password: f.password,
                reason: reason?,
                details: details?,
            })
        })
    }
}

/// An optional phone number: empty is none.
pub fn optional_phone(field: &str, raw: Option<&str>) -> Result<Option<String>, FieldError> {
    match raw.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => parse_phone(field, p).map(Some),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Kim@Example.COM ").unwrap().as_str(),
            "kim@example.com"
        );
        for bad in [
            "",
            "kim",
            "kim@",
            "@x.com",
            "kim@localhost",
            "a b@x.com",
            "a@b@c.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn weak_passwords_are_refused() {
        let email = Email::parse("minsu@example.com").unwrap();
        assert_eq!(
            check_new_password("short", None).unwrap_err().msg,
            Msg::ErrPasswordShort
        );
        assert_eq!(
            check_new_password("1234567890", None).unwrap_err().msg,
            Msg::ErrPasswordCommon
        );
        assert_eq!(
            check_new_password("abababababab", None).unwrap_err().msg,
            Msg::ErrPasswordCommon
        );
        assert_eq!(
            check_new_password("minsu-is-great", Some(&email))
                .unwrap_err()
                .msg,
            Msg::ErrPasswordIsEmail
        );
        assert!(check_new_password("봄날의 장터 2026", Some(&email)).is_ok());
    }

    #[test]
    fn phones_are_normalised() {
        assert_eq!(parse_phone("p", "01012345678").unwrap(), "010-1234-5678");
        assert_eq!(parse_phone("p", "010-1234-5678").unwrap(), "010-1234-5678");
        assert_eq!(
            parse_phone("p", "+82 10 1234 5678").unwrap(),
            "010-1234-5678"
        );
        assert_eq!(parse_phone("p", "0111234567").unwrap(), "011-123-4567");
        assert_eq!(parse_phone("p", "02-123-4567").unwrap(), "02-123-4567");
        assert_eq!(parse_phone("p", "031-123-4567").unwrap(), "031-123-4567");
        assert!(parse_phone("p", "12345").is_err());
        assert!(parse_phone("p", "010-abcd-5678").is_err());
    }

    #[test]
    fn a_new_password_must_pass_the_rules_and_differ_from_the_old() {
        let form = |cur: &str, new: &str| PasswordForm {
            current_password: cur.into(),
            password: new.into(),
            sign_out_others: Some("on".into()),
        };
        let ok = PasswordChange::try_from(form("old spring 2026", "new autumn 2026")).unwrap();
        assert!(ok.sign_out_others);
        let fields = |r: Result<PasswordChange, Vec<FieldError>>| -> Vec<(String, Msg)> {
            r.unwrap_err()
                .into_iter()
                .map(|f| (f.field, f.msg))
                .collect()
        };
        assert_eq!(
            fields(form("", "short").try_into()),
            vec![
                ("current_password".into(), Msg::ErrRequired),
                ("password".into(), Msg::ErrPasswordShort)
            ]
        );
        assert_eq!(
            fields(form("same spring 2026", "same spring 2026").try_into()),
            vec![("password".into(), Msg::ErrPasswordSame)]
        );
    }

    #[test]
    fn withdrawal_needs_a_known_reason_and_the_confirmation() {
        let form = |reason: &str, details: Option<&str>, confirm: bool| WithdrawForm {
            password: "spring market 2026".into(),
            reason: reason.into(),
            details: details.map(Into::into),
            confirm: confirm.then(|| "on".into()),
        };
        let w = Withdrawal::try_from(form("privacy", None, true)).unwrap();
        assert_eq!(w.stated(), "privacy");
        let w = Withdrawal::try_from(form("other", Some(" moving abroad "), true)).unwrap();
        assert_eq!(w.stated(), "other: moving abroad");
        let names = |f: WithdrawForm| -> Vec<String> {
            Withdrawal::try_from(f)
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(names(form("bored", None, true)), vec!["reason"]);
        assert_eq!(names(form("other", Some("  "), true)), vec!["details"]);
        assert_eq!(names(form("privacy", None, false)), vec!["confirm"]);
    }

    #[test]
    fn a_profile_edit_uses_the_sign_up_rules() {
        let ok = ProfileUpdate::try_from(ProfileForm {
            name: " 김민수 ".into(),
            phone: Some("01098765432".into()),
        })
        .unwrap();
        assert_eq!(
            ok,
            ProfileUpdate {
                name: "김민수".into(),
                phone: Some("010-9876-5432".into())
            }
        );
        let cleared = ProfileUpdate::try_from(ProfileForm {
            name: "Kim".into(),
            phone: Some("".into()),
        })
        .unwrap();
        assert_eq!(cleared.phone, None);
        let errs = ProfileUpdate::try_from(ProfileForm {
            name: "".into(),
            phone: Some("12".into()),
        })
        .unwrap_err();
        let names: Vec<_> = errs.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, vec!["name", "phone"]);
    }

    #[test]
    fn postal_codes_have_five_digits() {
        assert!(parse_postal_code("06236").is_ok());
        assert!(parse_postal_code("1234").is_err());
        assert!(parse_postal_code("12a45").is_err());
    }
}

//! The one error type that crosses the wire.
//!
//! Each context has its own error enum (see `identity::IdentityError`) and converts into
//! `AppError`. Every variant knows its HTTP status and a translated user message. Internal
//! failures carry only a reference id; the details go to the log.

use crate::platform::i18n::{Locale, Msg};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A problem with one form field, shown next to that field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub msg: Msg,
}

impl FieldError {
    pub fn new(field: &str, msg: Msg) -> Self {
        Self {
            field: field.to_owned(),
            msg,
        }
    }
}

/// Collects every field's problem while a form is parsed, so the user sees them all at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    /// The value if it parsed; otherwise notes its error.
    pub fn check<T>(&mut self, parsed: Result<T, FieldError>) -> Option<T> {
        parsed.map_err(|e| self.0.push(e)).ok()
    }

    pub fn add(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// `Ok` with what `build` makes once nothing failed; every problem otherwise.
    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, Vec<FieldError>> {
        if !self.0.is_empty() {
            return Err(self.0);
        }
        build().ok_or_else(|| vec![FieldError::new("form", Msg::ErrBadForm)])
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Bad input; one entry per offending field.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("sign-in required")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    /// Forbidden, with the reason said (a cross-site request, say).
    #[error("forbidden: {0:?}")]
    Refused(Msg),
    /// The account is suspended; the reason is shown to its owner.
    #[error("account suspended")]
    AccountSuspended { reason: Option<String> },
    #[error("not found")]
    NotFound,
    /// The request clashes with the current state (duplicate, in flight, ...).
    #[error("conflict: {0:?}")]
    Conflict(Msg),
    /// Not a request we can read (a body that is not JSON, say).
    #[error("bad request: {0:?}")]
    BadRequest(Msg),
    /// The body is not in a type this endpoint takes.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// Well-formed but refused by a business rule.
    #[error("unprocessable: {0:?}")]
    Unprocessable(Msg),
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("unavailable: {0:?}")]
    Unavailable(Msg),
    /// An external system (the carrier's, say) is refusing calls for a while.
    #[error("external system busy")]
    Busy { retry_after_secs: u64 },
    /// We are at capacity (password hashing, say); try again shortly.
    #[error("overloaded")]
    Overloaded { retry_after_secs: u64 },
    /// Something broke on our side. `reference` lets support find the log line.
    #[error("internal error {reference}")]
    Internal { reference: String },
    /// The call never reached our code, or its reply could not be read.
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    pub fn field(field: &str, msg: Msg) -> Self {
        Self::Validation(vec![FieldError::new(field, msg)])
    }

    /// HTTP status for REST responses and server-function replies.
    pub fn status(&self) -> u16 {
        match self {
            Self::Validation(_) | Self::Unprocessable(_) => 422,
            Self::BadRequest(_) => 400,
            Self::UnsupportedMediaType => 415,
            Self::Unauthenticated => 401,
            Self::Forbidden | Self::Refused(_) | Self::AccountSuspended { .. } => 403,
            Self::NotFound => 404,
            Self::Conflict(_) => 409,
            Self::RateLimited { .. } => 429,
            Self::Unavailable(_) | Self::Busy { .. } | Self::Overloaded { .. } => 503,
            Self::Internal { .. } => 500,
            Self::Transport(_) => 502,
        }
    }

    /// Stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation_failed",
            Self::BadRequest(_) => "bad_request",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden | Self::Refused(_) => "forbidden",
            Self::AccountSuspended { .. } => "account_suspended",
            Self::NotFound => "not_found",
            Self::Conflict(_) => "conflict",
            Self::Unprocessable(_) => "unprocessable",
            Self::RateLimited { .. } => "rate_limited",
            Self::Unavailable(_) => "unavailable",
            Self::Busy { .. } => "busy",
            Self::Overloaded { .. } => "overloaded",
            Self::Internal { .. } => "internal",
            Self::Transport(_) => "transport",
        }
    }

    /// The message a user reads, in their language.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            Self::Validation(fields) => match fields.as_slice() {
                [one] => one.msg.text(locale).to_owned(),
                _ => Msg::ErrValidation.text(locale).to_owned(),
            },
            Self::Unauthenticated => Msg::ErrUnauthenticated.text(locale).to_owned(),
            Self::Forbidden => Msg::ErrForbidden.text(locale).to_owned(),
            Self::AccountSuspended { reason: None } => {
                Msg::ErrAccountSuspended.text(locale).to_owned()
            }
            Self::AccountSuspended {
                reason: Some(reason),
            } => Msg::ErrAccountSuspendedReason
                .text(locale)
                .replace("{reason}", reason),
            Self::NotFound => Msg::ErrNotFound.text(locale).to_owned(),
            Self::Overloaded { .. } => Msg::ErrBusy.text(locale).to_owned(),
            Self::BadRequest(m) => m.text(locale).to_owned(),
            Self::UnsupportedMediaType => Msg::ErrJsonType.text(locale).to_owned(),
            Self::Conflict(m)
            | Self::Unprocessable(m)
            | Self::Unavailable(m)
            | Self::Refused(m) => m.text(locale).to_owned(),
            Self::RateLimited { retry_after_secs } => Msg::ErrRateLimited
                .text(locale)
                .replace("{n}", &retry_after_secs.div_ceil(60).max(1).to_string()),
            Self::Busy { retry_after_secs } => Msg::ErrCarrierBusy
                .text(locale)
                .replace("{n}", &retry_after_secs.div_ceil(60).max(1).to_string()),
            Self::Internal { reference } => {
                Msg::ErrInternal.text(locale).replace("{ref}", reference)
            }
            Self::Transport(_) => Msg::ErrTransport.text(locale).to_owned(),
        }
    }

    /// The message for one form field, if this error names it.
    pub fn field_message(&self, field: &str, locale: Locale) -> Option<&'static str> {
        match self {
            Self::Validation(fields) => fields
                .iter()
                .find(|f| f.field == field)
                .map(|f| f.msg.text(locale)),
            _ => None,
        }
    }

    /// Logs an internal failure and returns the opaque error shown to the user.
    #[cfg(feature = "ssr")]
    pub fn internal(err: impl std::fmt::Display) -> Self {
        let reference = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
        tracing::error!(error.reference = %reference, error = %err, "internal error");
        Self::Internal { reference }
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(e: Vec<FieldError>) -> Self {
        Self::Validation(e)
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        Self::Validation(vec![e])
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        Self::internal(err)
    }
}

/// Lets server functions return `Result<T, AppError>` with a JSON-encoded error.
impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Bad form data (missing field, wrong type) is the user's input, not a crash.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => {
                Self::Validation(vec![FieldError::new("form", Msg::ErrBadForm)])
            }
            ServerFnErrorErr::ServerError(msg) => {
                #[cfg(feature = "ssr")]
                {
                    Self::internal(msg)
                }
                #[cfg(not(feature = "ssr"))]
                {
                    Self::Transport(msg)
                }
            }
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod http_response {
    use super::AppError;
    use crate::platform::i18n::Locale;
    use axum::response::{IntoResponse, Response};

    /// JSON body of every REST error.
    #[derive(serde::Serialize)]
    struct ErrorBody<'a> {
        code: &'a str,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        fields: Option<Vec<FieldBody>>,
    }

    #[derive(serde::Serialize)]
    struct FieldBody {
        field: String,
        message: String,
    }

    impl AppError {
        pub fn into_response_in(self, locale: Locale) -> Response {
            let status = axum::http::StatusCode::from_u16(self.status())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            let fields = match &self {
                AppError::Validation(f) => Some(
                    f.iter()
                        .map(|f| FieldBody {
                            field: f.field.clone(),
                            message: f.msg.text(locale).to_owned(),
                        })
                        .collect(),
                ),
                _ => None,
            };
            let body = ErrorBody {
                code: self.code(),
                message: self.message(locale),
                fields,
            };
            let mut res = (status, axum::Json(body)).into_response();
            if let AppError::RateLimited { retry_after_secs }
            | AppError::Busy { retry_after_secs }
            | AppError::Overloaded { retry_after_secs } = self
            {
                if let Ok(v) = retry_after_secs.to_string().parse() {
                    res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
                }
            }
            res
        }
    }

    /// Rendered in the default locale; the server's `localize_errors` middleware re-renders
    /// it in the caller's language using the copy kept in the response extensions.
    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let mut res = self.clone().into_response_in(Locale::default());
            res.extensions_mut().insert(self);
            res
        }
    }
}

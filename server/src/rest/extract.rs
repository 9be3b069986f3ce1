//! `Path`, `Query` and `Json` for REST handlers: axum's own, except that a refusal answers in
//! the API's JSON error shape (code, message in the caller's language, the field) instead of
//! plain text.

use app::platform::error::{AppError, FieldError};
use app::platform::i18n::Msg;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::response::{IntoResponse, Response};

pub struct Rejection(AppError);

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}

/// A path that does not parse (`/products/not-a-uuid`) names nothing that exists.
impl From<PathRejection> for Rejection {
    fn from(_: PathRejection) -> Self {
        Self(AppError::NotFound)
    }
}

impl From<QueryRejection> for Rejection {
    fn from(e: QueryRejection) -> Self {
        // "Failed to deserialize query string: minPrice: invalid digit found in string"
        let text = e.body_text();
        let field = text
            .split_once("query string: ")
            .and_then(|(_, rest)| rest.split_once(':'))
            .map(|(field, _)| field.trim().to_owned())
            .filter(|f| !f.is_empty() && !f.contains(' '))
            .unwrap_or_else(|| "query".into());
        Self(AppError::Validation(vec![FieldError::new(
            &field,
            Msg::ErrBadValue,
        )]))
    }
}

impl From<JsonRejection> for Rejection {
    fn from(e: JsonRejection) -> Self {
        Self(match e {
            JsonRejection::JsonDataError(e) => {
                // axum reports the path of the bad value: "… target type: lines[0].quantity: …"
                let text = e.body_text();
                let field = text
                    .split_once("target type: ")
                    .and_then(|(_, rest)| rest.split_once(": "))
                    .map(|(field, _)| field.trim().to_owned())
                    .filter(|f| !f.is_empty() && !f.contains(' '))
                    .unwrap_or_else(|| "body".into());
                AppError::Validation(vec![FieldError::new(&field, Msg::ErrBadValue)])
            }
            JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
            _ => AppError::BadRequest(Msg::ErrNotJson),
        })
    }
}

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Rejection))]
pub struct Path<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Rejection))]
pub struct Query<T>(pub T);

/// A JSON body in, or a JSON body out.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(Rejection))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

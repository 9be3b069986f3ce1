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

/// The body is read as a `serde_json::Value` first (see `Json`), so what can go wrong here is
/// the content type or the JSON itself; a value of the wrong shape is refused afterwards,
/// naming its field.
impl From<JsonRejection> for Rejection {
    fn from(e: JsonRejection) -> Self {
        Self(match e {
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

/// A JSON body in, or a JSON body out. A body must be a JSON object: serde would also read
/// a struct from an array (`[]`), which no route takes.
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Rejection;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Rejection> {
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(req, state).await?;
        let bad = |field: &str| {
            Rejection(AppError::Validation(vec![FieldError::new(
                field,
                Msg::ErrBadValue,
            )]))
        };
        if !value.is_object() {
            return Err(bad("body"));
        }
        // Postgres stores no NUL character in text: refuse it here, naming its field, rather
        // than fail in the database.
        if let Some(field) = nul_at(&value, "") {
            return Err(bad(if field.is_empty() { "body" } else { &field }));
        }
        serde_path_to_error::deserialize(value)
            .map(Json)
            .map_err(|e| {
                let path = e.path().to_string();
                bad(if path == "." { "body" } else { &path })
            })
    }
}

/// Where in `v` (`name`, `items[0].name`) a string or a key holds a NUL character.
fn nul_at(v: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) if s.contains('\0') => Some(at.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_at(item, &format!("{at}[{i}]"))),
        Value::Object(fields) => fields.iter().find_map(|(k, item)| {
            let here = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            if k.contains('\0') {
                Some(here)
            } else {
                nul_at(item, &here)
            }
        }),
        _ => None,
    }
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::nul_at;
    use serde_json::json;

    #[test]
    fn a_nul_character_is_found_with_its_field() {
        assert_eq!(nul_at(&json!({ "name": "a\0b" }), ""), Some("name".into()));
        let deep = json!({ "items": [{ "name": "ok" }, { "name": "\0" }] });
        assert_eq!(nul_at(&deep, ""), Some("items[1].name".into()));
        assert_eq!(nul_at(&json!({ "name": "정상", "n": 1 }), ""), None);
    }
}

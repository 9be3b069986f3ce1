//! `Idempotency-Key` for REST: claims the key, runs the handler once, stores its response
//! and replays it for retries. The rules live in `app::platform::idempotency`.

use app::platform::auth::{client_ip, MaybeUser};
use app::platform::error::AppError;
use app::platform::idempotency::{self as idem, Begin, StoredResponse};
use app::platform::state::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Answers that depend on time or on who is asking, not on the request: replaying them
/// for a day would be wrong (a 429 after the window, a 401 after signing in).
fn is_final(status: StatusCode) -> bool {
    !status.is_server_error()
        && !matches!(
            status,
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS
        )
}

pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mutating = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let raw = req.headers().get(idem::HEADER);
    // A key that is not visible ASCII is refused, not ignored: the caller meant it.
    if mutating && raw.is_some_and(|v| v.to_str().is_err()) {
        return AppError::from(idem::IdempotencyError::InvalidKey).into_response();
    }
    let key = raw.and_then(|v| v.to_str().ok()).map(str::to_owned);
    let Some(key) = key.filter(|_| mutating) else {
        return next.run(req).await;
    };
    let (mut parts, body) = req.into_parts();
    let scope = match MaybeUser::from_request_parts(&mut parts, &()).await {
        Ok(MaybeUser(Some(u))) => u.id.to_string(),
        Ok(MaybeUser(None)) => format!("anon:{}", client_ip(&parts)),
        Err(e) => return e.into_response(),
    };
    // The largest body any route takes is an image upload (with its form overhead).
    let max_body = crate::http::uploads::max_body(&state);
    let Ok(bytes) = to_bytes(body, max_body).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let hash = idem::request_hash(&[
        parts.method.as_str().as_bytes(),
        parts.uri.path().as_bytes(),
        &bytes,
    ]);
    match idem::begin(&state.db, &scope, &key, &hash).await {
        Err(e) => AppError::from(e).into_response(),
        Ok(Begin::Replay(stored)) => replay(stored),
        Ok(Begin::Fresh) => {
            let res = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            let (res_parts, body) = res.into_parts();
            let Ok(body) = to_bytes(body, usize::MAX).await else {
                let _ = idem::abandon(&state.db, &scope, &key).await;
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            };
            let stored = StoredResponse {
                status: res_parts.status.as_u16(),
                content_type: res_parts
                    .headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
                body: body.to_vec(),
            };
            // Server errors and auth or rate answers are not final: let a retry run again.
            let saved = if !is_final(res_parts.status) {
                idem::abandon(&state.db, &scope, &key).await
            } else {
                idem::complete(&state.db, &scope, &key, &stored).await
            };
            if let Err(e) = saved {
                tracing::error!(error = %e, "could not record idempotent response");
            }
            Response::from_parts(res_parts, Body::from(body))
        }
    }
}

fn replay(stored: StoredResponse) -> Response {
    let mut res = Response::new(Body::from(stored.body));
    *res.status_mut() = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    if let Some(ct) = stored
        .content_type
        .and_then(|c| HeaderValue::from_str(&c).ok())
    {
        res.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    res.headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    res
}

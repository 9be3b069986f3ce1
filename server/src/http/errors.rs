//! Re-renders `AppError` responses in the caller's language.

use app::platform::error::AppError;
use app::platform::i18n::Locale;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

pub async fn localize_errors(req: Request, next: Next) -> Response {
    let locale = Locale::from_headers(req.headers());
    let res = next.run(req).await;
    match res.extensions().get::<AppError>() {
        Some(err) if locale != Locale::default() => err.clone().into_response_in(locale),
        _ => res,
    }
}

/// Server functions answer every error with 500. For calls from JavaScript (not plain form
/// posts, which are redirected back to the form), give the error its real status, so that
/// logs and monitoring tell a refused input (422) from a crash (500).
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    // A plain form post that failed is sent back to the page it came from with the error in
    // the query. That page's address already carries the previous failure's, so without this
    // every retry would add a pair, until the address is too long and the form is lost.
    if res.status().is_redirection() {
        if let Some(location) = res
            .headers()
            .get(axum::http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(tidy_form_redirect)
        {
            if let Ok(v) = axum::http::HeaderValue::from_str(&location) {
                res.headers_mut().insert(axum::http::header::LOCATION, v);
            }
        }
    }
    if res.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = axum::http::StatusCode::from_u16(err.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// A form redirect's address as the user should see it, if it needs changing: one error
/// (see `last_form_error`), and no empty `?` (left when a success strips the error of an
/// earlier try from a page address that had no query).
pub(super) fn tidy_form_redirect(location: &str) -> Option<String> {
    if location.contains("__err=") {
        return Some(last_form_error(location));
    }
    let (before_hash, hash) = match location.split_once('#') {
        Some((l, h)) => (l, Some(h)),
        None => (location, None),
    };
    let trimmed = before_hash.strip_suffix('?')?;
    Some(match hash {
        Some(h) => format!("{trimmed}#{h}"),
        None => trimmed.to_owned(),
    })
}

/// `location` with only the last `__path`/`__err` pair (the one this failure added).
fn last_form_error(location: &str) -> String {
    let (before_hash, hash) = match location.split_once('#') {
        Some((l, h)) => (l, Some(h)),
        None => (location, None),
    };
    let Some((path, query)) = before_hash.split_once('?') else {
        return location.to_owned();
    };
    let params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    let is_form = |p: &&str| p.starts_with("__path=") || p.starts_with("__err=");
    let last_path = params.iter().rev().find(|p| p.starts_with("__path="));
    let last_err = params.iter().rev().find(|p| p.starts_with("__err="));
    let mut kept: Vec<&str> = params.iter().filter(|p| !is_form(p)).copied().collect();
    kept.extend(last_path.copied());
    kept.extend(last_err.copied());
    let mut out = format!("{path}?{}", kept.join("&"));
    if let Some(h) = hash {
        out.push('#');
        out.push_str(h);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{last_form_error, tidy_form_redirect};

    #[test]
    fn a_successful_form_post_leaves_no_empty_query() {
        assert_eq!(
            tidy_form_redirect("http://127.0.0.1:3000/account/addresses?").as_deref(),
            Some("http://127.0.0.1:3000/account/addresses")
        );
        assert_eq!(tidy_form_redirect("/a?#top").as_deref(), Some("/a#top"));
        assert_eq!(tidy_form_redirect("/a?tab=1"), None);
        assert_eq!(tidy_form_redirect("/a"), None);
    }

    #[test]
    fn a_retried_form_keeps_one_error_in_its_address() {
        let once = "/seller?__path=/fn/seller/apply&__err=A";
        assert_eq!(last_form_error(once), once);
        assert_eq!(
            last_form_error("/seller?tab=1&__path=/fn/x&__err=A&__path=/fn/x&__err=B#form"),
            "/seller?tab=1&__path=/fn/x&__err=B#form"
        );
        assert_eq!(last_form_error("/plain"), "/plain");
    }
}

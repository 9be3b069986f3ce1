//! HTTP tests: the real router on a random port, a cookie-keeping client, a fresh database
//! per test, and Redis keys under a fresh prefix.

use crate::common::*;
use app::identity::{Role, SessionView};
use app::platform::redis::Redis;
use app::platform::testing::test_redis;
use reqwest::header::{HeaderMap, HeaderValue, COOKIE};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_session_cookie_changes_at_login(db: PgPool) {
    let base = spawn(db.clone(), test_redis().await).await;
    create_user(&db, "attacker@example.com").await;
    create_user(&db, "victim@example.com").await;
    // A session id the attacker knows, planted in the victim's browser...
    let planted = login(&base, "attacker@example.com", None).await;
    // ...is replaced when the victim logs in.
    let victims = login(&base, "victim@example.com", Some(&planted)).await;
    assert_ne!(planted, victims);
    assert_eq!(me_status(&base, &planted).await, StatusCode::UNAUTHORIZED);
    let me: Value = get_json_with_cookie(format!("{base}/api/v1/me"), &victims).await;
    assert_eq!(me["email"], "victim@example.com");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_revoked_session_is_rejected_on_every_instance(db: PgPool) {
    let redis = test_redis().await;
    let a = spawn(db.clone(), redis.clone()).await;
    let b = spawn(db.clone(), redis).await;
    create_user(&db, "two@example.com").await;
    let laptop = login(&a, "two@example.com", None).await;
    let phone = login(&b, "two@example.com", None).await;
    assert_eq!(me_status(&b, &phone).await, StatusCode::OK);

    // The laptop lists the sessions on instance A and signs the phone out.
    let sessions: Vec<SessionView> = raw_client()
        .post(format!("{a}/fn/sessions"))
        .header(COOKIE, &laptop)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sessions.len(), 2);
    let other = sessions
        .iter()
        .find(|s| !s.current)
        .expect("the phone's session");
    let res = raw_client()
        .post(format!("{a}/fn/sessions/revoke"))
        .header(COOKIE, &laptop)
        .form(&[("id", other.id.as_str())])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());

    // Instance B refuses the phone at once; the laptop still works on both.
    assert_eq!(me_status(&b, &phone).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me_status(&a, &phone).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me_status(&b, &laptop).await, StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_cross_site_form_post_to_a_server_function_is_refused(db: PgPool) {
    let base = spawn(db.clone(), test_redis().await).await;
    create_user(&db, "csrf@example.com").await;
    let host = base.trim_start_matches("http://").to_owned();
    let form = [
        ("form[email]", "csrf@example.com"),
        ("form[password]", PASSWORD),
    ];
    let cross = raw_client()
        .post(format!("{base}/fn/login"))
        .header("Origin", "https://evil.example")
        .header("Sec-Fetch-Site", "cross-site")
        .header("Accept", "text/html")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    assert!(
        session_cookie(cross.headers()).is_none(),
        "no login happened"
    );
    // An old browser without Sec-Fetch-Site is judged by Origin.
    let cross_origin_only = raw_client()
        .post(format!("{base}/fn/login"))
        .header("Origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(cross_origin_only.status(), StatusCode::FORBIDDEN);
    // The same form from our own pages works.
    let same = raw_client()
        .post(format!("{base}/fn/login"))
        .header("Origin", format!("http://{host}"))
        .header("Sec-Fetch-Site", "same-origin")
        .header("Accept", "text/html")
        .header("Referer", format!("{base}/login"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::FOUND);
    assert_eq!(same.headers()["location"], "/account");
    assert!(session_cookie(same.headers()).is_some());
}

#[sqlx::test(migrations = "../migrations")]
async fn ready_is_503_when_redis_is_down(db: PgPool) {
    let up = spawn(db.clone(), test_redis().await).await;
    let res = raw_client()
        .get(format!("{up}/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // Nothing listens on port 1.
    let dead = Redis::lazy("redis://127.0.0.1:1/0", "test:", 1).unwrap();
    let down = spawn(db, dead).await;
    let res = raw_client()
        .get(format!("{down}/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["checks"]["redis"], "down");
    assert_eq!(body["checks"]["postgres"], "up");
    let health = raw_client()
        .get(format!("{down}/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        health.status(),
        StatusCode::OK,
        "liveness does not depend on Redis"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn rest_login_honours_idempotency_keys(db: PgPool) {
    let base = spawn(db.clone(), test_redis().await).await;
    create_user(&db, "idem@example.com").await;
    let post = |body: Value, key: &str| {
        raw_client()
            .post(format!("{base}/api/v1/auth/login"))
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let body = json!({ "email": "idem@example.com", "password": PASSWORD });
    let first = post(body.clone(), "key-1").await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let first_body: Value = first.json().await.unwrap();
    let replay = post(body, "key-1").await.unwrap();
    assert_eq!(replay.status(), StatusCode::OK);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(replay.json::<Value>().await.unwrap(), first_body);
    let other = post(
        json!({ "email": "idem@example.com", "password": "different" }),
        "key-1",
    )
    .await
    .unwrap();
    assert_eq!(other.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        other.json::<Value>().await.unwrap()["code"],
        "unprocessable"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn errors_are_localised_and_api_tokens_authenticate(db: PgPool) {
    let base = spawn(db.clone(), test_redis().await).await;
    create_user(&db, "token@example.com").await;
    let bad = raw_client()
        .post(format!("{base}/api/v1/auth/login"))
        .header("Accept-Language", "en-US,en;q=0.9")
        .json(&json!({ "email": "token@example.com", "password": "wrong password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(
        body["fields"][0]["message"],
        "Email or password is incorrect."
    );

    let anon = raw_client()
        .get(format!("{base}/api/v1/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(anon.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        anon.json::<Value>().await.unwrap()["message"],
        "로그인이 필요합니다."
    );

    let user_id: app::identity::UserId =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'token@example.com'")
            .fetch_one(&db)
            .await
            .unwrap();
    let token = app::identity::tokens::create(&db, user_id, "ci")
        .await
        .unwrap();
    let mut auth = HeaderMap::new();
    auth.insert(
        "authorization",
        HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
    );
    let me = raw_client()
        .get(format!("{base}/api/v1/me"))
        .headers(auth.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(
        me.json::<Value>().await.unwrap()["role"],
        Role::Customer.as_str()
    );
    let forged = raw_client()
        .get(format!("{base}/api/v1/me"))
        .header("authorization", "Bearer jt_000000000000000000000000")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_openapi_document_lists_the_auth_endpoints(db: PgPool) {
    let base = spawn(db, test_redis().await).await;
    let doc: Value = raw_client()
        .get(format!("{base}/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in ["/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/me"] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["securitySchemes"]
        .get("api_token")
        .is_some());
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_render_with_security_headers_and_a_designed_404(db: PgPool) {
    let base = spawn(db, test_redis().await).await;
    let home = raw_client().get(&*base).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    let csp = home.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(home.headers()["x-content-type-options"], "nosniff");
    assert!(home.headers().contains_key("x-request-id"));
    let html = home.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "scripts carry the CSP nonce"
    );
    assert!(html.contains("<html lang=\"ko\""));

    let missing = raw_client()
        .get(format!("{base}/no/such/page"))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.text().await.unwrap().contains("Page not found"));
}

#[sqlx::test(migrations = "../migrations")]
async fn account_changes_count_at_once_on_every_instance(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let b = app.another_instance().await;
    let me = |token: String| {
        let url = format!("{b}/api/v1/me");
        async move {
            let res = raw_client()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            let status = res.status();
            (status, res.json::<Value>().await.unwrap_or_default())
        }
    };
    // Instance B has just read each account below, so it keeps a copy.
    let customer = app.customer.user_id.unwrap();
    let token = app::identity::tokens::create(&db, customer, "ci")
        .await
        .unwrap();
    assert_eq!(me(token.clone()).await.0, StatusCode::OK);
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM auth_tokens WHERE user_id = $1")
        .bind(customer)
        .fetch_one(&db)
        .await
        .unwrap();
    let res = app
        .customer
        .post_form("/fn/tokens/revoke", &[("id", &id.to_string())])
        .await;
    assert!(res.status().is_success() || res.status().is_redirection());
    let took = within_seconds("a token revoked through A, refused by B", || async {
        me(token.clone()).await.0 == StatusCode::UNAUTHORIZED
    })
    .await;
    assert!(took.as_secs() < 2, "took {took:?}");

    // A new seller's role counts on B from the approval on.
    let user = app::platform::testing::user(&db, "new-seller@example.com").await;
    let token = app::identity::tokens::create(&db, user, "ci")
        .await
        .unwrap();
    assert_eq!(me(token.clone()).await.1["role"], Role::Customer.as_str());
    let admin = app.admin.user_id.unwrap();
    app::platform::testing::approve_seller(&db, &app.configs, user, admin, "새 상점").await;
    let took = within_seconds("the seller role on B", || async {
        me(token.clone()).await.1["role"] == Role::Seller.as_str()
    })
    .await;
    assert!(took.as_secs() < 2, "took {took:?}");

    // A suspended account is refused by B at once.
    let change = app::admin::domain::StatusChange {
        id: user,
        suspend: true,
        reason: "도용 신고".into(),
    };
    app::admin::service::users::set_status(&db, &app.redis, &app.admin_actor(), &change)
        .await
        .unwrap();
    let took = within_seconds("a suspended account, refused by B", || async {
        me(token.clone()).await.0 == StatusCode::UNAUTHORIZED
    })
    .await;
    assert!(took.as_secs() < 2, "took {took:?}");
}

/// A product view by a client that never sends cookies back (a crawler) makes no session; a
/// browser that does keeps its views from the first one on, and they reach the home shelf.
#[sqlx::test(migrations = "../migrations")]
async fn a_guest_view_starts_a_session_only_for_a_browser_that_keeps_cookies(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let first = app.product(&app.seller, "첫 구경 머그", 5, true).await;
    let second = app.product(&app.seller, "둘째 구경 접시", 5, true).await;
    let set_cookies = |res: &reqwest::Response| -> Vec<String> {
        res.headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    };
    let session_made = |cookies: &[String]| cookies.iter().any(|c| c.starts_with("jangteo_sid="));
    // The home page's "recently viewed" shelf alone (the new-arrivals shelf lists them too).
    let recent_shelf = |html: &str| -> String {
        let Some(at) = html.find(r#"data-testid="shelf-recent""#) else {
            return String::new();
        };
        let shelf = &html[at..];
        shelf[..shelf.find("</section>").unwrap_or(shelf.len())].to_owned()
    };
    // No cookie jar: every view answers with the first-view cookie, and no session.
    let crawler = reqwest::Client::new();
    for p in [&first, &second, &first] {
        let res = crawler
            .get(app.anon.url(&format!("/p/{}", p.slug)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let cookies = set_cookies(&res);
        assert!(!session_made(&cookies), "{cookies:?}");
        assert!(
            cookies.iter().any(|c| c.starts_with("jt_view=")),
            "{cookies:?}"
        );
    }
    // A browser: the first view waits in its cookie, the second starts the session with both.
    let guest = TestClient::anonymous(&app.base);
    let res = guest.get(&format!("/p/{}", first.slug)).await;
    assert!(!session_made(&set_cookies(&res)));
    let (_, home) = guest.page("/").await;
    assert!(
        recent_shelf(&home).contains("첫 구경 머그"),
        "the first view shows before any session"
    );
    let res = guest.get(&format!("/p/{}?from=search", second.slug)).await;
    let cookies = set_cookies(&res);
    assert!(session_made(&cookies), "{cookies:?}");
    assert!(
        cookies.iter().any(|c| c.starts_with("jt_view=;")),
        "the first-view cookie is cleared: {cookies:?}"
    );
    let (_, home) = guest.page("/").await;
    let shelf = recent_shelf(&home);
    let (a, b) = (
        shelf.find("둘째 구경 접시").expect("the second view"),
        shelf.find("첫 구경 머그").expect("the first view"),
    );
    assert!(a < b, "newest first");
}

//! The form idiom over HTTP as a browser without JavaScript uses it: one struct per form
//! (`form[field]` inputs), the refusal on its own field, and what was typed put back.

use crate::common::TestApp;
use reqwest::StatusCode;
use sqlx::PgPool;

/// Where a redirect sends the browser, as a path on the app.
fn path_of(app: &TestApp, res: &reqwest::Response) -> String {
    let location = res.headers()["location"].to_str().unwrap();
    location.trim_start_matches(app.base.as_str()).to_owned()
}

/// The `<input …>` tag with this id.
fn input_tag<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no input #{id}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_approval_is_shown_on_its_row_with_what_was_typed(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let pending = app::seller::service::apply(
        &db,
        app.customer.user_id.unwrap(),
        app::platform::testing::application("심사 대기 가게"),
    )
    .await
    .unwrap();
    let id = pending.id.to_string();
    let queue = app.admin.url("/admin/sellers");
    let res = app
        .admin
        .http
        .post(app.admin.url("/fn/admin/sellers/approve"))
        .header("accept", "text/html")
        .header("referer", &queue)
        .form(&[("form[id]", id.as_str()), ("form[commission_rate]", "abc")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = path_of(&app, &res);
    let (status, html) = app.admin.page(&back).await;
    assert_eq!(status, StatusCode::OK);
    let field = input_tag(&html, &format!("approve-{id}-commission_rate"));
    assert!(field.contains("aria-invalid=\"true\""), "{field}");
    assert!(field.contains("value=\"abc\""), "{field}");
    assert!(field.contains("name=\"form[commission_rate]\""), "{field}");
    assert!(
        html.contains("0에서 100 사이의 숫자를 입력해 주세요."),
        "the reason is said"
    );
    // The application is still pending: nothing was approved.
    let status: String = sqlx::query_scalar("SELECT status FROM sellers WHERE id = $1")
        .bind(pending.id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "pending");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_failed_sign_in_keeps_the_email_but_never_the_password(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let res = app
        .anon
        .http
        .post(app.anon.url("/fn/login"))
        .header("accept", "text/html")
        .header("referer", app.anon.url("/login"))
        .form(&[
            ("form[email]", "nobody@example.com"),
            ("form[password]", "wrong horse battery"),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = path_of(&app, &res);
    let (_, html) = app.anon.page(&back).await;
    assert!(input_tag(&html, "email").contains("value=\"nobody@example.com\""));
    assert!(
        !html.contains("wrong horse battery"),
        "the password is not echoed"
    );
}

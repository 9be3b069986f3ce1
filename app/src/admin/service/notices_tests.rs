use super::notices::*;
use crate::admin::domain::{NewNotice, Publish};
use crate::admin::{AdminError, Audience, NoticeTarget, NoticeType};
use crate::identity::Role;
use crate::platform::audit::Actor;
use sqlx::PgPool;

async fn admin(db: &PgPool) -> Actor {
    Actor {
        id: crate::platform::testing::user(db, "notice-admin@example.com").await,
        role: Role::Admin,
        ip: "203.0.113.7".into(),
    }
}

fn notice(title: &str, target: NoticeTarget, publish: Publish) -> NewNotice {
    NewNotice {
        notice_type: NoticeType::General,
        title: title.into(),
        content: "본문".into(),
        target,
        pinned: false,
        publish,
    }
}

fn titles(page: &crate::admin::NoticeList) -> Vec<&str> {
    page.items.iter().map(|n| n.title.as_str()).collect()
}

async fn audit_rows(
    db: &PgPool,
    id: crate::admin::NoticeId,
) -> Vec<(String, Option<serde_json::Value>, Option<serde_json::Value>)> {
    sqlx::query_as(
        "SELECT action, before, after FROM audit_logs
         WHERE resource_type = 'notice' AND resource_id = $1 ORDER BY created_at",
    )
    .bind(id.to_string())
    .fetch_all(db)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn each_audience_sees_its_published_notices_pinned_first(db: PgPool) {
    let a = admin(&db).await;
    let all = create(
        &db,
        &a,
        &notice("모두에게", NoticeTarget::All, Publish::Now),
    )
    .await
    .unwrap();
    create(
        &db,
        &a,
        &notice("구매자에게", NoticeTarget::Customers, Publish::Now),
    )
    .await
    .unwrap();
    create(
        &db,
        &a,
        &notice("판매자에게", NoticeTarget::Sellers, Publish::Now),
    )
    .await
    .unwrap();
    create(&db, &a, &notice("초안", NoticeTarget::All, Publish::Draft))
        .await
        .unwrap();
    let later = chrono::Utc::now() + chrono::Duration::hours(1);
    let scheduled = create(
        &db,
        &a,
        &notice("예약", NoticeTarget::All, Publish::At(later)),
    )
    .await
    .unwrap();
    let pinned = NewNotice {
        pinned: true,
        ..notice("고정", NoticeTarget::All, Publish::Now)
    };
    create(&db, &a, &pinned).await.unwrap();

    let shoppers = showing(&db, Audience::Customers, 1).await.unwrap();
    assert_eq!(titles(&shoppers)[0], "고정", "pinned first");
    let mut seen = titles(&shoppers);
    seen.sort();
    assert_eq!(seen, ["고정", "구매자에게", "모두에게"]);
    let mut sellers = titles(&showing(&db, Audience::Sellers, 1).await.unwrap())
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    sellers.sort();
    assert_eq!(sellers, ["고정", "모두에게", "판매자에게"]);
    assert!(matches!(
        one(&db, Audience::Customers, scheduled).await,
        Err(AdminError::NotFound)
    ));
    assert_eq!(
        one(&db, Audience::Everyone, scheduled).await.unwrap().title,
        "예약"
    );
    assert_eq!(
        one(&db, Audience::Sellers, all).await.unwrap().title,
        "모두에게"
    );

    // Its time comes: it shows without anyone touching it.
    sqlx::query("UPDATE notices SET published_at = now() - interval '1 second' WHERE id = $1")
        .bind(scheduled)
        .execute(&db)
        .await
        .unwrap();
    assert!(titles(&showing(&db, Audience::Customers, 1).await.unwrap()).contains(&"예약"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_script_in_the_markdown_renders_inert(db: PgPool) {
    let a = admin(&db).await;
    let n = NewNotice {
        content: "**중요** <script>alert('x')</script><img src=x onerror=alert(1)>".into(),
        ..notice("보안", NoticeTarget::All, Publish::Now)
    };
    let id = create(&db, &a, &n).await.unwrap();
    let view = one(&db, Audience::Customers, id).await.unwrap();
    assert!(view.html.contains("<strong>중요</strong>"), "{}", view.html);
    assert!(
        !view.html.contains("<script") && !view.html.contains("onerror"),
        "{}",
        view.html
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn every_change_writes_one_audit_row_that_cannot_be_changed(db: PgPool) {
    let a = admin(&db).await;
    let id = create(&db, &a, &notice("점검", NoticeTarget::All, Publish::Draft))
        .await
        .unwrap();
    let edited = NewNotice {
        notice_type: NoticeType::Maintenance,
        ..notice("점검 안내", NoticeTarget::All, Publish::Draft)
    };
    update(&db, &a, id, &edited).await.unwrap();
    set_published(&db, &a, id, true).await.unwrap();
    assert!(matches!(
        set_published(&db, &a, id, true).await,
        Err(AdminError::WrongState)
    ));
    delete(&db, &a, id).await.unwrap();

    let rows = audit_rows(&db, id).await;
    let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(actions, ["CREATE", "UPDATE", "UPDATE", "DELETE"]);
    assert_eq!(rows[0].2.as_ref().unwrap()["title"], "점검");
    // An update keeps only what changed.
    assert_eq!(
        rows[1].1.as_ref().unwrap(),
        &serde_json::json!({ "title": "점검", "type": "general" })
    );
    assert_eq!(
        rows[1].2.as_ref().unwrap(),
        &serde_json::json!({ "title": "점검 안내", "type": "maintenance" })
    );
    assert_eq!(rows[2].2.as_ref().unwrap()["is_published"], true);
    assert_eq!(rows[3].1.as_ref().unwrap()["title"], "점검 안내");
    let (actor, role, ip): (uuid::Uuid, String, String) =
        sqlx::query_as("SELECT actor_id, actor_role, actor_ip FROM audit_logs LIMIT 1")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        (actor, role.as_str(), ip.as_str()),
        (a.id.into_uuid(), "admin", "203.0.113.7")
    );

    // The log is append-only.
    for sql in [
        "UPDATE audit_logs SET reason = 'x'",
        "DELETE FROM audit_logs",
        "TRUNCATE audit_logs",
    ] {
        let e = sqlx::query(sql).execute(&db).await.unwrap_err();
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
    // Not even one month's partition can be emptied.
    let month: String = sqlx::query_scalar("SELECT 'audit_logs_' || to_char(now(), 'YYYY_MM')")
        .fetch_one(&db)
        .await
        .unwrap();
    let e = sqlx::query(&format!("TRUNCATE {month}"))
        .execute(&db)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    assert_eq!(audit_rows(&db, id).await.len(), 4);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_log_keeps_a_year_and_drops_older_months_whole(db: PgPool) {
    let a = admin(&db).await;
    let id = create(&db, &a, &notice("오늘", NoticeTarget::All, Publish::Now))
        .await
        .unwrap();
    sqlx::query(
        "CREATE TABLE audit_logs_2020_01 PARTITION OF audit_logs
         FOR VALUES FROM ('2020-01-01') TO ('2020-02-01')",
    )
    .execute(&db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO audit_logs (resource_type, resource_id, action, actor_role, actor_ip, created_at)
         VALUES ('notice', 'old', 'CREATE', 'admin', '127.0.0.1', '2020-01-15')",
    )
    .execute(&db)
    .await
    .unwrap();
    let dropped = crate::platform::audit::drop_old_partitions(&db, 12)
        .await
        .unwrap();
    assert_eq!(dropped, ["audit_logs_2020_01"]);
    let old: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_logs WHERE resource_id = 'old'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(old, 0);
    assert_eq!(audit_rows(&db, id).await.len(), 1, "this month stays");
    // The partitions ahead are kept ready, each refusing TRUNCATE.
    assert_eq!(
        crate::platform::audit::ensure_partitions(&db, 12)
            .await
            .unwrap(),
        13
    );
    let guarded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_trigger t JOIN pg_inherits i ON i.inhrelid = t.tgrelid
         WHERE t.tgname = 'audit_logs_no_truncate' AND i.inhparent = 'audit_logs'::regclass",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(guarded, 13);
}

#[sqlx::test(migrations = "../migrations")]
async fn views_are_counted_through_the_buffer(db: PgPool) {
    let a = admin(&db).await;
    let redis = crate::platform::testing::test_redis().await;
    let id = create(&db, &a, &notice("읽기", NoticeTarget::All, Publish::Now))
        .await
        .unwrap();
    for _ in 0..3 {
        count_view(&db, &redis, id).await.unwrap();
    }
    assert_eq!(
        one(&db, Audience::Customers, id).await.unwrap().view_count,
        0
    );
    assert_eq!(flush_views(&db, &redis).await.unwrap(), 3);
    assert_eq!(
        one(&db, Audience::Customers, id).await.unwrap().view_count,
        3
    );
}

use super::dashboard::*;
use crate::platform::testing::{paid_order, user};
use chrono::{Datelike, Duration, Utc};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_admin_numbers_and_charts_are_what_the_orders_say(db: PgPool) {
    let buyer = user(&db, "dash-buyer@example.com").await;
    let first = paid_order(&db, buyer, 10_000, 0).await;
    paid_order(&db, buyer, 20_000, 0).await;
    paid_order(&db, buyer, 5_000, 3).await;
    // Refunds come off the sales.
    sqlx::query("UPDATE orders SET refunded_amount = 1000 WHERE seller_id = $1")
        .bind(first)
        .execute(&db)
        .await
        .unwrap();

    let d = admin(&db).await.unwrap();
    assert_eq!((d.sales_today, d.orders_today), (29_000, 2));
    let seoul = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    let today = Utc::now().with_timezone(&seoul);
    let three_ago = today - Duration::days(3);
    let month = if three_ago.month() == today.month() {
        34_000
    } else {
        29_000
    };
    assert_eq!(d.sales_month, month);
    assert_eq!(d.daily_sales.len(), 30);
    assert_eq!(d.daily_sales[29].label, today.format("%m-%d").to_string());
    assert_eq!(d.daily_sales[29].value, 29_000);
    assert_eq!(d.daily_sales[26].value, 5_000);
    assert_eq!(d.daily_orders[29].value, 2);
    assert_eq!(d.orders_by_status[0].label, "paid");
    assert_eq!(d.orders_by_status[0].value, 3);
    assert_eq!(d.top_sellers.len(), 3);
    assert_eq!(d.top_sellers[0].value, 20_000);
    // The buyer, and each order's seller account, signed up today.
    assert_eq!(d.new_users_today, 4);
    assert_eq!(d.signups[29].value, 4);
    let audit = d
        .partitions
        .iter()
        .find(|p| p.table == "public.audit_logs")
        .expect("the audit log is partitioned");
    assert!(audit.partitions >= 13, "{audit:?}");
    let ahead = (today + Duration::days(360)).format("%Y-%m").to_string();
    assert!(audit.newest.as_deref() >= Some(ahead.as_str()), "{audit:?}");

    let s = seller(&db, first).await.unwrap();
    assert_eq!((s.sales_today, s.to_prepare), (9_000, 1));
    assert_eq!(s.daily_sales[29].value, 9_000);
}

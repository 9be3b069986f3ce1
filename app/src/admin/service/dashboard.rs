//! The numbers of the console homes, each from one query. Days are Seoul days; "sales" are
//! what paid orders brought in, less what was refunded (points and gateway alike).

use super::super::dashboard::{AdminDashboard, PartitionStatus, SellerDashboard, DAYS};
use super::super::{AdminError, Audience};
use crate::seller::SellerId;
use crate::ui::charts::Point;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use sqlx::PgPool;

/// What an order brought in, as SQL over `orders o`.
const SALE: &str = "(o.points_used + o.paid_amount - o.refunded_amount)";
/// Today in Seoul, as SQL.
const TODAY: &str = "(now() AT TIME ZONE 'Asia/Seoul')::date";

fn won(d: Decimal) -> i64 {
    d.round().to_i64().unwrap_or(i64::MAX)
}

/// The last `DAYS` days, oldest first, each with its sales and its paid orders; `seller`
/// narrows it to one seller.
async fn daily(
    db: &PgPool,
    seller: Option<SellerId>,
) -> Result<(Vec<Point>, Vec<Point>), AdminError> {
    let rows: Vec<(String, Decimal, i64)> = sqlx::query_as(&format!(
        "SELECT to_char(d, 'MM-DD'), coalesce(sum({SALE}), 0), count(o.id)
         FROM generate_series({TODAY} - ($1::int - 1), {TODAY}, INTERVAL '1 day') d
         LEFT JOIN orders o ON (o.paid_at AT TIME ZONE 'Asia/Seoul')::date = d::date
             AND ($2::uuid IS NULL OR o.seller_id = $2)
         GROUP BY d ORDER BY d"
    ))
    .bind(DAYS as i32)
    .bind(seller)
    .fetch_all(db)
    .await?;
    let sales = rows
        .iter()
        .map(|(d, s, _)| Point::new(d.clone(), won(*s)))
        .collect();
    let orders = rows.into_iter().map(|(d, _, n)| Point::new(d, n)).collect();
    Ok((sales, orders))
}

/// Sales today and this month (Seoul).
async fn sales_now(db: &PgPool, seller: Option<SellerId>) -> Result<(i64, i64, i64), AdminError> {
    let (today, month, orders): (Decimal, Decimal, i64) = sqlx::query_as(&format!(
        "SELECT coalesce(sum({SALE}) FILTER (WHERE (o.paid_at AT TIME ZONE 'Asia/Seoul')::date = {TODAY}), 0),
                coalesce(sum({SALE}), 0),
                count(*) FILTER (WHERE (o.paid_at AT TIME ZONE 'Asia/Seoul')::date = {TODAY})
         FROM orders o
         WHERE o.paid_at >= date_trunc('month', now() AT TIME ZONE 'Asia/Seoul') AT TIME ZONE 'Asia/Seoul'
           AND ($1::uuid IS NULL OR o.seller_id = $1)"
    ))
    .bind(seller)
    .fetch_one(db)
    .await?;
    Ok((won(today), won(month), orders))
}

pub async fn admin(db: &PgPool) -> Result<AdminDashboard, AdminError> {
    let (sales_today, sales_month, orders_today) = sales_now(db, None).await?;
    let (daily_sales, daily_orders) = daily(db, None).await?;
    let counts: (i64, i64, i64, i64, i64) = sqlx::query_as(&format!(
        "SELECT
            (SELECT count(*) FROM users WHERE (created_at AT TIME ZONE 'Asia/Seoul')::date = {TODAY}),
            (SELECT count(*) FROM sellers WHERE status = 'pending'),
            (SELECT count(*) FROM products WHERE status = 'pending' AND deleted_at IS NULL),
            (SELECT count(*) FROM product_change.pc_circuit_breaker_state WHERE state <> 'CLOSED'),
            (SELECT count(*) FROM job_runs WHERE last_status = 'error')"
    ))
    .fetch_one(db)
    .await?;
    let by_status: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, count(*) FROM orders GROUP BY status ORDER BY count(*) DESC",
    )
    .fetch_all(db)
    .await?;
    let top = |sql: &'static str| async move {
        let rows: Vec<(String, Decimal)> =
            sqlx::query_as(sql).bind(DAYS as i32).fetch_all(db).await?;
        Ok::<_, AdminError>(
            rows.into_iter()
                .map(|(n, s)| Point::new(n, won(s)))
                .collect::<Vec<_>>(),
        )
    };
    let top_products = top(
        "SELECT i.product_name, sum(i.unit_price * (i.quantity - i.cancelled_quantity))
         FROM order_items i JOIN orders o ON o.id = i.order_id
         WHERE o.paid_at >= now() - make_interval(days => $1) AND o.status <> 'refunded'
         GROUP BY i.product_id, i.product_name ORDER BY 2 DESC, 1 LIMIT 10",
    )
    .await?;
    let top_sellers = top(
        "SELECT s.business_name, sum(o.points_used + o.paid_amount - o.refunded_amount)
         FROM orders o JOIN sellers s ON s.id = o.seller_id
         WHERE o.paid_at >= now() - make_interval(days => $1)
         GROUP BY s.id, s.business_name ORDER BY 2 DESC, 1 LIMIT 10",
    )
    .await?;
    let signups: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT to_char(d, 'MM-DD'), count(u.id)
         FROM generate_series({TODAY} - ($1::int - 1), {TODAY}, INTERVAL '1 day') d
         LEFT JOIN users u ON (u.created_at AT TIME ZONE 'Asia/Seoul')::date = d::date
         GROUP BY d ORDER BY d"
    ))
    .bind(DAYS as i32)
    .fetch_all(db)
    .await?;
    Ok(AdminDashboard {
        sales_today,
        sales_month,
        orders_today,
        new_users_today: counts.0,
        pending_sellers: counts.1,
        pending_products: counts.2,
        open_breakers: counts.3,
        failed_jobs: counts.4,
        daily_sales,
        daily_orders,
        orders_by_status: by_status
            .into_iter()
            .map(|(s, n)| Point::new(s, n))
            .collect(),
        top_products,
        top_sellers,
        signups: signups.into_iter().map(|(d, n)| Point::new(d, n)).collect(),
        partitions: partitions(db).await?,
    })
}

/// Every partitioned table with its monthly partitions (named `<table>_YYYY_MM`).
pub async fn partitions(db: &PgPool) -> Result<Vec<PartitionStatus>, AdminError> {
    Ok(sqlx::query_as(
        "SELECT n.nspname || '.' || p.relname AS table, count(c.oid) AS partitions,
                replace(min(right(c.relname, 7)), '_', '-') AS oldest,
                replace(max(right(c.relname, 7)), '_', '-') AS newest
         FROM pg_partitioned_table pt
         JOIN pg_class p ON p.oid = pt.partrelid
         JOIN pg_namespace n ON n.oid = p.relnamespace
         LEFT JOIN pg_inherits i ON i.inhparent = p.oid
         LEFT JOIN pg_class c ON c.oid = i.inhrelid AND c.relname ~ '_[0-9]{4}_[0-9]{2}$'
         GROUP BY n.nspname, p.relname ORDER BY 1",
    )
    .fetch_all(db)
    .await?)
}

pub async fn seller(db: &PgPool, seller: SellerId) -> Result<SellerDashboard, AdminError> {
    let (sales_today, sales_month, _) = sales_now(db, Some(seller)).await?;
    let (daily_sales, _) = daily(db, Some(seller)).await?;
    let to_prepare: i64 =
        sqlx::query_scalar("SELECT count(*) FROM orders WHERE seller_id = $1 AND status = 'paid'")
            .bind(seller)
            .fetch_one(db)
            .await?;
    let (low_stock_total, _) = crate::inventory::service::low_stock(db, seller, 0)
        .await
        .map_err(AdminError::Inventory)?;
    let mut notices = super::notices::showing(db, Audience::Sellers, 1)
        .await?
        .items;
    notices.truncate(5);
    Ok(SellerDashboard {
        sales_today,
        sales_month,
        to_prepare,
        low_stock_total,
        notices,
        daily_sales,
    })
}

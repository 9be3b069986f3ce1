//! What the two console homes show: `/admin` (the whole shop) and `/seller` (one seller).
//! Amounts are whole won as `i64` so the charts can draw them.

use crate::admin::NoticeView;
use crate::ui::charts::Point;
use serde::{Deserialize, Serialize};

/// How many days the daily charts cover.
pub const DAYS: i64 = 30;

/// `/admin`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminDashboard {
    pub sales_today: i64,
    pub sales_month: i64,
    pub orders_today: i64,
    pub new_users_today: i64,
    pub pending_sellers: i64,
    pub pending_products: i64,
    pub open_breakers: i64,
    pub failed_jobs: i64,
    /// Paid sales per day (Seoul), oldest first, `DAYS` days.
    pub daily_sales: Vec<Point>,
    /// Paid orders per day.
    pub daily_orders: Vec<Point>,
    pub orders_by_status: Vec<Point>,
    pub top_products: Vec<Point>,
    pub top_sellers: Vec<Point>,
    pub signups: Vec<Point>,
    pub partitions: Vec<PartitionStatus>,
}

/// A partitioned table and how far ahead its monthly partitions reach.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PartitionStatus {
    pub table: String,
    pub partitions: i64,
    /// `YYYY-MM` of the oldest and the newest month covered.
    pub oldest: Option<String>,
    pub newest: Option<String>,
}

/// `/seller` for an approved seller.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SellerDashboard {
    pub sales_today: i64,
    pub sales_month: i64,
    /// Paid orders waiting to be prepared.
    pub to_prepare: i64,
    /// SKUs at or under their threshold (the console home lists them, `LowStockAlerts`).
    pub low_stock_total: i64,
    pub notices: Vec<NoticeView>,
    pub daily_sales: Vec<Point>,
}

//! Stock operations. Every change is one guarded UPDATE on the SKU's inventory row:
//!
//! ```sql
//! UPDATE inventory SET stock = stock + $ds, reserved = reserved + $dr
//! WHERE sku_id = $1 AND stock + $ds >= 0 AND reserved + $dr >= 0
//!   AND stock + $ds >= reserved + $dr
//! ```
//!
//! so `stock ≥ 0` and `0 ≤ reserved ≤ stock` hold under any concurrency (the table's CHECKs
//! back this up). A transaction that touches several SKUs locks them in ascending id order, so
//! two of them never wait on each other. Each change writes a stock movement and an outbox
//! event in the same transaction.

use super::domain::{MAX_MOVE, MAX_STOCK};
use super::{InventoryError, Item, Movement, Reservation, ReservationStatus, StockLevel};
use super::{ReservationId, SkuId};
use crate::catalog::VariantId;
use crate::identity::UserId;
use crate::platform::db::OnConstraint;
use crate::platform::outbox::{self, NewEvent};
use crate::seller::SellerId;
use serde_json::json;
use sqlx::{Connection, PgConnection, PgExecutor, PgPool};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// How long a reservation lives unless the caller says otherwise.
pub const DEFAULT_TTL: Duration = Duration::from_secs(15 * 60);

struct Change<'a> {
    sku_id: SkuId,
    d_stock: i32,
    d_reserved: i32,
    movement_type: &'a str,
    quantity: i32,
    reason: Option<&'a str>,
    reference: Option<&'a str>,
    actor: Option<UserId>,
}

/// Applies one guarded change and records its movement, in one statement so a hot SKU's row
/// is locked for as short a time as possible. `None` if the guard refused it.
async fn apply(conn: &mut PgConnection, c: Change<'_>) -> Result<Option<(i32, i32)>, sqlx::Error> {
    sqlx::query_as(
        "WITH u AS (
             UPDATE inventory SET stock = stock + $2, reserved = reserved + $3, updated_at = now()
             WHERE sku_id = $1 AND stock::bigint + $2 >= 0 AND reserved::bigint + $3 >= 0
               AND stock::bigint + $2 >= reserved::bigint + $3 AND stock::bigint + $2 <= $4
             RETURNING stock, reserved),
         m AS (
             INSERT INTO stock_movements (sku_id, movement_type, quantity, stock_before,
                 stock_after, reserved_before, reserved_after, reason, reference, actor_id)
             SELECT $1, $5, $6, stock - $2, stock, reserved - $3, reserved, $7, $8, $9 FROM u)
         SELECT stock, reserved FROM u",
    )
    .bind(c.sku_id)
    .bind(c.d_stock)
    .bind(c.d_reserved)
    .bind(MAX_STOCK)
    .bind(c.movement_type)
    .bind(c.quantity)
    .bind(c.reason)
    .bind(c.reference)
    .bind(c.actor)
    .fetch_optional(&mut *conn)
    .await
}

async fn stock_updated(
    conn: &mut PgConnection,
    sku_id: SkuId,
    previous: i32,
    current: i32,
    movement: &str,
) -> Result<(), sqlx::Error> {
    outbox::enqueue(
        conn,
        NewEvent {
            event_type: "inventory.stock.updated",
            aggregate_type: "sku",
            aggregate_id: sku_id.to_string(),
            payload: json!({ "skuId": sku_id, "previousQuantity": previous,
                             "currentQuantity": current, "movementType": movement }),
        },
    )
    .await
    .map(|_| ())
}

async fn exists(conn: &mut PgConnection, sku_id: SkuId) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM inventory WHERE sku_id = $1)")
        .bind(sku_id)
        .fetch_one(&mut *conn)
        .await
}

/// Creates a SKU with an empty inventory row.
/// A code the seller already uses is `CodeTaken`; another seller's codes do not matter.
pub async fn create_sku(
    conn: &mut PgConnection,
    seller_id: SellerId,
    code: &str,
    name: &str,
) -> Result<SkuId, InventoryError> {
    let id: SkuId = sqlx::query_scalar(
        "INSERT INTO skus (seller_id, code, name) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(seller_id)
    .bind(code)
    .bind(name)
    .fetch_one(&mut *conn)
    .await
    .on_constraint(|c| (c == "skus_seller_code_key").then_some(InventoryError::CodeTaken))?;
    sqlx::query("INSERT INTO inventory (sku_id) VALUES ($1)")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// A new SKU with its opening stock (REST `POST /skus`), in one transaction.
pub async fn create_sku_with_stock(
    db: &PgPool,
    seller: SellerId,
    new: &super::domain::NewSku,
    actor: Option<UserId>,
) -> Result<StockLevel, InventoryError> {
    let mut tx = db.begin().await?;
    let id = create_sku(&mut tx, seller, &new.code, &new.name).await?;
    if new.initial_stock > 0 {
        receive_in(&mut tx, id, new.initial_stock, Some("initial stock"), actor).await?;
    }
    tx.commit().await?;
    level(db, id).await
}

/// Goods arrived: stock goes up.
pub async fn receive(
    db: &PgPool,
    sku_id: SkuId,
    quantity: i32,
    reference: Option<&str>,
    actor: Option<UserId>,
) -> Result<StockLevel, InventoryError> {
    let mut tx = db.begin().await?;
    receive_in(&mut tx, sku_id, quantity, reference, actor).await?;
    tx.commit().await?;
    level(db, sku_id).await
}

/// `receive` inside the caller's transaction (e.g. stock entered with a new product).
pub async fn receive_in(
    conn: &mut PgConnection,
    sku_id: SkuId,
    quantity: i32,
    reference: Option<&str>,
    actor: Option<UserId>,
) -> Result<(), InventoryError> {
    if quantity <= 0 {
        return Err(InventoryError::BadQuantity);
    }
    if quantity > MAX_MOVE {
        return Err(InventoryError::QuantityTooLarge);
    }
    let reference = crate::identity::domain::optional_text("reference", reference, 255)?;
    let reference = reference.as_deref();
    let applied = apply(
        conn,
        Change {
            sku_id,
            d_stock: quantity,
            d_reserved: 0,
            movement_type: "in",
            quantity,
            reason: None,
            reference,
            actor,
        },
    )
    .await?;
    let Some((stock, _)) = applied else {
        return Err(if exists(conn, sku_id).await? {
            InventoryError::QuantityTooLarge
        } else {
            InventoryError::NotFound
        });
    };
    stock_updated(conn, sku_id, stock - quantity, stock, "in").await?;
    Ok(())
}

/// Corrects stock by `delta` (a count, damage, ...). A reason is required; stock may not drop
/// below what is reserved.
pub async fn adjust(
    db: &PgPool,
    sku_id: SkuId,
    delta: i32,
    reason: &str,
    actor: Option<UserId>,
) -> Result<StockLevel, InventoryError> {
    if delta == 0 {
        return Err(InventoryError::BadQuantity);
    }
    if delta.unsigned_abs() > MAX_MOVE as u32 {
        return Err(InventoryError::QuantityTooLarge);
    }
    let mut tx = db.begin().await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM inventory WHERE sku_id = $1)")
            .bind(sku_id)
            .fetch_one(&mut *tx)
            .await?;
    if !exists {
        return Err(InventoryError::NotFound);
    }
    let (stock, _) = apply(
        &mut tx,
        Change {
            sku_id,
            d_stock: delta,
            d_reserved: 0,
            movement_type: "adjusted",
            quantity: delta,
            reason: Some(reason),
            reference: None,
            actor,
        },
    )
    .await?
    .ok_or(if delta > 0 {
        InventoryError::QuantityTooLarge
    } else {
        InventoryError::BelowReserved
    })?;
    stock_updated(&mut tx, sku_id, stock - delta, stock, "adjusted").await?;
    tx.commit().await?;
    level(db, sku_id).await
}

/// Adds to a SKU's demand; a sum beyond `i32` is a quantity no stock can meet.
fn add_demand(
    need: &mut BTreeMap<SkuId, i32>,
    sku: SkuId,
    qty: Option<i32>,
) -> Result<(), InventoryError> {
    let entry = need.entry(sku).or_default();
    *entry = qty
        .and_then(|q| entry.checked_add(q))
        .ok_or(InventoryError::QuantityTooLarge)?;
    Ok(())
}

/// Units wanted per SKU, in ascending SKU order: the order rows are locked in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Demand(BTreeMap<SkuId, i32>);

impl Demand {
    pub fn lines(&self) -> Vec<(SkuId, i32)> {
        self.0.iter().map(|(&s, &q)| (s, q)).collect()
    }
}

/// Sums the demand per SKU, expanding variants through their SKU mappings (a bundle option
/// needs each of its SKUs times its quantity), in one query for all the items. Also returns
/// the active holds on those SKUs that have run out.
async fn demand_of(
    db: impl PgExecutor<'_>,
    items: &[(Item, i32)],
) -> Result<(Demand, Vec<ReservationId>), InventoryError> {
    let mut skus: Vec<SkuId> = Vec::new();
    let mut variants: Vec<VariantId> = Vec::new();
    for &(item, qty) in items {
        if qty <= 0 {
            return Err(InventoryError::BadQuantity);
        }
        if qty > MAX_MOVE {
            return Err(InventoryError::QuantityTooLarge);
        }
        match item {
            Item::Sku(sku) => skus.push(sku),
            Item::Variant(variant) => variants.push(variant),
        }
    }
    // (item, sku, units of the SKU per unit of the item, due holds on the SKU); a SKU stands
    // for itself. Due holds are found from the due side (a partial index), never through a
    // popular SKU's every settled line.
    let rows: Vec<(uuid::Uuid, SkuId, i32, Vec<ReservationId>)> = sqlx::query_as(
        "WITH m AS (
             SELECT sku_id AS item, sku_id, 1 AS units FROM inventory WHERE sku_id = ANY($1)
             UNION ALL
             SELECT variant_id, sku_id, quantity FROM sku_mappings WHERE variant_id = ANY($2)),
         due AS MATERIALIZED (
             SELECT id FROM reservations
             WHERE status = 'ACTIVE' AND expires_at <= clock_timestamp())
         SELECT m.item, m.sku_id, m.units,
                ARRAY(SELECT l.reservation_id FROM due
                      JOIN reservation_lines l ON l.reservation_id = due.id
                      WHERE l.sku_id = m.sku_id)
         FROM m",
    )
    .bind(&skus)
    .bind(&variants)
    .fetch_all(db)
    .await?;
    let mut per: HashMap<uuid::Uuid, Vec<(SkuId, i32)>> = HashMap::new();
    let mut due: Vec<ReservationId> = Vec::new();
    for (item, sku, units, held) in rows {
        per.entry(item).or_default().push((sku, units));
        due.extend(held);
    }
    due.sort();
    due.dedup();
    let mut need: BTreeMap<SkuId, i32> = BTreeMap::new();
    for &(item, qty) in items {
        let key = match item {
            Item::Sku(s) => s.0,
            Item::Variant(v) => v.0,
        };
        let maps = per.get(&key).ok_or(InventoryError::UnknownItem)?;
        for &(sku, units) in maps {
            add_demand(&mut need, sku, units.checked_mul(qty))?;
        }
    }
    if need.is_empty() {
        return Err(InventoryError::BadQuantity);
    }
    Ok((Demand(need), due))
}

/// What `items` need per SKU, with any hold on those SKUs that has run out given back first,
/// so the guards that follow see every free unit. Call it before the transaction that takes
/// the stock ([`record_hold`] and [`take_hold`], or [`sell_in`]). Expired holds are settled in
/// short transactions of their own on `conn`, which must not be in one.
pub async fn demand(
    conn: &mut PgConnection,
    items: &[(Item, i32)],
) -> Result<Demand, InventoryError> {
    let (need, due) = demand_of(&mut *conn, items).await?;
    for id in due {
        match settle_on(conn, id, Settle::Expire, None).await {
            Ok(()) | Err(InventoryError::NotActive) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(need)
}

/// The most lines one reservation may hold.
pub const MAX_LINES: usize = 100;
/// The longest a reservation made through the API may hold stock.
pub const MAX_TTL: Duration = Duration::from_secs(60 * 60);

/// Who may hold stock through the API: a seller for their own SKUs, or an admin for any.
/// Shoppers reserve only through checkout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    Seller(SellerId),
    Admin,
}

/// Reserves for an API caller: bounded lines and TTL, the caller's own SKUs only, and
/// variants only while their product is on sale. Someone else's item looks missing.
pub async fn reserve_for(
    db: &PgPool,
    holder: Holder,
    reference: &str,
    items: &[(Item, i32)],
    ttl: Duration,
    actor: Option<UserId>,
) -> Result<Reservation, InventoryError> {
    if items.len() > MAX_LINES {
        return Err(InventoryError::TooManyLines);
    }
    if ttl.is_zero() || ttl > MAX_TTL {
        return Err(InventoryError::BadTtl);
    }
    let skus: Vec<SkuId> = items
        .iter()
        .filter_map(|(i, _)| match i {
            Item::Sku(s) => Some(*s),
            Item::Variant(_) => None,
        })
        .collect();
    let variants: Vec<VariantId> = items
        .iter()
        .filter_map(|(i, _)| match i {
            Item::Variant(v) => Some(*v),
            Item::Sku(_) => None,
        })
        .collect();
    let seller = match holder {
        Holder::Seller(s) => Some(s),
        Holder::Admin => None,
    };
    // Every SKU named (directly or through a variant) must be the seller's, and every variant
    // on offer in a product on sale.
    let refused: bool = sqlx::query_scalar(
        "SELECT EXISTS (
             SELECT 1 FROM unnest($1::uuid[]) AS x(id) LEFT JOIN skus s ON s.id = x.id
             WHERE s.id IS NULL OR ($3::uuid IS NOT NULL AND s.seller_id <> $3)
         ) OR EXISTS (
             SELECT 1 FROM unnest($2::uuid[]) AS x(id)
             LEFT JOIN product_variants v ON v.id = x.id
             LEFT JOIN products p ON p.id = v.product_id
             WHERE v.id IS NULL OR NOT v.is_active OR p.status <> 'active'
                OR p.deleted_at IS NOT NULL OR ($3::uuid IS NOT NULL AND p.seller_id <> $3)
                OR EXISTS (SELECT 1 FROM sku_mappings m JOIN skus s ON s.id = m.sku_id
                           WHERE m.variant_id = v.id AND $3::uuid IS NOT NULL AND s.seller_id <> $3)
         )",
    )
    .bind(&skus)
    .bind(&variants)
    .bind(seller)
    .fetch_one(db)
    .await?;
    if refused {
        return Err(InventoryError::UnknownItem);
    }
    reserve(db, reference, items, ttl, actor).await
}

/// Reserves all lines or none, for `ttl`.
pub async fn reserve(
    db: &PgPool,
    reference: &str,
    items: &[(Item, i32)],
    ttl: Duration,
    actor: Option<UserId>,
) -> Result<Reservation, InventoryError> {
    reserve_in(&mut *db.acquire().await?, reference, items, ttl, actor).await
}

/// `reserve` on `conn`: in a transaction of its own, or, if `conn` is in one already, in a
/// savepoint of it, so a refused hold leaves nothing behind either way.
pub async fn reserve_in(
    conn: &mut PgConnection,
    reference: &str,
    items: &[(Item, i32)],
    ttl: Duration,
    actor: Option<UserId>,
) -> Result<Reservation, InventoryError> {
    let need = demand(&mut *conn, items).await?;
    let mut tx = conn.begin().await?;
    let reservation = record_hold(&mut tx, reference, &need, ttl, actor).await?;
    take_hold(&mut tx, &reservation, actor).await?;
    tx.commit().await?;
    Ok(reservation)
}

/// Writes a hold (its row, its lines and its event) in the caller's transaction, without
/// touching stock yet: [`take_hold`] does that, as late in the transaction as it can.
pub async fn record_hold(
    conn: &mut PgConnection,
    reference: &str,
    need: &Demand,
    ttl: Duration,
    actor: Option<UserId>,
) -> Result<Reservation, InventoryError> {
    let lines = need.lines();
    let (skus, qtys): (Vec<SkuId>, Vec<i32>) = lines.iter().copied().unzip();
    let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
    let (id, expires_at): (ReservationId, chrono::DateTime<chrono::Utc>) = sqlx::query_as(
        "WITH r AS (
             INSERT INTO reservations (reference, expires_at, created_by)
             VALUES ($1, clock_timestamp() + make_interval(secs => $2::float8 / 1000), $3)
             RETURNING id, expires_at),
         l AS (
             INSERT INTO reservation_lines (reservation_id, sku_id, quantity)
             SELECT r.id, x.sku, x.qty FROM r, unnest($4::uuid[], $5::int[]) AS x(sku, qty))
         SELECT id, expires_at FROM r",
    )
    .bind(reference)
    .bind(ttl_ms as f64)
    .bind(actor)
    .bind(&skus)
    .bind(&qtys)
    .fetch_one(&mut *conn)
    .await?;
    outbox::enqueue(
        conn,
        NewEvent {
            event_type: "inventory.stock.reserved",
            aggregate_type: "reservation",
            aggregate_id: id.to_string(),
            payload: json!({ "reservationId": id, "orderId": reference,
                             "lines": lines.iter().map(|(s, q)| json!({"skuId": s, "quantity": q})).collect::<Vec<_>>() }),
        },
    )
    .await?;
    Ok(Reservation {
        id,
        reference: reference.to_owned(),
        status: ReservationStatus::Active,
        expires_at,
        lines,
    })
}

/// Holds a recorded reservation's units: one guarded UPDATE per SKU, in SKU order, all or
/// none (on `Insufficient` the caller must roll back). It locks the SKUs' rows until the
/// transaction ends, so call it last.
pub async fn take_hold(
    conn: &mut PgConnection,
    reservation: &Reservation,
    actor: Option<UserId>,
) -> Result<(), InventoryError> {
    for &(sku_id, qty) in &reservation.lines {
        let ok = apply(
            conn,
            Change {
                sku_id,
                d_stock: 0,
                d_reserved: qty,
                movement_type: "reserved",
                quantity: qty,
                reason: None,
                reference: Some(&reservation.reference),
                actor,
            },
        )
        .await?;
        if ok.is_none() {
            return Err(InventoryError::Insufficient { sku_id });
        }
    }
    Ok(())
}

/// Sells the units at once, with no hold in between (an order paid in full as it is placed):
/// each SKU's free stock goes down, all or none (on `Insufficient` the caller must roll back),
/// with its movement and event, one statement per SKU. It locks the SKUs' rows until the
/// transaction ends, so call it last.
pub async fn sell_in(
    conn: &mut PgConnection,
    need: &Demand,
    reference: &str,
    actor: Option<UserId>,
) -> Result<(), InventoryError> {
    for (sku_id, qty) in need.lines() {
        let sold: Option<i32> = sqlx::query_scalar(
            "WITH u AS (
                 UPDATE inventory SET stock = stock - $2, updated_at = now()
                 WHERE sku_id = $1 AND stock::bigint - $2 >= reserved
                 RETURNING stock, reserved),
             m AS (
                 INSERT INTO stock_movements (sku_id, movement_type, quantity, stock_before,
                     stock_after, reserved_before, reserved_after, reference, actor_id)
                 SELECT $1, 'out', $2, stock + $2, stock, reserved, reserved, $3, $4 FROM u),
             e AS (
                 INSERT INTO outbox_events (event_type, aggregate_type, aggregate_id, payload)
                 SELECT 'inventory.stock.updated', 'sku', $1::text,
                        jsonb_build_object('skuId', $1, 'previousQuantity', stock + $2,
                                           'currentQuantity', stock, 'movementType', 'out')
                 FROM u)
             SELECT stock FROM u",
        )
        .bind(sku_id)
        .bind(qty)
        .bind(reference)
        .bind(actor)
        .fetch_optional(&mut *conn)
        .await?;
        if sold.is_none() {
            return Err(InventoryError::Insufficient { sku_id });
        }
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Settle {
    Release,
    Commit,
    Expire,
}

/// Moves an ACTIVE reservation to its final state exactly once. The status check and change
/// are one UPDATE on the reservation row, so a commit and an expiry racing each other cannot
/// both happen: the second finds the row no longer ACTIVE.
async fn settle(
    db: &PgPool,
    id: ReservationId,
    how: Settle,
    actor: Option<UserId>,
) -> Result<(), InventoryError> {
    settle_on(&mut *db.acquire().await?, id, how, actor).await
}

/// `settle` in a transaction of its own on `conn`.
async fn settle_on(
    conn: &mut PgConnection,
    id: ReservationId,
    how: Settle,
    actor: Option<UserId>,
) -> Result<(), InventoryError> {
    let mut tx = conn.begin().await?;
    settle_in(&mut tx, id, how, actor).await?;
    tx.commit().await?;
    Ok(())
}

/// `settle` inside the caller's transaction.
async fn settle_in(
    tx: &mut PgConnection,
    id: ReservationId,
    how: Settle,
    actor: Option<UserId>,
) -> Result<(), InventoryError> {
    let (status, time_guard) = match how {
        Settle::Release => (ReservationStatus::Released, "TRUE"),
        Settle::Commit => (
            ReservationStatus::Committed,
            "expires_at > clock_timestamp()",
        ),
        Settle::Expire => (
            ReservationStatus::Expired,
            "expires_at <= clock_timestamp()",
        ),
    };
    let reference: Option<String> = sqlx::query_scalar(&format!(
        "UPDATE reservations SET status = $2, settled_at = now()
         WHERE id = $1 AND status = 'ACTIVE' AND {time_guard} RETURNING reference"
    ))
    .bind(id)
    .bind(status)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(reference) = reference else {
        return Err(InventoryError::NotActive);
    };
    let lines: Vec<(SkuId, i32)> = sqlx::query_as(
        "SELECT sku_id, quantity FROM reservation_lines WHERE reservation_id = $1 ORDER BY sku_id",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    for &(sku_id, qty) in &lines {
        let (d_stock, movement_type, reason) = match how {
            Settle::Commit => (-qty, "out", None),
            Settle::Release => (0, "released", None),
            Settle::Expire => (0, "released", Some("expired")),
        };
        let (stock, _) = apply(
            tx,
            Change {
                sku_id,
                d_stock,
                d_reserved: -qty,
                movement_type,
                quantity: qty,
                reason,
                reference: Some(&reference),
                actor,
            },
        )
        .await?
        // The reservation held these units, so the guard cannot refuse; if it did, the books
        // are already wrong and we must not hide it.
        .ok_or_else(|| {
            InventoryError::Db(sqlx::Error::Protocol(format!(
                "reservation {id} over-released {sku_id}"
            )))
        })?;
        if how == Settle::Commit {
            stock_updated(tx, sku_id, stock + qty, stock, "out").await?;
        }
    }
    if how != Settle::Commit {
        outbox::enqueue(
            tx,
            NewEvent {
                event_type: "inventory.stock.released",
                aggregate_type: "reservation",
                aggregate_id: id.to_string(),
                payload: json!({ "reservationId": id, "orderId": reference, "reason": status }),
            },
        )
        .await?;
    }
    Ok(())
}

/// Gives the units back (order cancelled, hold dropped).
pub async fn release(
    db: &PgPool,
    id: ReservationId,
    actor: Option<UserId>,
) -> Result<(), InventoryError> {
    settle(db, id, Settle::Release, actor).await
}

/// Releases for an API caller: only the reservation's creator, or an admin. Anyone else's
/// looks missing.
pub async fn release_for(
    db: &PgPool,
    id: ReservationId,
    caller: UserId,
    admin: bool,
) -> Result<(), InventoryError> {
    let creator: Option<Option<UserId>> =
        sqlx::query_scalar("SELECT created_by FROM reservations WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?;
    match creator {
        Some(c) if c == Some(caller) || admin => release(db, id, Some(caller)).await,
        _ => Err(InventoryError::NotFound),
    }
}

/// The units leave the warehouse (order paid). Fails if the reservation already expired.
pub async fn commit(
    db: &PgPool,
    id: ReservationId,
    actor: Option<UserId>,
) -> Result<(), InventoryError> {
    settle(db, id, Settle::Commit, actor).await
}

/// `commit` inside the caller's transaction: an order is paid and its units leave together.
/// Touch it last in the transaction, as it locks the SKUs' rows.
pub async fn commit_in(
    conn: &mut PgConnection,
    id: ReservationId,
    actor: Option<UserId>,
) -> Result<(), InventoryError> {
    settle_in(conn, id, Settle::Commit, actor).await
}

/// Holds an active reservation until `until` (a virtual account waits for its deposit).
pub async fn extend_in(
    conn: &mut PgConnection,
    id: ReservationId,
    until: chrono::DateTime<chrono::Utc>,
) -> Result<(), InventoryError> {
    let done = sqlx::query(
        "UPDATE reservations SET expires_at = GREATEST(expires_at, $2)
         WHERE id = $1 AND status = 'ACTIVE'",
    )
    .bind(id)
    .bind(until)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(InventoryError::NotActive);
    }
    Ok(())
}

/// `release` inside the caller's transaction.
pub async fn release_in(
    conn: &mut PgConnection,
    id: ReservationId,
    actor: Option<UserId>,
) -> Result<(), InventoryError> {
    settle_in(conn, id, Settle::Release, actor).await
}

/// Units of sold variants come back (a cancelled or refunded order): stock goes up by what
/// each variant's SKUs hold, with a movement that says why.
pub async fn return_in(
    conn: &mut PgConnection,
    items: &[(VariantId, i32)],
    reference: &str,
    actor: Option<UserId>,
) -> Result<(), InventoryError> {
    let lines: Vec<(Item, i32)> = items.iter().map(|(v, q)| (Item::Variant(*v), *q)).collect();
    for (sku_id, qty) in demand_of(&mut *conn, &lines).await?.0.lines() {
        let (stock, _) = apply(
            conn,
            Change {
                sku_id,
                d_stock: qty,
                d_reserved: 0,
                movement_type: "in",
                quantity: qty,
                reason: Some("returned"),
                reference: Some(reference),
                actor,
            },
        )
        .await?
        .ok_or(InventoryError::QuantityTooLarge)?;
        stock_updated(conn, sku_id, stock - qty, stock, "in").await?;
    }
    Ok(())
}

/// Expires one reservation if it is due.
pub async fn expire(db: &PgPool, id: ReservationId) -> Result<(), InventoryError> {
    settle(db, id, Settle::Expire, None).await
}

/// Expires due reservations (the periodic job). Returns how many it expired.
pub async fn expire_due(db: &PgPool, limit: i64) -> Result<usize, InventoryError> {
    let due: Vec<ReservationId> = sqlx::query_scalar(
        "SELECT id FROM reservations WHERE status = 'ACTIVE' AND expires_at <= clock_timestamp()
         ORDER BY expires_at LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    let mut n = 0;
    for id in due {
        match expire(db, id).await {
            Ok(()) => n += 1,
            Err(InventoryError::NotActive) => {} // settled meanwhile
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Stock levels, counting units held by reservations that have run out as available again
/// even before the expiry job releases them.
pub async fn levels(db: &PgPool, skus: &[SkuId]) -> Result<Vec<StockLevel>, InventoryError> {
    Ok(sqlx::query_as(
        // Due holds first (a partial index), never a popular SKU's every settled line.
        "WITH due AS MATERIALIZED (
             SELECT id FROM reservations
             WHERE status = 'ACTIVE' AND expires_at <= clock_timestamp())
         SELECT i.sku_id, i.stock, i.reserved - COALESCE(x.held, 0)::int AS reserved,
                i.available + COALESCE(x.held, 0)::int AS available, i.low_stock_threshold
         FROM inventory i
         LEFT JOIN (
             SELECT l.sku_id, SUM(l.quantity) AS held
             FROM due JOIN reservation_lines l ON l.reservation_id = due.id
             WHERE l.sku_id = ANY($1)
             GROUP BY l.sku_id
         ) x ON x.sku_id = i.sku_id
         WHERE i.sku_id = ANY($1)
         ORDER BY i.sku_id",
    )
    .bind(skus)
    .fetch_all(db)
    .await?)
}

pub async fn level(db: &PgPool, sku_id: SkuId) -> Result<StockLevel, InventoryError> {
    levels(db, &[sku_id])
        .await?
        .into_iter()
        .next()
        .ok_or(InventoryError::NotFound)
}

/// How many of each variant can be sold now: the minimum over its SKUs of
/// floor(available / quantity per unit).
pub async fn variant_availability(
    db: impl PgExecutor<'_>,
    variants: &[VariantId],
) -> Result<Vec<(VariantId, i32)>, InventoryError> {
    let per: Vec<(VariantId, i32)> = sqlx::query_as(&format!(
        "WITH {DUE_HOLDS}
         SELECT v.id, COALESCE({SELLABLE}, 0) FROM product_variants v WHERE v.id = ANY($1)"
    ))
    .bind(variants)
    .fetch_all(db)
    .await?;
    let out: BTreeMap<VariantId, i32> = per.into_iter().collect();
    Ok(variants
        .iter()
        .map(|v| (*v, out.get(v).copied().unwrap_or(0)))
        .collect())
}

/// SQL: a CTE `due` of the holds that have run out but still count in `reserved`, found from
/// the due side (a partial index). [`SELLABLE`] needs it.
pub const DUE_HOLDS: &str = "due AS MATERIALIZED (
    SELECT id FROM reservations WHERE status = 'ACTIVE' AND expires_at <= clock_timestamp())";

/// SQL: how many of the variant `v` can be sold now, the minimum over its SKUs of
/// floor(available / quantity per unit), counting held units whose hold has run out as free
/// (as `levels` does); NULL for a variant with no SKU. Needs [`DUE_HOLDS`].
pub const SELLABLE: &str = "(SELECT MIN((COALESCE(i.available, 0) + COALESCE((
        SELECT SUM(l.quantity) FROM due JOIN reservation_lines l ON l.reservation_id = due.id
        WHERE l.sku_id = m.sku_id), 0))::int / m.quantity)::int
    FROM sku_mappings m LEFT JOIN inventory i ON i.sku_id = m.sku_id
    WHERE m.variant_id = v.id)";

/// Rows per page of the stock console.
pub const STOCK_PAGE: i64 = 50;

/// The seller's SKUs by code, a page at a time, optionally only those whose code or name
/// contains `q`.
pub async fn seller_stock(
    db: &PgPool,
    seller: SellerId,
    q: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<super::StockList, InventoryError> {
    let pattern = q.map(str::trim).filter(|q| !q.is_empty()).map(|q| {
        format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    });
    let mut items: Vec<super::SkuStock> = sqlx::query_as(
        "SELECT k.id AS sku_id, k.code, k.name, i.stock, i.reserved, i.available, i.low_stock_threshold
         FROM skus k JOIN inventory i ON i.sku_id = k.id
         WHERE k.seller_id = $1 AND ($2::text IS NULL OR k.code ILIKE $2 OR k.name ILIKE $2)
           AND ($3::text IS NULL OR k.code > $3)
         ORDER BY k.code LIMIT $4",
    )
    .bind(seller)
    .bind(pattern)
    .bind(after)
    .bind(limit + 1)
    .fetch_all(db)
    .await?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|s| s.code.clone())
    } else {
        None
    };
    Ok(super::StockList { items, next })
}

/// SKUs at or below their low-stock threshold, least available first, and how many there are.
pub async fn low_stock(
    db: &PgPool,
    seller: SellerId,
    limit: i64,
) -> Result<(i64, Vec<super::SkuStock>), InventoryError> {
    let count: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM skus k JOIN inventory i ON i.sku_id = k.id
         WHERE k.seller_id = $1 AND i.available <= i.low_stock_threshold",
    )
    .bind(seller)
    .fetch_one(db)
    .await?;
    let items = sqlx::query_as(
        "SELECT k.id AS sku_id, k.code, k.name, i.stock, i.reserved, i.available, i.low_stock_threshold
         FROM skus k JOIN inventory i ON i.sku_id = k.id
         WHERE k.seller_id = $1 AND i.available <= i.low_stock_threshold
         ORDER BY i.available, k.code LIMIT $2",
    )
    .bind(seller)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok((count, items))
}

/// One SKU of the seller's, with its stock.
pub async fn sku_stock(
    db: &PgPool,
    seller: SellerId,
    sku: SkuId,
) -> Result<Option<super::SkuStock>, InventoryError> {
    Ok(sqlx::query_as(
        "SELECT k.id AS sku_id, k.code, k.name, i.stock, i.reserved, i.available, i.low_stock_threshold
         FROM skus k JOIN inventory i ON i.sku_id = k.id WHERE k.seller_id = $1 AND k.id = $2",
    )
    .bind(seller)
    .bind(sku)
    .fetch_optional(db)
    .await?)
}

/// Whether `seller` owns `sku`: every seller-facing stock operation checks this first.
pub async fn owned_by(db: &PgPool, sku: SkuId, seller: SellerId) -> Result<bool, InventoryError> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM skus WHERE id = $1 AND seller_id = $2)")
            .bind(sku)
            .bind(seller)
            .fetch_one(db)
            .await?,
    )
}

pub async fn movements(
    db: &PgPool,
    sku_id: SkuId,
    limit: i64,
) -> Result<Vec<Movement>, InventoryError> {
    Ok(sqlx::query_as(
        "SELECT id, sku_id, movement_type, quantity, stock_before, stock_after, reserved_before,
                reserved_after, reason, reference, actor_id, created_at
         FROM stock_movements WHERE sku_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(sku_id)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

pub async fn reservation_status(
    db: &PgPool,
    id: ReservationId,
) -> Result<ReservationStatus, InventoryError> {
    sqlx::query_scalar("SELECT status FROM reservations WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or(InventoryError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use uuid::Uuid;

    /// A seller with one SKU holding `stock` units.
    async fn setup(db: &PgPool, stock: i32) -> (SellerId, SkuId) {
        let seller = crate::platform::testing::seller(db).await;
        let mut conn = db.acquire().await.unwrap();
        let sku = create_sku(
            &mut conn,
            seller,
            &format!("SKU-{}", Uuid::new_v4()),
            "Test",
        )
        .await
        .unwrap();
        if stock > 0 {
            receive(db, sku, stock, Some("PO-1"), None).await.unwrap();
        }
        (seller, sku)
    }

    async fn sku_of(db: &PgPool, seller: SellerId, stock: i32) -> SkuId {
        let mut conn = db.acquire().await.unwrap();
        let sku = create_sku(
            &mut conn,
            seller,
            &format!("SKU-{}", Uuid::new_v4()),
            "Part",
        )
        .await
        .unwrap();
        if stock > 0 {
            receive(db, sku, stock, None, None).await.unwrap();
        }
        sku
    }

    /// A variant (of a throwaway product) mapped to SKUs with quantities: a bundle option.
    async fn bundle(db: &PgPool, seller: SellerId, parts: &[(SkuId, i32)]) -> VariantId {
        let product: Uuid = sqlx::query_scalar(
            "INSERT INTO products (seller_id, name, slug, price, product_type) VALUES ($1, 'B', $2, 1000, 'BUNDLE') RETURNING id",
        )
        .bind(seller)
        .bind(format!("b-{}", Uuid::new_v4()))
        .fetch_one(db)
        .await
        .unwrap();
        let variant: VariantId = sqlx::query_scalar(
            "INSERT INTO product_variants (product_id, name) VALUES ($1, 'set') RETURNING id",
        )
        .bind(product)
        .fetch_one(db)
        .await
        .unwrap();
        for (sku, q) in parts {
            sqlx::query(
                "INSERT INTO sku_mappings (variant_id, sku_id, quantity) VALUES ($1, $2, $3)",
            )
            .bind(variant)
            .bind(sku)
            .bind(q)
            .execute(db)
            .await
            .unwrap();
        }
        variant
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn two_hundred_concurrent_reservations_never_oversell_fifty(db: PgPool) {
        let (_, sku) = setup(&db, 50).await;
        let barrier = Arc::new(tokio::sync::Barrier::new(200));
        let mut tasks = Vec::new();
        for i in 0..200 {
            let (db, barrier) = (db.clone(), barrier.clone());
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                reserve(
                    &db,
                    &format!("order-{i}"),
                    &[(Item::Sku(sku), 1)],
                    DEFAULT_TTL,
                    None,
                )
                .await
            }));
        }
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => ok += 1,
                Err(InventoryError::Insufficient { sku_id }) => assert_eq!(sku_id, sku),
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        assert_eq!(ok, 50);
        let l = level(&db, sku).await.unwrap();
        assert_eq!((l.stock, l.reserved, l.available), (50, 50, 0));
        let (active, lines): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM reservations WHERE status = 'ACTIVE'),
                    (SELECT COALESCE(SUM(quantity), 0) FROM reservation_lines)",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(
            (active, lines),
            (50, 50),
            "reserved units = units on reservations"
        );
        let reserved_moves: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM stock_movements WHERE movement_type = 'reserved'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(reserved_moves, 50);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn bundles_sharing_a_sku_are_summed_in_one_reservation(db: PgPool) {
        let (seller, shared) = setup(&db, 4).await;
        let other = sku_of(&db, seller, 10).await;
        let a = bundle(&db, seller, &[(shared, 2), (other, 1)]).await;
        let b = bundle(&db, seller, &[(shared, 2)]).await;
        let r = reserve(
            &db,
            "o1",
            &[(Item::Variant(a), 1), (Item::Variant(b), 1)],
            DEFAULT_TTL,
            None,
        )
        .await
        .unwrap();
        let mut expected = vec![(shared, 4), (other, 1)];
        expected.sort();
        assert_eq!(
            r.lines, expected,
            "one line per SKU with the summed quantity"
        );
        assert_eq!(level(&db, shared).await.unwrap().reserved, 4);
        release(&db, r.id, None).await.unwrap();

        // One more unit than there is: the whole reservation fails and nothing stays reserved.
        let c = bundle(&db, seller, &[(shared, 1)]).await;
        let err = reserve(
            &db,
            "o2",
            &[
                (Item::Variant(a), 1),
                (Item::Variant(b), 1),
                (Item::Variant(c), 1),
            ],
            DEFAULT_TTL,
            None,
        )
        .await
        .unwrap_err();
        assert!(matches!(err, InventoryError::Insufficient { sku_id } if sku_id == shared));
        assert_eq!(level(&db, shared).await.unwrap().reserved, 0);
        assert_eq!(
            level(&db, other).await.unwrap().reserved,
            0,
            "all or nothing"
        );
        let avail = variant_availability(&db, &[a, b, c]).await.unwrap();
        assert_eq!(
            avail,
            vec![(a, 2), (b, 2), (c, 4)],
            "min over SKUs of floor(available/qty)"
        );
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn expiry_racing_a_commit_never_does_both(db: PgPool) {
        let (_, sku) = setup(&db, 1000).await;
        let mut committed = 0;
        let mut expired = 0;
        for round in 0..40 {
            let r = reserve(
                &db,
                &format!("race-{round}"),
                &[(Item::Sku(sku), 3)],
                Duration::from_millis(40),
                None,
            )
            .await
            .unwrap();
            // Fire both right around the expiry instant.
            tokio::time::sleep(Duration::from_millis(30 + (round % 20))).await;
            let (c, e) = tokio::join!(commit(&db, r.id, None), expire(&db, r.id));
            assert!(
                !(c.is_ok() && e.is_ok()),
                "round {round}: committed and expired"
            );
            match reservation_status(&db, r.id).await.unwrap() {
                ReservationStatus::Committed => {
                    assert!(c.is_ok());
                    committed += 1;
                }
                ReservationStatus::Expired => {
                    assert!(e.is_ok());
                    expired += 1;
                }
                ReservationStatus::Active => {
                    // Neither won this instant; the job will expire it later.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    expire(&db, r.id).await.unwrap();
                    expired += 1;
                }
                other => panic!("{other:?}"),
            }
        }
        let l = level(&db, sku).await.unwrap();
        assert_eq!(l.reserved, 0, "nothing left reserved");
        assert_eq!(
            l.stock,
            1000 - 3 * committed,
            "stock went out once per commit"
        );
        assert_eq!(committed + expired, 40);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn expired_holds_are_available_again_before_the_job_runs(db: PgPool) {
        let (_, sku) = setup(&db, 2).await;
        let r = reserve(
            &db,
            "short",
            &[(Item::Sku(sku), 2)],
            // Long enough that a loaded machine still reads it before it expires.
            Duration::from_millis(1000),
            None,
        )
        .await
        .unwrap();
        assert_eq!(level(&db, sku).await.unwrap().available, 0);
        tokio::time::sleep(Duration::from_millis(1200)).await;
        assert_eq!(
            level(&db, sku).await.unwrap().available,
            2,
            "lazy expiry on read"
        );
        // A new reservation may use them; the old one is expired on the way.
        reserve(&db, "next", &[(Item::Sku(sku), 2)], DEFAULT_TTL, None)
            .await
            .unwrap();
        assert_eq!(
            reservation_status(&db, r.id).await.unwrap(),
            ReservationStatus::Expired
        );
        assert!(matches!(
            commit(&db, r.id, None).await,
            Err(InventoryError::NotActive)
        ));
        assert_eq!(expire_due(&db, 100).await.unwrap(), 0);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn receive_adjust_and_movements_keep_the_books(db: PgPool) {
        let (_, sku) = setup(&db, 10).await;
        let r = reserve(&db, "o", &[(Item::Sku(sku), 4)], DEFAULT_TTL, None)
            .await
            .unwrap();
        assert!(matches!(
            adjust(&db, sku, -7, "count", None).await,
            Err(InventoryError::BelowReserved)
        ));
        assert_eq!(
            adjust(&db, sku, -6, "broken in transit", None)
                .await
                .unwrap()
                .stock,
            4
        );
        commit(&db, r.id, None).await.unwrap();
        assert!(matches!(
            release(&db, r.id, None).await,
            Err(InventoryError::NotActive)
        ));
        let l = level(&db, sku).await.unwrap();
        assert_eq!((l.stock, l.reserved), (0, 0));
        assert!(matches!(
            receive(&db, sku, 0, None, None).await,
            Err(InventoryError::BadQuantity)
        ));
        let moves = movements(&db, sku, 10).await.unwrap();
        let kinds: Vec<_> = moves
            .iter()
            .rev()
            .map(|m| m.movement_type.as_str())
            .collect();
        assert_eq!(kinds, vec!["in", "reserved", "adjusted", "out"]);
        let out = &moves[0];
        assert_eq!(
            (
                out.stock_before,
                out.stock_after,
                out.reserved_before,
                out.reserved_after
            ),
            (4, 0, 4, 0)
        );
        assert_eq!(moves[1].reason.as_deref(), Some("broken in transit"));
        let events: Vec<String> =
            sqlx::query_scalar("SELECT event_type FROM outbox_events ORDER BY id")
                .fetch_all(&db)
                .await
                .unwrap();
        assert_eq!(
            events,
            vec![
                "inventory.stock.updated",
                "inventory.stock.reserved",
                "inventory.stock.updated",
                "inventory.stock.updated"
            ]
        );
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn the_stock_console_pages_searches_and_counts_low_stock(db: PgPool) {
        let seller = crate::platform::testing::seller(&db).await;
        let other = crate::platform::testing::seller(&db).await;
        let mut conn = db.acquire().await.unwrap();
        for i in 0..7 {
            let name = if i % 2 == 0 {
                "빨간 머그"
            } else {
                "Blue_Pot 100%"
            };
            let sku = create_sku(&mut conn, seller, &format!("PG-{i:02}"), name)
                .await
                .unwrap();
            if i > 0 {
                receive_in(&mut conn, sku, i * 5, None, None).await.unwrap();
            }
        }
        create_sku(&mut conn, other, "PG-99", "빨간 머그")
            .await
            .unwrap();
        drop(conn);

        let codes = |l: &crate::inventory::StockList| {
            l.items.iter().map(|s| s.code.clone()).collect::<Vec<_>>()
        };
        let first = seller_stock(&db, seller, None, None, 3).await.unwrap();
        assert_eq!(codes(&first), ["PG-00", "PG-01", "PG-02"]);
        assert_eq!(first.next.as_deref(), Some("PG-02"));
        let last = seller_stock(&db, seller, None, Some("PG-05"), 3)
            .await
            .unwrap();
        assert_eq!(codes(&last), ["PG-06"]);
        assert_eq!(last.next, None);
        // Search by name (Korean) or code; LIKE wildcards in the search are literal.
        let red = seller_stock(&db, seller, Some("빨간"), None, 50)
            .await
            .unwrap();
        assert_eq!(codes(&red), ["PG-00", "PG-02", "PG-04", "PG-06"]);
        let pct = seller_stock(&db, seller, Some("100%"), None, 50)
            .await
            .unwrap();
        assert_eq!(pct.items.len(), 3);
        assert!(seller_stock(&db, seller, Some("_x"), None, 50)
            .await
            .unwrap()
            .items
            .is_empty());
        // Threshold 10: stock 0, 5 and 10 are low.
        let (count, low) = low_stock(&db, seller, 1).await.unwrap();
        assert_eq!(count, 3);
        assert_eq!(
            codes(&crate::inventory::StockList {
                items: low,
                next: None
            }),
            ["PG-00"]
        );
        let sku = first.items[1].sku_id;
        assert!(sku_stock(&db, seller, sku).await.unwrap().is_some());
        assert!(sku_stock(&db, other, sku).await.unwrap().is_none());
    }
}

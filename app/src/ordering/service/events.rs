//! Order events (seed 000 OrderEvents) and guarded transitions.

use crate::identity::UserId;
use crate::ordering::{ActorRole, OrderId, OrderStatus, OrderingError};
use serde_json::{json, Value};
use sqlx::PgConnection;
use uuid::Uuid;

/// Who acts on an order, and from where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub id: Option<UserId>,
    pub role: ActorRole,
    pub ip: Option<String>,
    /// Ties together the events one request causes.
    pub correlation_id: Uuid,
}

impl Actor {
    pub fn customer(id: UserId, ip: Option<String>) -> Self {
        Self {
            id: Some(id),
            role: ActorRole::Customer,
            ip,
            correlation_id: Uuid::new_v4(),
        }
    }

    pub fn seller(id: UserId, ip: Option<String>) -> Self {
        Self {
            role: ActorRole::Seller,
            ..Self::customer(id, ip)
        }
    }

    pub fn system() -> Self {
        Self {
            id: None,
            role: ActorRole::System,
            ip: None,
            correlation_id: Uuid::new_v4(),
        }
    }
}

pub struct Event<'a> {
    pub order: OrderId,
    pub number: &'a str,
    pub event_type: &'a str,
    pub from: Option<OrderStatus>,
    pub to: Option<OrderStatus>,
    pub data: Value,
}

/// Writes the event and its outbox copy in the caller's transaction.
pub async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    e: Event<'_>,
) -> Result<(), sqlx::Error> {
    record_all(conn, actor, &[e]).await
}

/// Writes the events, in order, and their outbox copies in one statement of the caller's
/// transaction.
pub async fn record_all(
    conn: &mut PgConnection,
    actor: &Actor,
    events: &[Event<'_>],
) -> Result<(), sqlx::Error> {
    let orders: Vec<OrderId> = events.iter().map(|e| e.order).collect();
    let types: Vec<&str> = events.iter().map(|e| e.event_type).collect();
    let from: Vec<Option<&str>> = events.iter().map(|e| e.from.map(|s| s.as_str())).collect();
    let to: Vec<Option<&str>> = events.iter().map(|e| e.to.map(|s| s.as_str())).collect();
    let data: Vec<Value> = events.iter().map(|e| e.data.clone()).collect();
    let numbers: Vec<&str> = events.iter().map(|e| e.number).collect();
    let payloads: Vec<Value> = events
        .iter()
        .map(|e| {
            json!({ "orderNumber": e.number, "from": e.from, "to": e.to,
                    "actor": { "userId": actor.id, "role": actor.role },
                    "correlationId": actor.correlation_id, "data": e.data })
        })
        .collect();
    sqlx::query(
        "WITH e AS (
             INSERT INTO order_events (order_id, event_type, from_status, to_status, actor_id,
                 actor_role, actor_ip, data, correlation_id)
             SELECT x.o, x.t, x.f, x.s, $6, $7, $8, x.d, $9
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
                  WITH ORDINALITY AS x(o, t, f, s, d, n)
             ORDER BY x.n)
         INSERT INTO outbox_events (event_type, aggregate_type, aggregate_id, payload)
         SELECT y.t, 'order', y.a, y.p
         FROM unnest($2::text[], $10::text[], $11::jsonb[]) WITH ORDINALITY AS y(t, a, p, n)
         ORDER BY y.n",
    )
    .bind(&orders)
    .bind(&types)
    .bind(&from)
    .bind(&to)
    .bind(&data)
    .bind(actor.id)
    .bind(actor.role)
    .bind(actor.ip.as_deref())
    .bind(actor.correlation_id)
    .bind(&numbers)
    .bind(&payloads)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Moves the order to `to` if its status machine allows it from where it is now; the row
/// is locked for the caller's transaction. Returns the status it left.
pub async fn transition(
    conn: &mut PgConnection,
    actor: &Actor,
    order: OrderId,
    number: &str,
    to: OrderStatus,
    data: Value,
) -> Result<OrderStatus, OrderingError> {
    let from: OrderStatus =
        sqlx::query_scalar("SELECT status FROM orders WHERE id = $1 FOR UPDATE")
            .bind(order)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(OrderingError::NotFound)?;
    if !from.can_become(to) {
        return Err(OrderingError::IllegalTransition { from, to });
    }
    let stamp = match to {
        OrderStatus::Paid => ", paid_at = now()",
        OrderStatus::Shipped => ", shipped_at = now()",
        OrderStatus::Delivered => ", delivered_at = now()",
        OrderStatus::Cancelled | OrderStatus::Refunded => ", cancelled_at = now()",
        _ => "",
    };
    sqlx::query(&format!(
        "UPDATE orders SET status = $2{stamp} WHERE id = $1"
    ))
    .bind(order)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    let event_type = format!("order.{}", to.as_str());
    record(
        conn,
        actor,
        Event {
            order,
            number,
            event_type: &event_type,
            from: Some(from),
            to: Some(to),
            data,
        },
    )
    .await?;
    Ok(from)
}

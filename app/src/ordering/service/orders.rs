//! Reading orders, for their shopper and for their seller.

use super::events::{transition, Actor};
use crate::identity::UserId;
use crate::ordering::{
    Order, OrderDetail, OrderEvent, OrderItem, OrderStatus, OrderSummary, OrderingError,
};
use crate::seller::SellerId;
use serde_json::json;
use sqlx::PgPool;

const SUMMARY: &str = "SELECT o.id, o.order_number, o.status, o.seller_id,
        s.business_name AS seller_name,
        COALESCE((SELECT product_name FROM order_items i WHERE i.order_id = o.id
                  ORDER BY i.created_at, i.id LIMIT 1), '') AS first_item,
        (SELECT count(*) FROM order_items i WHERE i.order_id = o.id) AS item_count,
        o.total_amount, o.ordered_at
    FROM orders o JOIN sellers s ON s.id = o.seller_id";

const ORDER: &str = "SELECT o.id, o.order_number, o.checkout_id, o.status, o.seller_id,
        s.business_name AS seller_name, o.items_total, o.shipping_fee, o.discount_amount,
        o.total_amount, o.points_used, o.paid_amount, o.refunded_amount, c.payment_method,
        o.recipient_name, o.recipient_phone, o.postal_code, o.address, o.address_detail,
        o.delivery_memo, o.ordered_at, o.paid_at, o.cancelled_at
    FROM orders o JOIN sellers s ON s.id = o.seller_id JOIN checkouts c ON c.id = o.checkout_id";

/// My orders, newest first.
pub async fn list_for_user(db: &PgPool, user: UserId) -> Result<Vec<OrderSummary>, OrderingError> {
    Ok(sqlx::query_as(&format!(
        "{SUMMARY} WHERE o.user_id = $1 ORDER BY o.ordered_at DESC, o.id LIMIT 100"
    ))
    .bind(user)
    .fetch_all(db)
    .await?)
}

/// A seller's orders that have been paid (what they must act on), newest first.
pub async fn list_for_seller(
    db: &PgPool,
    seller: SellerId,
    status: Option<OrderStatus>,
) -> Result<Vec<OrderSummary>, OrderingError> {
    Ok(sqlx::query_as(&format!(
        "{SUMMARY} WHERE o.seller_id = $1
           AND o.status NOT IN ('pending', 'payment_waiting')
           AND ($2::text IS NULL OR o.status = $2)
         ORDER BY o.ordered_at DESC, o.id LIMIT 200"
    ))
    .bind(seller)
    .bind(status)
    .fetch_all(db)
    .await?)
}

async fn detail(db: &PgPool, order: Order) -> Result<OrderDetail, OrderingError> {
    let items: Vec<OrderItem> = sqlx::query_as(
        "SELECT id, product_id, variant_id, product_name, variant_name, product_image,
                option_values, quantity, unit_price, total_price, discount_amount,
                cancelled_quantity
         FROM order_items WHERE order_id = $1 ORDER BY created_at, id",
    )
    .bind(order.id)
    .fetch_all(db)
    .await?;
    let events: Vec<OrderEvent> = sqlx::query_as(
        "SELECT event_type, from_status, to_status, actor_role, data, created_at
         FROM order_events WHERE order_id = $1 ORDER BY created_at, id",
    )
    .bind(order.id)
    .fetch_all(db)
    .await?;
    let payment = crate::payment::service::of_checkout(db, order.checkout_id).await?;
    Ok(OrderDetail {
        order,
        items,
        events,
        payment,
    })
}

/// One of my orders. Someone else's is `NotFound`, so its existence does not show.
pub async fn detail_for_user(
    db: &PgPool,
    user: UserId,
    number: &str,
) -> Result<OrderDetail, OrderingError> {
    let order: Option<Order> = sqlx::query_as(&format!(
        "{ORDER} WHERE o.order_number = $1 AND o.user_id = $2"
    ))
    .bind(number)
    .bind(user)
    .fetch_optional(db)
    .await?;
    detail(db, order.ok_or(OrderingError::NotFound)?).await
}

/// One of the seller's paid orders; another seller's (or an unpaid one) is `NotFound`.
pub async fn detail_for_seller(
    db: &PgPool,
    seller: SellerId,
    number: &str,
) -> Result<OrderDetail, OrderingError> {
    let order: Option<Order> = sqlx::query_as(&format!(
        "{ORDER} WHERE o.order_number = $1 AND o.seller_id = $2
           AND o.status NOT IN ('pending', 'payment_waiting')"
    ))
    .bind(number)
    .bind(seller)
    .fetch_optional(db)
    .await?;
    detail(db, order.ok_or(OrderingError::NotFound)?).await
}

/// The seller starts packing a paid order.
pub async fn mark_preparing(
    db: &PgPool,
    seller: SellerId,
    number: &str,
    actor: &Actor,
) -> Result<(), OrderingError> {
    let mut tx = db.begin().await?;
    let id: Option<crate::ordering::OrderId> = sqlx::query_scalar(
        "SELECT id FROM orders WHERE order_number = $1 AND seller_id = $2
           AND status NOT IN ('pending', 'payment_waiting')",
    )
    .bind(number)
    .bind(seller)
    .fetch_optional(&mut *tx)
    .await?;
    let id = id.ok_or(OrderingError::NotFound)?;
    transition(
        &mut tx,
        actor,
        id,
        number,
        OrderStatus::Preparing,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

//! A guest's cart, kept in the session (seed 000 Sessions `data.cart`) under `cart.guest`.
//! The same rules as an account's cart apply; at sign-in `take` hands the lines to
//! `service::merge`.

use super::service::{check_quantity, sellable, RawLine};
use super::{CartError, CartItemId, MAX_LINES};
use crate::catalog::VariantId;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tower_sessions::Session;

const KEY: &str = "cart.guest";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct GuestLine {
    id: CartItemId,
    variant_id: VariantId,
    quantity: i32,
    unit_price: Decimal,
}

impl From<GuestLine> for RawLine {
    fn from(l: GuestLine) -> Self {
        RawLine {
            id: l.id,
            variant_id: l.variant_id,
            quantity: l.quantity,
            added_price: l.unit_price,
        }
    }
}

async fn load(session: &Session) -> Result<Vec<GuestLine>, CartError> {
    Ok(session.get(KEY).await?.unwrap_or_default())
}

async fn store(session: &Session, lines: &[GuestLine]) -> Result<(), CartError> {
    if lines.is_empty() {
        session.remove_value(KEY).await?;
    } else {
        session.insert(KEY, lines).await?;
    }
    Ok(())
}

pub async fn lines(session: &Session) -> Result<Vec<RawLine>, CartError> {
    Ok(load(session).await?.into_iter().map(Into::into).collect())
}

pub async fn count(session: &Session) -> Result<i64, CartError> {
    Ok(load(session).await?.len() as i64)
}

pub async fn add(
    db: &PgPool,
    session: &Session,
    variant: VariantId,
    quantity: i32,
) -> Result<CartItemId, CartError> {
    let s = sellable(db, variant).await?;
    let mut lines = load(session).await?;
    if let Some(l) = lines.iter_mut().find(|l| l.variant_id == variant) {
        let total = l.quantity.saturating_add(quantity);
        check_quantity(&s, total)?;
        l.quantity = total;
        let id = l.id;
        store(session, &lines).await?;
        return Ok(id);
    }
    check_quantity(&s, quantity)?;
    if lines.len() as i64 >= MAX_LINES {
        return Err(CartError::Full);
    }
    let id = CartItemId(uuid::Uuid::new_v4());
    lines.push(GuestLine {
        id,
        variant_id: variant,
        quantity,
        unit_price: s.price,
    });
    store(session, &lines).await?;
    Ok(id)
}

pub async fn set_quantity(
    db: &PgPool,
    session: &Session,
    id: CartItemId,
    quantity: i32,
) -> Result<(), CartError> {
    let mut lines = load(session).await?;
    let line = lines
        .iter_mut()
        .find(|l| l.id == id)
        .ok_or(CartError::NotFound)?;
    check_quantity(&sellable(db, line.variant_id).await?, quantity)?;
    line.quantity = quantity;
    store(session, &lines).await
}

pub async fn remove(session: &Session, id: CartItemId) -> Result<(), CartError> {
    let mut lines = load(session).await?;
    let before = lines.len();
    lines.retain(|l| l.id != id);
    if lines.len() == before {
        return Err(CartError::NotFound);
    }
    store(session, &lines).await
}

/// The guest's lines, removed from the session (they move to the account).
pub async fn take(session: &Session) -> Result<Vec<RawLine>, CartError> {
    let lines = lines(session).await?;
    session.remove_value(KEY).await?;
    Ok(lines)
}

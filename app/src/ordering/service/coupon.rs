//! One coupon on a checkout: which lines it covers, what it takes off, and how that is
//! shared across the lines in whole won.

use crate::cart::CartView;
use crate::catalog::ProductId;
use crate::identity::UserId;
use crate::ordering::{allocate, OrderingError};
use crate::promotion::{Coupon, CouponId, Scope, UserCouponId};
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};
use std::collections::HashSet;

const COUPON_COLUMNS: &str = "c.id, c.code, c.name, c.discount_type, c.discount_value,
    c.max_discount_amount, c.min_purchase_amount, c.total_quantity, c.issued_quantity,
    c.valid_from, c.valid_until, c.applicable_to";

#[derive(sqlx::FromRow)]
struct Held {
    user_coupon: UserCouponId,
    #[sqlx(flatten)]
    coupon: Coupon,
    applicable_ids: Vec<uuid::Uuid>,
}

/// A coupon applied: its discount per line (`[group][line]`), summing exactly to `total`.
#[derive(Clone, Debug)]
pub struct Applied {
    pub user_coupon: UserCouponId,
    pub coupon: CouponId,
    pub total: Decimal,
    pub per_line: Vec<Vec<Decimal>>,
}

/// The user's coupons that can be used now: available, in date, not held by a checkout
/// that is still waiting for its payment.
async fn held(
    db: &mut PgConnection,
    user: UserId,
    only: Option<UserCouponId>,
) -> Result<Vec<Held>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT u.id AS user_coupon, {COUPON_COLUMNS}, c.applicable_ids
         FROM user_coupons u JOIN coupons c ON c.id = u.coupon_id
         WHERE u.user_id = $1 AND ($2::uuid IS NULL OR u.id = $2)
           AND u.status = 'available' AND u.expires_at > now() AND c.is_active
           AND now() BETWEEN c.valid_from AND c.valid_until
           AND (u.checkout_id IS NULL OR NOT EXISTS (
                SELECT 1 FROM checkouts k WHERE k.id = u.checkout_id AND k.status = 'PENDING'))
         ORDER BY u.issued_at"
    ))
    .bind(user)
    .bind(only)
    .fetch_all(db)
    .await
}

async fn in_categories(
    db: &mut PgConnection,
    products: &[ProductId],
    categories: &[uuid::Uuid],
) -> Result<HashSet<ProductId>, sqlx::Error> {
    // A category covers its subcategories: products are filed under leaves.
    let rows: Vec<ProductId> = sqlx::query_scalar(
        "WITH RECURSIVE covered AS (
             SELECT id FROM categories WHERE id = ANY($2)
             UNION SELECT c.id FROM categories c JOIN covered ON c.parent_id = covered.id)
         SELECT DISTINCT pc.product_id FROM product_categories pc
         WHERE pc.product_id = ANY($1) AND pc.category_id IN (SELECT id FROM covered)",
    )
    .bind(products)
    .bind(categories)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The discount of one held coupon on the checkable lines of `view`.
async fn price(db: &mut PgConnection, h: &Held, view: &CartView) -> Result<Applied, OrderingError> {
    let products: Vec<ProductId> = view
        .groups
        .iter()
        .flat_map(|g| g.lines.iter().map(|l| l.product_id))
        .collect();
    let category_hits = match h.coupon.applicable_to {
        Scope::Category => in_categories(db, &products, &h.applicable_ids).await?,
        _ => HashSet::new(),
    };
    let mut weights = Vec::new();
    let mut slots = Vec::new();
    for (gi, g) in view.groups.iter().enumerate() {
        for (li, l) in g.lines.iter().enumerate() {
            let in_scope = match h.coupon.applicable_to {
                Scope::All => true,
                Scope::Seller => h.applicable_ids.contains(&g.seller_id.into_uuid()),
                Scope::Product => h.applicable_ids.contains(&l.product_id.into_uuid()),
                Scope::Category => category_hits.contains(&l.product_id),
            };
            if in_scope && l.state.can_checkout() {
                weights.push(l.total());
                slots.push((gi, li));
            }
        }
    }
    let base: Decimal = weights.iter().copied().sum();
    let total = h.coupon.discount_on(base);
    if total <= Decimal::ZERO {
        return Err(OrderingError::CouponNotApplicable);
    }
    let mut per_line: Vec<Vec<Decimal>> = view
        .groups
        .iter()
        .map(|g| vec![Decimal::ZERO; g.lines.len()])
        .collect();
    for ((gi, li), part) in slots.into_iter().zip(allocate(total, &weights)) {
        per_line[gi][li] = part;
    }
    Ok(Applied {
        user_coupon: h.user_coupon,
        coupon: h.coupon.id,
        total,
        per_line,
    })
}

/// The chosen coupon applied to the cart; one that is not the shopper's, used, expired or
/// held by another checkout is `CouponUnavailable`.
pub async fn apply(
    db: &mut PgConnection,
    user: UserId,
    chosen: UserCouponId,
    view: &CartView,
) -> Result<Applied, OrderingError> {
    let held = held(&mut *db, user, Some(chosen)).await?;
    let h = held.first().ok_or(OrderingError::CouponUnavailable)?;
    price(db, h, view).await
}

/// Every usable coupon with what it takes off this cart (those that take nothing are left out).
pub async fn usable(
    db: &PgPool,
    user: UserId,
    view: &CartView,
) -> Result<Vec<(UserCouponId, Coupon, Decimal)>, OrderingError> {
    let mut conn = db.acquire().await?;
    let mut out = Vec::new();
    for h in held(&mut conn, user, None).await? {
        if let Ok(a) = price(&mut conn, &h, view).await {
            out.push((h.user_coupon, h.coupon, a.total));
        }
    }
    Ok(out)
}

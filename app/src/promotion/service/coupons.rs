use crate::identity::UserId;
use crate::platform::db::OnConstraint;
use crate::promotion::domain::NewCoupon;
use crate::promotion::{Coupon, CouponId, PromotionError, Scope, UserCouponId, UserCouponStatus};
use crate::seller::SellerId;
use sqlx::PgPool;

const COLUMNS: &str = "c.id, c.code, c.name, c.discount_type, c.discount_value,
    c.max_discount_amount, c.min_purchase_amount, c.total_quantity, c.issued_quantity,
    c.valid_from, c.valid_until, c.applicable_to";

/// Who makes a coupon: the shop (anything), or a seller (their own products only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Maker {
    Admin(UserId),
    Seller { seller: SellerId, user: UserId },
}

/// Creates a coupon. A seller's covers their own products: its scope is their shop, or
/// products of theirs.
pub async fn create(
    db: &PgPool,
    maker: Maker,
    new: &NewCoupon,
) -> Result<CouponId, PromotionError> {
    let (seller, user, scope, ids) = match maker {
        Maker::Admin(user) => (None, user, new.applicable_to, new.applicable_ids.clone()),
        Maker::Seller { seller, user } => match new.applicable_to {
            Scope::Product => {
                let theirs: bool = sqlx::query_scalar(
                    "SELECT count(*) = cardinality($2::uuid[]) FROM products
                     WHERE seller_id = $1 AND id = ANY($2)",
                )
                .bind(seller)
                .bind(&new.applicable_ids)
                .fetch_one(db)
                .await?;
                if !theirs {
                    return Err(PromotionError::NotFound);
                }
                (
                    Some(seller),
                    user,
                    Scope::Product,
                    new.applicable_ids.clone(),
                )
            }
            _ => (Some(seller), user, Scope::Seller, vec![seller.into_uuid()]),
        },
    };
    sqlx::query_scalar(
        "INSERT INTO coupons (code, name, discount_type, discount_value, max_discount_amount,
             min_purchase_amount, total_quantity, valid_from, valid_until, applicable_to,
             applicable_ids, seller_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(&new.code)
    .bind(&new.name)
    .bind(new.discount_type)
    .bind(new.discount_value)
    .bind(new.max_discount_amount)
    .bind(new.min_purchase_amount)
    .bind(new.total_quantity)
    .bind(new.valid_from)
    .bind(new.valid_until)
    .bind(scope)
    .bind(&ids)
    .bind(seller)
    .bind(user)
    .fetch_one(db)
    .await
    .on_constraint(|c| (c == "coupons_code_key").then_some(PromotionError::CodeTaken))
}

/// Coupons that can be claimed now, newest first.
pub async fn available(db: &PgPool) -> Result<Vec<Coupon>, PromotionError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM coupons c
         WHERE c.is_active AND now() BETWEEN c.valid_from AND c.valid_until
         ORDER BY c.created_at DESC LIMIT 100"
    ))
    .fetch_all(db)
    .await?)
}

/// The shopper's coupons with their status (an unused one past its date reads as expired).
pub async fn mine(
    db: &PgPool,
    user: UserId,
) -> Result<Vec<(UserCouponId, Coupon, UserCouponStatus)>, PromotionError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        user_coupon: UserCouponId,
        #[sqlx(flatten)]
        coupon: Coupon,
        status: UserCouponStatus,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT u.id AS user_coupon, {COLUMNS},
                CASE WHEN u.status = 'available' AND u.expires_at < now() THEN 'expired'
                     ELSE u.status END AS status
         FROM user_coupons u JOIN coupons c ON c.id = u.coupon_id
         WHERE u.user_id = $1 ORDER BY u.issued_at DESC LIMIT 200"
    ))
    .bind(user)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.user_coupon, r.coupon, r.status))
        .collect())
}

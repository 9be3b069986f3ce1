use crate::identity::UserId;
use crate::platform::db::OnConstraint;
use crate::promotion::domain::NewCoupon;
use crate::promotion::{
    Coupon, CouponId, MadeCoupon, PromotionError, Scope, Target, UserCouponId, UserCouponStatus,
};
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

/// Coupons that can be claimed now and cover `product`: everything, the product, its
/// seller, or a category it is filed under (or an ancestor of one).
pub async fn for_product(
    db: &PgPool,
    product: crate::catalog::ProductId,
) -> Result<Vec<Coupon>, PromotionError> {
    Ok(sqlx::query_as(&format!(
        "WITH RECURSIVE up AS (
             SELECT category_id AS id FROM product_categories WHERE product_id = $1
             UNION SELECT c.parent_id FROM categories c JOIN up ON c.id = up.id
             WHERE c.parent_id IS NOT NULL)
         SELECT {COLUMNS} FROM coupons c
         WHERE c.is_active AND now() BETWEEN c.valid_from AND c.valid_until
           AND (c.applicable_to = 'all'
                OR (c.applicable_to = 'product' AND $1 = ANY(c.applicable_ids))
                OR (c.applicable_to = 'seller'
                    AND (SELECT seller_id FROM products WHERE id = $1) = ANY(c.applicable_ids))
                OR (c.applicable_to = 'category' AND c.applicable_ids && ARRAY(SELECT id FROM up)))
         ORDER BY c.created_at DESC LIMIT 20"
    ))
    .bind(product)
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

impl Maker {
    /// Who `user` makes coupons as: the shop for an admin, else their approved seller
    /// account (403 otherwise). The console and REST ask the same.
    pub async fn of(
        db: &PgPool,
        user: crate::platform::auth::CurrentUser,
    ) -> Result<Self, crate::platform::error::AppError> {
        if user.role == crate::identity::Role::Admin {
            return Ok(Maker::Admin(user.id));
        }
        let seller = crate::seller::ApprovedSeller::of(db, user).await?;
        Ok(Maker::Seller {
            seller: seller.id,
            user: seller.user.id,
        })
    }
}

/// The coupons a maker made (an admin sees every coupon), newest first, with how many were
/// used.
pub async fn made_by(db: &PgPool, maker: Maker) -> Result<Vec<MadeCoupon>, PromotionError> {
    let seller = match maker {
        Maker::Admin(_) => None,
        Maker::Seller { seller, .. } => Some(seller),
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS}, c.used_quantity FROM coupons c
         WHERE $1::uuid IS NULL OR c.seller_id = $1
         ORDER BY c.created_at DESC LIMIT 200"
    ))
    .bind(seller)
    .fetch_all(db)
    .await?)
}

/// What a maker may aim a coupon at, as the console's list offers it: `(target, label)`
/// with `target` as `domain::target` reads it. Admins: categories and sellers; a seller:
/// their own products.
pub async fn targets(db: &PgPool, maker: Maker) -> Result<Vec<Target>, PromotionError> {
    let rows: Vec<(Scope, uuid::Uuid, String)> = match maker {
        Maker::Admin(_) => {
            sqlx::query_as(
                "(SELECT 'category', id, name FROM categories WHERE is_active
                  ORDER BY level, display_order, name)
                 UNION ALL
                 (SELECT 'seller', id, business_name FROM sellers WHERE status = 'approved'
                  ORDER BY business_name LIMIT 500)",
            )
            .fetch_all(db)
            .await?
        }
        Maker::Seller { seller, .. } => {
            sqlx::query_as(
                "SELECT 'product', id, name FROM products
                 WHERE seller_id = $1 AND deleted_at IS NULL ORDER BY name LIMIT 500",
            )
            .bind(seller)
            .fetch_all(db)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .map(|(scope, id, label)| Target {
            value: format!("{scope}:{id}"),
            scope,
            label,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::service::seed_category;
    use crate::platform::testing::{sellable, seller};
    use crate::promotion::domain::NewCoupon;
    use crate::promotion::DiscountType;
    use rust_decimal::Decimal;

    fn new(code: &str, scope: Scope, ids: Vec<uuid::Uuid>) -> NewCoupon {
        let now = chrono::Utc::now();
        NewCoupon {
            code: code.into(),
            name: code.into(),
            discount_type: DiscountType::FixedAmount,
            discount_value: Decimal::from(1_000),
            max_discount_amount: None,
            min_purchase_amount: Decimal::ZERO,
            total_quantity: None,
            valid_from: now - chrono::Duration::minutes(1),
            valid_until: now + chrono::Duration::days(1),
            applicable_to: scope,
            applicable_ids: ids,
        }
    }

    /// A product page offers the coupons for everything, the product, its seller, and any
    /// category above the leaf it is filed under; a console shows a seller only their own.
    #[sqlx::test(migrations = "../migrations")]
    async fn a_product_is_offered_the_coupons_that_cover_it(db: PgPool) {
        let mut conn = db.acquire().await.unwrap();
        let root = seed_category(&mut conn, None, "패션", "Fashion", "t-fashion", 0)
            .await
            .unwrap();
        let mid = seed_category(&mut conn, Some(root), "여성", "Women", "t-women", 0)
            .await
            .unwrap();
        let leaf = seed_category(&mut conn, Some(mid), "원피스", "Dresses", "t-dresses", 0)
            .await
            .unwrap();
        let other = seed_category(&mut conn, None, "가전", "Appliances", "t-appl", 1)
            .await
            .unwrap();
        drop(conn);
        let (mine, theirs) = (seller(&db).await, seller(&db).await);
        let (product, _) = sellable(&db, mine, "원피스", 30_000, &[3]).await;
        let (elsewhere, _) = sellable(&db, theirs, "냉장고", 900_000, &[1]).await;
        sqlx::query("INSERT INTO product_categories (product_id, category_id, is_primary) VALUES ($1, $2, TRUE)")
            .bind(product)
            .bind(leaf)
            .execute(&db)
            .await
            .unwrap();
        let admin = crate::platform::testing::shopper(&db).await;
        let make = |code: &'static str, scope, ids: Vec<uuid::Uuid>| {
            let db = db.clone();
            async move {
                create(&db, Maker::Admin(admin), &new(code, scope, ids))
                    .await
                    .unwrap()
            }
        };
        make("ALL", Scope::All, vec![]).await;
        make("ROOT", Scope::Category, vec![root.into_uuid()]).await;
        make("OTHER-CAT", Scope::Category, vec![other.into_uuid()]).await;
        make("OTHER-PRODUCT", Scope::Product, vec![elsewhere.into_uuid()]).await;
        make("THEIR-SHOP", Scope::Seller, vec![theirs.into_uuid()]).await;
        let seller_user: UserId = sqlx::query_scalar("SELECT user_id FROM sellers WHERE id = $1")
            .bind(mine)
            .fetch_one(&db)
            .await
            .unwrap();
        let maker = Maker::Seller {
            seller: mine,
            user: seller_user,
        };
        // A seller's "everything" is their shop.
        create(&db, maker, &new("MY-SHOP", Scope::All, vec![]))
            .await
            .unwrap();
        create(
            &db,
            maker,
            &new("MY-DRESS", Scope::Product, vec![product.into_uuid()]),
        )
        .await
        .unwrap();
        assert!(matches!(
            create(
                &db,
                maker,
                &new("NOT-MINE", Scope::Product, vec![elsewhere.into_uuid()])
            )
            .await,
            Err(PromotionError::NotFound)
        ));

        let mut offered: Vec<String> = for_product(&db, product)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.code)
            .collect();
        offered.sort();
        assert_eq!(offered, ["ALL", "MY-DRESS", "MY-SHOP", "ROOT"]);

        let made: Vec<String> = made_by(&db, maker)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.coupon.code)
            .collect();
        assert_eq!(made, ["MY-DRESS", "MY-SHOP"]);
        assert_eq!(made_by(&db, Maker::Admin(admin)).await.unwrap().len(), 7);
        let targets = targets(&db, maker).await.unwrap();
        assert!(targets.iter().all(|t| t.scope == Scope::Product));
        assert_eq!(targets.len(), 1, "only the seller's own products");
    }
}

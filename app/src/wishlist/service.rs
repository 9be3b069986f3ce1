//! Keeping and dropping products. Both are idempotent: the primary key (user, product) is
//! the "at most once" guard.

use super::{WishItem, WishState, WishlistError};
use crate::catalog::ProductId;
use crate::identity::UserId;
use crate::platform::db::OnConstraint;
use sqlx::PgPool;

/// Keeps a product. Keeping it again changes nothing. A product that is gone is `NotFound`.
pub async fn add(db: &PgPool, user: UserId, product: ProductId) -> Result<(), WishlistError> {
    let visible: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM products WHERE id = $1 AND deleted_at IS NULL
                        AND status IN ('active', 'inactive'))",
    )
    .bind(product)
    .fetch_one(db)
    .await?;
    if !visible {
        return Err(WishlistError::NotFound);
    }
    sqlx::query(
        "INSERT INTO wishlists (user_id, product_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(user)
    .bind(product)
    .execute(db)
    .await
    .on_constraint(|c| (c == "wishlists_product_id_fkey").then_some(WishlistError::NotFound))?;
    Ok(())
}

pub async fn remove(db: &PgPool, user: UserId, product: ProductId) -> Result<(), WishlistError> {
    sqlx::query("DELETE FROM wishlists WHERE user_id = $1 AND product_id = $2")
        .bind(user)
        .bind(product)
        .execute(db)
        .await?;
    Ok(())
}

/// Whether `user` keeps the product, and how many shoppers do.
pub async fn state(
    db: &PgPool,
    user: Option<UserId>,
    product: ProductId,
) -> Result<WishState, WishlistError> {
    let (wished, count): (bool, i64) = sqlx::query_as(
        "SELECT COALESCE(bool_or(user_id = $2), FALSE), count(*) FROM wishlists
         WHERE product_id = $1",
    )
    .bind(product)
    .bind(user)
    .fetch_one(db)
    .await?;
    Ok(WishState { wished, count })
}

/// The user's kept products, newest first, with their prices now.
pub async fn list(db: &PgPool, user: UserId) -> Result<Vec<WishItem>, WishlistError> {
    Ok(sqlx::query_as(
        "SELECT p.id AS product_id, p.slug, p.name, p.price::numeric(15,0) AS price,
                p.original_price::numeric(15,0) AS original_price, p.discount_rate,
                p.primary_thumbnail_url AS thumbnail_url, p.status, w.created_at AS added_at
         FROM wishlists w JOIN products p ON p.id = w.product_id
         WHERE w.user_id = $1 AND p.deleted_at IS NULL
         ORDER BY w.created_at DESC, p.id LIMIT 500",
    )
    .bind(user)
    .fetch_all(db)
    .await?)
}

/// Which of `products` the user keeps, for the hearts on a page of cards.
pub async fn wished_among(
    db: &PgPool,
    user: UserId,
    products: &[ProductId],
) -> Result<Vec<ProductId>, WishlistError> {
    Ok(sqlx::query_scalar(
        "SELECT product_id FROM wishlists WHERE user_id = $1 AND product_id = ANY($2)",
    )
    .bind(user)
    .bind(products)
    .fetch_all(db)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::testing::{seller, shopper};

    async fn product(db: &PgPool, status: &str) -> ProductId {
        let s = seller(db).await;
        sqlx::query_scalar(
            "INSERT INTO products (seller_id, name, slug, price, status)
             VALUES ($1, '컵', $2, 9000, $3) RETURNING id",
        )
        .bind(s)
        .bind(format!("w-{}", uuid::Uuid::new_v4()))
        .bind(status)
        .fetch_one(db)
        .await
        .unwrap()
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn keeping_twice_counts_once_and_the_count_is_per_product(db: PgPool) {
        let p = product(&db, "active").await;
        let (a, b) = (shopper(&db).await, shopper(&db).await);
        add(&db, a, p).await.unwrap();
        add(&db, a, p).await.unwrap();
        add(&db, b, p).await.unwrap();
        assert_eq!(
            state(&db, Some(a), p).await.unwrap(),
            WishState {
                wished: true,
                count: 2
            }
        );
        remove(&db, a, p).await.unwrap();
        remove(&db, a, p).await.unwrap();
        assert_eq!(
            state(&db, Some(a), p).await.unwrap(),
            WishState {
                wished: false,
                count: 1
            }
        );
        assert_eq!(
            state(&db, None, p).await.unwrap(),
            WishState {
                wished: false,
                count: 1
            }
        );
        let items = list(&db, b).await.unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].price, rust_decimal::Decimal::from(9000));
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn unreleased_or_missing_products_cannot_be_kept(db: PgPool) {
        let draft = product(&db, "draft").await;
        let user = shopper(&db).await;
        assert!(matches!(
            add(&db, user, draft).await,
            Err(WishlistError::NotFound)
        ));
        let missing = ProductId(uuid::Uuid::new_v4());
        assert!(matches!(
            add(&db, user, missing).await,
            Err(WishlistError::NotFound)
        ));
    }
}

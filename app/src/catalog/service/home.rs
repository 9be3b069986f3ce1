//! Home shelves, popular products and recently viewed products.

use super::*;

/// Recomputes popular products from what sold (stock that went out) in the last 3 days.
pub async fn refresh_popular(db: &PgPool) -> Result<u64, CatalogError> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM popular_product_stats")
        .execute(&mut *tx)
        .await?;
    let n = sqlx::query(
        "INSERT INTO popular_product_stats (product_id, sales_count)
         SELECT v.product_id, SUM(m.quantity / GREATEST(sm.quantity, 1))
         FROM stock_movements m
         JOIN sku_mappings sm ON sm.sku_id = m.sku_id
         JOIN product_variants v ON v.id = sm.variant_id
         WHERE m.movement_type = 'out' AND m.created_at >= now() - interval '3 days'
         GROUP BY v.product_id",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(n)
}

/// Cards on each home shelf. Written into the SQL rather than bound, so Postgres can keep
/// one generic plan per shelf query instead of re-planning it on every page view.
const SHELF: i64 = 8;

/// Cards for a shelf: `sql_tail` is the rest of the query after the product/seller join; it
/// may use `$1` (a user id).
pub(super) async fn cards(
    db: &PgPool,
    sql_tail: &str,
    user: Option<UserId>,
) -> Result<Vec<ProductCard>, CatalogError> {
    let sql = format!(
        "SELECT {CARD_COLUMNS} FROM products p JOIN sellers s ON s.id = p.seller_id {sql_tail}"
    );
    let mut q = sqlx::query_as::<_, CardRow>(&sql);
    if let Some(u) = user {
        q = q.bind(u);
    }
    Ok(q.fetch_all(db).await?.into_iter().map(Into::into).collect())
}

/// The home page: featured, popular (3-day sales; by purchase count until anything sold),
/// new arrivals, and the signed-in shopper's recently viewed products.
/// `guest_recent` is a guest's recently viewed products, newest first (`recent::guest_ids`).
pub async fn home(
    db: &PgPool,
    user: Option<UserId>,
    guest_recent: &[ProductId],
) -> Result<HomeShelves, CatalogError> {
    // A suspended seller's products leave the store with them.
    const ON_SALE: &str = "p.status = 'active' AND p.deleted_at IS NULL AND s.status = 'approved'";
    let featured = cards(
        db,
        &format!(
            "WHERE {ON_SALE} AND p.is_featured ORDER BY p.created_at DESC, p.id LIMIT {SHELF}"
        ),
        None,
    )
    .await?;
    let mut popular = cards(
        db,
        &format!("JOIN popular_product_stats ps ON ps.product_id = p.id WHERE {ON_SALE} ORDER BY ps.sales_count DESC, p.id LIMIT {SHELF}"),
        None,
    )
    .await?;
    if popular.is_empty() {
        popular = cards(
            db,
            &format!("WHERE {ON_SALE} ORDER BY p.purchase_count DESC, p.id LIMIT {SHELF}"),
            None,
        )
        .await?;
    }
    let newest = cards(
        db,
        &format!("WHERE {ON_SALE} ORDER BY p.created_at DESC, p.id DESC LIMIT {SHELF}"),
        None,
    )
    .await?;
    let recently_viewed = match user {
        Some(u) => {
            cards(
                db,
                &format!("JOIN product_views pv ON pv.product_id = p.id AND pv.user_id = $1 WHERE {ON_SALE} ORDER BY pv.viewed_at DESC LIMIT {SHELF}"),
                Some(u),
            )
            .await?
        }
        None if guest_recent.is_empty() => Vec::new(),
        None => {
            let ids: Vec<Uuid> = guest_recent.iter().map(|p| p.0).collect();
            let sql = format!(
                "SELECT {CARD_COLUMNS} FROM products p JOIN sellers s ON s.id = p.seller_id
                 JOIN unnest($1::uuid[]) WITH ORDINALITY r(id, n) ON r.id = p.id
                 WHERE {ON_SALE} ORDER BY r.n LIMIT {SHELF}"
            );
            sqlx::query_as::<_, CardRow>(&sql)
                .bind(ids)
                .fetch_all(db)
                .await?
                .into_iter()
                .map(Into::into)
                .collect()
        }
    };
    Ok(HomeShelves {
        featured,
        popular,
        newest,
        recently_viewed,
    })
}

/// A guest's recently viewed products, kept in the session until they sign in.
///
/// A guest's first view starts no session: it is kept in a small cookie (`jt_view`) until the
/// browser shows it keeps cookies, by sending that one or the session's back. A client that
/// never does (a crawler) then never makes a session, where it used to make one per page.
pub mod recent {
    use super::*;
    use tower_sessions::Session;

    const KEY: &str = "recent.views";
    /// As many as the shelf could ever want, and a few more.
    pub const KEEP: usize = 20;
    /// The cookie that holds a guest's first view: `{product}.{source}`.
    pub const FIRST_VIEW_COOKIE: &str = "jt_view";

    /// The view in a `Cookie` header's `jt_view`, if it reads as one.
    pub fn first_view_in(cookie_header: &str) -> Option<(ProductId, &'static str)> {
        let value = crate::platform::cookies::value(cookie_header, FIRST_VIEW_COOKIE)?;
        let (product, source) = value.split_once('.')?;
        Some((product.parse().ok()?, normal_source(source)))
    }

    /// The `Set-Cookie` value that keeps `product` as a guest's first view (`None`: forgets it).
    pub fn first_view_cookie(view: Option<(ProductId, &str)>, secure: bool) -> String {
        use crate::platform::cookies::set;
        match view {
            Some((product, source)) => {
                let value = format!("{product}.{}", normal_source(source));
                set(FIRST_VIEW_COOKIE, &value, 2_592_000, true, secure)
            }
            None => set(FIRST_VIEW_COOKIE, "", 0, true, secure),
        }
    }

    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    struct View {
        product: ProductId,
        source: String,
        at: chrono::DateTime<chrono::Utc>,
    }

    async fn load(session: &Session) -> Vec<View> {
        session.get(KEY).await.ok().flatten().unwrap_or_default()
    }

    /// Newest first, each product once.
    pub async fn guest_ids(session: &Session) -> Vec<ProductId> {
        load(session).await.into_iter().map(|v| v.product).collect()
    }

    pub async fn record_guest(session: &Session, product: ProductId, source: &str) {
        let mut views = load(session).await;
        views.retain(|v| v.product != product);
        views.insert(
            0,
            View {
                product,
                source: source.to_owned(),
                at: chrono::Utc::now(),
            },
        );
        views.truncate(KEEP);
        if let Err(e) = session.insert(KEY, views).await {
            tracing::warn!(error = %e, "could not keep a guest's view");
        }
    }

    /// At sign-in: the guest's views join the account's (the later view of a product wins),
    /// and leave the session.
    pub async fn merge_guest(db: &PgPool, session: &Session, user: UserId) {
        let views = load(session).await;
        if views.is_empty() {
            return;
        }
        let ids: Vec<Uuid> = views.iter().map(|v| v.product.0).collect();
        let sources: Vec<&str> = views.iter().map(|v| normal_source(&v.source)).collect();
        let times: Vec<chrono::DateTime<chrono::Utc>> = views.iter().map(|v| v.at).collect();
        let merged = sqlx::query(
            "INSERT INTO product_views (user_id, product_id, source, viewed_at)
             SELECT $1, v.id, v.source, v.at
             FROM unnest($2::uuid[], $3::text[], $4::timestamptz[]) v(id, source, at)
             WHERE EXISTS (SELECT 1 FROM products p WHERE p.id = v.id)
             ON CONFLICT (user_id, product_id) DO UPDATE
                 SET viewed_at = GREATEST(product_views.viewed_at, EXCLUDED.viewed_at),
                     source = CASE WHEN EXCLUDED.viewed_at > product_views.viewed_at
                                   THEN EXCLUDED.source ELSE product_views.source END",
        )
        .bind(user)
        .bind(ids)
        .bind(sources)
        .bind(times)
        .execute(db)
        .await;
        match merged {
            Ok(_) => {
                let _ = session.remove_value(KEY).await;
            }
            Err(e) => tracing::warn!(error = %e, "could not merge a guest's views"),
        }
    }
}

fn normal_source(source: &str) -> &'static str {
    match source {
        "search" => "search",
        "category" => "category",
        "recommendation" => "recommendation",
        _ => "direct",
    }
}

/// Remembers that a signed-in shopper looked at a product.
pub async fn record_view(
    db: &PgPool,
    user: UserId,
    product: ProductId,
    source: &str,
) -> Result<(), CatalogError> {
    let source = normal_source(source);
    sqlx::query(
        "INSERT INTO product_views (user_id, product_id, source) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, product_id) DO UPDATE SET viewed_at = now(), source = EXCLUDED.source",
    )
    .bind(user)
    .bind(product)
    .bind(source)
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets views older than 90 days.
pub async fn sweep_views(db: &PgPool) -> Result<u64, CatalogError> {
    Ok(
        sqlx::query("DELETE FROM product_views WHERE viewed_at < now() - interval '90 days'")
            .execute(db)
            .await?
            .rows_affected(),
    )
}

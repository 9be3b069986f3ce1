//! The benchmark's yardstick: a minimal axum + sqlx handler that serves the same 24 rows as
//! the category page, as plain HTML, with no framework around it. `server bench-baseline`.

use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use rust_decimal::Decimal;
use sqlx::PgPool;
use std::fmt::Write;

async fn category(State(db): State<PgPool>, Path(slug): Path<String>) -> Html<String> {
    let rows: Vec<(String, String, Decimal, String)> = sqlx::query_as(
        "SELECT p.slug, p.name, p.price, s.business_name FROM products p JOIN sellers s ON s.id = p.seller_id
         WHERE p.status = 'active' AND p.deleted_at IS NULL
           AND EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id AND pc.category_id IN (
               WITH RECURSIVE sub AS (SELECT id FROM categories WHERE slug = $1
                   UNION ALL SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub))
         ORDER BY p.created_at DESC, p.id DESC LIMIT 25",
    )
    .bind(slug)
    .fetch_all(&db)
    .await
    .unwrap_or_default();
    let mut html = String::from("<!DOCTYPE html><html><body><ul>");
    for (slug, name, price, seller) in rows.iter().take(24) {
        let _ = write!(
            html,
            "<li><a href=\"/p/{slug}\">{name}</a> {seller} {price}</li>"
        );
    }
    html.push_str("</ul></body></html>");
    Html(html)
}

pub async fn serve(db: PgPool, addr: &str) -> std::io::Result<()> {
    let app = Router::new()
        .route("/c/{slug}", get(category))
        .with_state(db);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, app).await
}
